package story

import (
	"strings"
	"unicode"
)

// Emphasis is resolved as toggles rather than as a tree: a run of one '*'
// toggles italic, two toggle bold, three toggle both. That matches the flat
// Span model, where bold and italic may overlap freely, and lets FormatBody
// write any sequence of spans back with one run at each change of marks.

// resolve turns tokens into spans. An opener that found no closer is made
// literal and the text resolved again, as "Unmatched markers are plain text"
// asks; the pass limit keeps a hostile paragraph from taking quadratic time.
func resolve(toks []token, sc scope) []Span {
	literal := make([]bool, len(toks))
	for pass := 0; ; pass++ {
		r := resolver{toks: toks, literal: literal, sc: sc, on: sc.inherit}
		spans := r.run()
		if len(r.unclosed) == 0 {
			return spans
		}
		if pass < maxPasses {
			for _, k := range r.unclosed {
				literal[k] = true
			}
			continue
		}
		for k := range literal {
			literal[k] = true
		}
	}
}

var bothMarks = [2]marks{markBold, markItalic}

type resolver struct {
	toks     []token
	literal  []bool
	sc       scope
	on       marks
	ch       [2]byte // the character that opened bold, italic
	opener   [2]int  // the token that opened bold, italic
	ahead    [][2]marks
	out      []Span
	unclosed []int
}

func (r *resolver) run() []Span {
	r.ahead = closersAhead(r.toks, r.literal)
	for k, t := range r.toks {
		switch t.kind {
		case tokText:
			r.emit(t.text, false)
		case tokCode:
			r.emit(t.text, true)
		case tokLink:
			inner := scope{inherit: r.on, href: t.href, inLink: true}
			r.out = append(r.out, parseScope(t.text, inner)...)
		case tokDelim:
			r.delim(k, t)
		}
	}
	for i, m := range bothMarks {
		if r.on&m != 0 && r.sc.inherit&m == 0 {
			r.unclosed = append(r.unclosed, r.opener[i])
		}
	}
	return r.out
}

// closersAhead tells, for each token, which marks a later run of each
// character could close: an opener without one stays literal.
func closersAhead(toks []token, literal []bool) [][2]marks {
	ahead := make([][2]marks, len(toks))
	var acc [2]marks
	for k := len(toks) - 1; k >= 0; k-- {
		ahead[k] = acc
		t := toks[k]
		if t.kind != tokDelim || !t.right || literal[k] || t.n > 3 {
			continue
		}
		acc[chIndex(t.ch)] |= markItalic
		if t.n >= 2 {
			acc[chIndex(t.ch)] |= markBold
		}
	}
	return ahead
}

func (r *resolver) delim(k int, t token) {
	if r.literal[k] || t.n > 3 {
		r.emit(strings.Repeat(string(t.ch), t.n), false)
		return
	}
	want := [4]marks{0, markItalic, markBold, markBold | markItalic}[t.n]
	var ok marks
	for _, m := range bothMarks {
		if want&m != 0 && r.can(m, k, t) {
			ok |= m
		}
	}
	if ok == 0 && t.n == 2 && r.can(markItalic, k, t) {
		ok = markItalic // "*a**" is italic a and a literal '*', as in CommonMark
	}
	r.apply(k, t, ok)
}

func (r *resolver) can(m marks, k int, t token) bool {
	switch {
	case r.sc.inherit&m != 0:
		return false
	case r.on&m != 0:
		return t.right && r.ch[markIndex(m)] == t.ch
	default:
		return t.left && r.ahead[k][chIndex(t.ch)]&m != 0
	}
}

// apply closes before and opens after the characters of the run it leaves
// literal, so those stay outside the emphasis they did not make.
func (r *resolver) apply(k int, t token, ok marks) {
	used := 0
	if ok&markBold != 0 {
		used += 2
	}
	if ok&markItalic != 0 {
		used++
	}
	closing, opening := ok&r.on, ok&^r.on
	r.on &^= closing
	if lit := t.n - used; lit > 0 {
		r.emit(strings.Repeat(string(t.ch), lit), false)
	}
	r.on |= opening
	for i, m := range bothMarks {
		if opening&m != 0 {
			r.ch[i], r.opener[i] = t.ch, k
		}
	}
}

