package story

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// formatSpans writes spans in the inline syntax: one run of '*' wherever
// bold or italic changes (two for bold, one for italic, three for both),
// links in brackets, code in backticks, and every other special character
// escaped. For spans ParseBody produced, every run lands where the parser
// reads it the same way; see normalizeSpans.
func formatSpans(spans []Span) string {
	spans = cleanSpans(spans)
	var w spanWriter
	var cur marks
	for i := 0; i < len(spans); {
		j := i + 1
		for j < len(spans) && spans[j].Href == spans[i].Href {
			j++
		}
		if spans[i].Href != "" {
			cur = w.link(spans[i:j], cur)
		} else {
			for _, sp := range spans[i:j] {
				w.run(cur, marksOf(sp))
				cur = marksOf(sp)
				w.content(sp)
			}
		}
		i = j
	}
	w.run(cur, 0)
	return string(w.b)
}

// cleanSpans fits spans from outside the parser (the wire) to the syntax:
// one line, no empty spans, only safe links.
func cleanSpans(in []Span) []Span {
	out := make([]Span, 0, len(in))
	for _, sp := range in {
		sp.Text = cleanText(sp.Text)
		sp.Href = SafeURL(sp.Href)
		out = append(out, sp)
	}
	return mergeSpans(out)
}

type spanWriter struct{ b []byte }

func (w *spanWriter) run(from, to marks) {
	d := from ^ to
	if d&markBold != 0 {
		w.b = append(w.b, "**"...)
	}
	if d&markItalic != 0 {
		w.b = append(w.b, '*')
	}
}

func (w *spanWriter) content(sp Span) {
	if sp.Code {
		w.b = appendCode(w.b, sp.Text)
	} else {
		w.b = appendEscaped(w.b, sp.Text)
	}
}

// link writes spans sharing one target. Marks all of them share go outside
// the brackets; the rest toggle inside, and where a toggle would sit next to
// a space (where it would not be read as one) the link is split in two.
func (w *spanWriter) link(spans []Span, cur marks) marks {
	for len(spans) > 0 {
		n := segmentLen(spans)
		seg := spans[:n]
		spans = spans[n:]
		common := sharedMarks(seg)
		w.run(cur, common)
		if k := len(w.b) - 1; k >= 0 && w.b[k] == '!' {
			w.b = append(w.b[:k], `\!`...) // "![" would start an image
		}
		w.b = append(w.b, '[')
		in := common
		for _, sp := range seg {
			w.run(in, marksOf(sp))
			in = marksOf(sp)
			w.content(sp)
		}
		w.run(in, common)
		w.b = append(append(append(w.b, "]("...), seg[0].Href...), ')')
		cur = common
	}
	return cur
}

func sharedMarks(spans []Span) marks {
	m := markBold | markItalic
	for _, sp := range spans {
		m &= marksOf(sp)
	}
	return m
}

// segmentLen is how many spans one pair of brackets can hold.
func segmentLen(spans []Span) int {
	if segmentOK(spans) {
		return len(spans)
	}
	n := 1
	for n < len(spans) && segmentOK(spans[:n+1]) {
		n++
	}
	return n
}

// segmentOK reports whether every toggle inside one link would be read: an
// opening run must not be followed by a space, a closing one not preceded
// by one.
func segmentOK(seg []Span) bool {
	common := sharedMarks(seg)
	first, last := seg[0], seg[len(seg)-1]
	if marksOf(first)&^common != 0 && startsSpace(first) || marksOf(last)&^common != 0 && endsSpace(last) {
		return false
	}
	for i := 1; i < len(seg); i++ {
		x, y := marksOf(seg[i-1]), marksOf(seg[i])
		if x&^y != 0 && endsSpace(seg[i-1]) || y&^x != 0 && startsSpace(seg[i]) {
			return false
		}
	}
	return true
}

func startsSpace(sp Span) bool {
	r, _ := utf8.DecodeRuneInString(sp.Text)
	return !sp.Code && unicode.IsSpace(r)
}

func endsSpace(sp Span) bool {
	r, _ := utf8.DecodeLastRuneInString(sp.Text)
	return !sp.Code && unicode.IsSpace(r)
}

// appendEscaped escapes what the inline syntax would read as markup. A '*'
// between spaces and a '_' inside a word cannot mark anything and are left
// bare, so "2 * 3" and "snake_case" stay readable.
func appendEscaped(b []byte, s string) []byte {
	for i, r := range s {
		switch r {
		case '\\', '`', '[', ']':
			b = append(b, '\\', byte(r))
		case '*', '_':
			before, after := runeBefore(s, i), runeAt(s, i+1)
			bare := i > 0 && i+1 < len(s) && unicode.IsSpace(before) && unicode.IsSpace(after)
			if r == '_' {
				bare = isWordRune(before) && isWordRune(after)
			}
			if !bare {
				b = append(b, '\\')
			}
			b = append(b, byte(r))
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

// appendCode fences code with the shortest run of backticks the code does
// not contain, padding with spaces when it starts or ends with a backtick
// or would otherwise lose its own edge spaces to the parser.
func appendCode(b []byte, code string) []byte {
	fence := strings.Repeat("`", shortestMissingRun(code))
	pad := code[0] == '`' || code[len(code)-1] == '`' ||
		code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != ""
	b = append(b, fence...)
	if pad {
		b = append(b, ' ')
	}
	b = append(b, code...)
	if pad {
		b = append(b, ' ')
	}
	return append(b, fence...)
}

func shortestMissingRun(s string) int {
	seen := map[int]bool{}
	for i := 0; i < len(s); {
		n := runLen(s, i, '`')
		if n == 0 {
			i++
			continue
		}
		seen[n] = true
		i += n
	}
	n := 1
	for seen[n] {
		n++
	}
	return n
}
