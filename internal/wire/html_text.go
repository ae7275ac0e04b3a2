package wire

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"dateline/internal/story"
)

// inlineAtoms are the phrasing elements that do not break a paragraph;
// their own markup is dropped and their text kept.
var inlineAtoms = map[atom.Atom]bool{
	atom.Span: true, atom.Abbr: true, atom.Cite: true, atom.Dfn: true, atom.Q: true,
	atom.Small: true, atom.Big: true, atom.Sub: true, atom.Sup: true, atom.U: true, atom.S: true,
	atom.Strike: true, atom.Del: true, atom.Ins: true, atom.Mark: true, atom.Time: true,
	atom.Font: true, atom.Var: true, atom.Data: true, atom.Bdi: true, atom.Bdo: true,
	atom.Label: true, atom.Wbr: true, atom.Nobr: true, atom.Acronym: true,
}

func isInline(a atom.Atom) bool { return inlineAtoms[a] }

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// linkTarget keeps only absolute http, https and mailto links: a link
// relative to the agency's site means nothing on ours.
func linkTarget(href string) string {
	h := story.SafeURL(href)
	if h == "" || strings.HasPrefix(h, "/") {
		return ""
	}
	return h
}

func sameMarks(a, b story.Span) bool {
	return a.Bold == b.Bold && a.Italic == b.Italic && a.Code == b.Code && a.Href == b.Href
}

// cleanSpans collapses runs of white space across span boundaries, trims
// both ends, drops empty spans and merges neighbours with the same marks.
// It returns nil when no text is left.
func cleanSpans(in []story.Span) []story.Span {
	var out []story.Span
	space := true // at the start, leading space is dropped
	for _, sp := range in {
		var b strings.Builder
		for _, r := range sp.Text {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
				if !space {
					b.WriteByte(' ')
					space = true
				}
				continue
			}
			b.WriteRune(r)
			space = false
		}
		if b.Len() == 0 {
			continue
		}
		sp.Text = b.String()
		if k := len(out) - 1; k >= 0 && sameMarks(out[k], sp) {
			out[k].Text += sp.Text
			continue
		}
		out = append(out, sp)
	}
	// Trim the trailing space, dropping a span it empties.
	for k := len(out) - 1; k >= 0; k-- {
		out[k].Text = strings.TrimRight(out[k].Text, " ")
		if out[k].Text != "" {
			break
		}
		out = out[:k]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// collapse trims s and turns every run of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v' || r < 0x20
	}), " ")
}