func (r *resolver) emit(text string, code bool) {
	sp := Span{Text: text, Code: code, Href: r.sc.href}
	r.out = append(r.out, withMarks(sp, r.on))
}

func markIndex(m marks) int {
	if m == markBold {
		return 0
	}
	return 1
}

func chIndex(c byte) int {
	if c == '*' {
		return 0
	}
	return 1
}

// normalizeSpans gives spaces at the edges of emphasis the marks both
// neighbours share and trims the block's ends. The editor cannot see whether
// a space is bold, and a marker next to a space does not open or close, so
// without this FormatBody could not write every parsed body back.
func normalizeSpans(in []Span) []Span {
	pieces := splitEdgeSpaces(in)
	outer := outerMarks(pieces)
	for a := 0; a < len(pieces); {
		if !isSpacePiece(pieces[a]) {
			a++
			continue
		}
		b := a
		for b < len(pieces) && isSpacePiece(pieces[b]) {
			b++
		}
		var m marks
		if a > 0 && b < len(pieces) {
			m = outer[a-1] & outer[b]
		}
		for i := a; i < b; i++ {
			pieces[i] = withMarks(pieces[i], m)
		}
		a = b
	}
	return trimEdges(mergeSpans(pieces))
}

func splitEdgeSpaces(in []Span) []Span {
	out := make([]Span, 0, len(in))
	for _, sp := range in {
		if sp.Text == "" {
			continue
		}
		rest := strings.TrimLeftFunc(sp.Text, unicode.IsSpace)
		core := strings.TrimRightFunc(rest, unicode.IsSpace)
		if sp.Code || sp.Href != "" || core == "" {
			out = append(out, sp)
			continue
		}
		for _, t := range [3]string{sp.Text[:len(sp.Text)-len(rest)], core, rest[len(core):]} {
			if t != "" {
				sp.Text = t
				out = append(out, sp)
			}
		}
	}
	return out
}

func isSpacePiece(sp Span) bool {
	return !sp.Code && sp.Href == "" && strings.TrimSpace(sp.Text) == ""
}

// outerMarks is the emphasis seen from outside each span: for a link, the
// marks all its spans share, which FormatBody writes outside the brackets.
func outerMarks(spans []Span) []marks {
	out := make([]marks, len(spans))
	for i := 0; i < len(spans); {
		j := i + 1
		m := marksOf(spans[i])
		for spans[i].Href != "" && j < len(spans) && spans[j].Href == spans[i].Href {
			m &= marksOf(spans[j])
			j++
		}
		for k := i; k < j; k++ {
			out[k] = m
			if spans[k].Href == "" {
				out[k] = marksOf(spans[k])
			}
		}
		i = j
	}
	return out
}

func sameMarks(a, b Span) bool {
	return a.Bold == b.Bold && a.Italic == b.Italic && a.Code == b.Code && a.Href == b.Href
}

// mergeSpans joins neighbours with identical marks, building each joined
// text once so that thousands of literal markers stay linear.
func mergeSpans(in []Span) []Span {
	var out []Span
	for i := 0; i < len(in); {
		j := i + 1
		for j < len(in) && sameMarks(in[i], in[j]) {
			j++
		}
		sp := in[i]
		if j-i > 1 {
			var b strings.Builder
			for _, p := range in[i:j] {
				b.WriteString(p.Text)
			}
			sp.Text = b.String()
		}
		if sp.Text != "" {
			out = append(out, sp)
		}
		i = j
	}
	return out
}

func trimEdges(spans []Span) []Span {
	for len(spans) > 0 && isPlain(spans[0]) {
		if spans[0].Text = strings.TrimLeftFunc(spans[0].Text, unicode.IsSpace); spans[0].Text != "" {
			break
		}
		spans = spans[1:]
	}
	for n := len(spans); n > 0 && isPlain(spans[n-1]); n = len(spans) {
		if spans[n-1].Text = strings.TrimRightFunc(spans[n-1].Text, unicode.IsSpace); spans[n-1].Text != "" {
			break
		}
		spans = spans[:n-1]
	}
	return spans
}

func isPlain(sp Span) bool { return !sp.Code && sp.Href == "" }
