package workflow

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"dateline/internal/story"
)

// Op says what happened to a piece of text between two versions.
type Op string

// The three kinds of segment.
const (
	Equal  Op = "eq"
	Insert Op = "ins"
	Delete Op = "del"
)

// Segment is a run of text with what happened to it.
type Segment struct {
	Op   Op
	Text string
}

// FieldDiff is one field of two versions side by side: Old holds the
// unchanged and deleted text, New the unchanged and inserted.
type FieldDiff struct {
	Name    string
	Changed bool
	Old     []Segment
	New     []Segment
}

// Compare lists the editable fields of two versions of a story with their
// differences marked word by word. The body is compared in the editors'
// syntax, line by line and then word by word within changed lines.
func Compare(a, b *story.Story) []FieldDiff {
	fields := []struct {
		name string
		get  func(*story.Story) string
	}{
		{"Headline", func(s *story.Story) string { return s.Headline }},
		{"Standfirst", func(s *story.Story) string { return s.Standfirst }},
		{"Section", func(s *story.Story) string { return s.Section.Name }},
		{"Article type", func(s *story.Story) string { return string(s.Type) }},
		{"Language", func(s *story.Story) string { return s.Language }},
		{"Slug", func(s *story.Story) string { return s.Slug }},
		{"Bylines", bylineText},
		{"Source", func(s *story.Story) string {
			if s.Source == nil {
				return ""
			}
			return s.Source.Label
		}},
		{"Tags", func(s *story.Story) string {
			var names []string
			for _, t := range s.Tags {
				names = append(names, t.Name)
			}
			return strings.Join(names, ", ")
		}},
		{"Lead image", leadText},
		{"Related stories", func(s *story.Story) string {
			var ids []string
			for _, id := range s.Related {
				ids = append(ids, strconv.FormatInt(id, 10))
			}
			return strings.Join(ids, ", ")
		}},
		{"SEO title", func(s *story.Story) string { return s.SEOTitle }},
		{"SEO description", func(s *story.Story) string { return s.SEODesc }},
		{"Body", BodyText},
	}
	out := make([]FieldDiff, 0, len(fields))
	for _, f := range fields {
		out = append(out, diffField(f.name, f.get(a), f.get(b)))
	}
	return out
}

// BodyText is a story's body in the editors' syntax: the text they typed,
// or for copy that came otherwise, the blocks written back.
func BodyText(s *story.Story) string {
	if s.BodySource != "" {
		return s.BodySource
	}
	return story.FormatBody(s.Body)
}

func bylineText(s *story.Story) string {
	var names []string
	for _, b := range s.Bylines {
		names = append(names, b.Name)
	}
	return strings.Join(names, ", ")
}

func leadText(s *story.Story) string {
	if s.Lead == nil {
		return ""
	}
	l := s.Lead
	return fmt.Sprintf("media:%d\ncaption: %s\ncredit: %s\nalt: %s", l.MediaID, l.Caption, l.Credit, l.Alt)
}

func diffField(name, a, b string) FieldDiff {
	fd := FieldDiff{Name: name, Changed: a != b}
	if !fd.Changed {
		if a != "" {
			fd.Old = []Segment{{Equal, a}}
			fd.New = fd.Old
		}
		return fd
	}
	for _, seg := range DiffText(a, b) {
		if seg.Op != Insert {
			fd.Old = appendSeg(fd.Old, seg)
		}
		if seg.Op != Delete {
			fd.New = appendSeg(fd.New, seg)
		}
	}
	return fd
}

// DiffText marks the differences between two texts: first by lines, then
// by words inside each run of changed lines, so a long body costs little.
func DiffText(a, b string) []Segment {
	la, lb := splitKeep(a, '\n'), splitKeep(b, '\n')
	var out []Segment
	var delBuf, insBuf strings.Builder
	flush := func() {
		if delBuf.Len() > 0 || insBuf.Len() > 0 {
			for _, s := range diffTokens(words(delBuf.String()), words(insBuf.String())) {
				out = appendSeg(out, s)
			}
			delBuf.Reset()
			insBuf.Reset()
		}
	}
	for _, s := range diffTokens(la, lb) {
		switch s.Op {
		case Equal:
			flush()
			out = appendSeg(out, s)
		case Delete:
			delBuf.WriteString(s.Text)
		case Insert:
			insBuf.WriteString(s.Text)
		}
	}
	flush()
	return out
}

func appendSeg(segs []Segment, s Segment) []Segment {
	if s.Text == "" {
		return segs
	}
	if n := len(segs); n > 0 && segs[n-1].Op == s.Op {
		segs[n-1].Text += s.Text
		return segs
	}
	return append(segs, s)
}

// splitKeep splits s after each sep, keeping it.
func splitKeep(s string, sep byte) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, sep)
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// words splits text into words and the runs of space between them, each
// its own token, so a change next to a line break stays small.
func words(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if i > 0 && sp != inSpace {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// maxCells bounds the LCS table: past it the changed middle is shown as
// replaced wholesale rather than spending seconds on it.
const maxCells = 4_000_000

// diffTokens is a longest-common-subsequence diff of two token lists,
// after trimming their common start and end.
func diffTokens(a, b []string) []Segment {
	var out []Segment
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		out = appendSeg(out, Segment{Equal, a[p]})
		p++
	}
	q := 0
	for q < len(a)-p && q < len(b)-p && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	ma, mb := a[p:len(a)-q], b[p:len(b)-q]
	n, m := len(ma), len(mb)
	if n*m > maxCells {
		for _, t := range ma {
			out = appendSeg(out, Segment{Delete, t})
		}
		for _, t := range mb {
			out = appendSeg(out, Segment{Insert, t})
		}
	} else if n > 0 || m > 0 {
		// l[i][j] is the LCS length of ma[i:] and mb[j:].
		w := m + 1
		l := make([]int32, (n+1)*w)
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					l[i*w+j] = l[(i+1)*w+j+1] + 1
				} else {
					l[i*w+j] = max(l[(i+1)*w+j], l[i*w+j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n && j < m {
			switch {
			case ma[i] == mb[j]:
				out = appendSeg(out, Segment{Equal, ma[i]})
				i++
				j++
			case l[(i+1)*w+j] >= l[i*w+j+1]:
				out = appendSeg(out, Segment{Delete, ma[i]})
				i++
			default:
				out = appendSeg(out, Segment{Insert, mb[j]})
				j++
			}
		}
		for ; i < n; i++ {
			out = appendSeg(out, Segment{Delete, ma[i]})
		}
		for ; j < m; j++ {
			out = appendSeg(out, Segment{Insert, mb[j]})
		}
	}
	for _, t := range a[len(a)-q:] {
		out = appendSeg(out, Segment{Equal, t})
	}
	return out
}
