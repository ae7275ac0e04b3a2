package story

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The inline syntax (bold, italic, code, links) is resolved in three steps:
// a lexer finds code spans, escapes, links and runs of emphasis markers; a
// resolver turns the runs into bold and italic toggles; normalizeSpans then
// puts the spans into the one canonical form FormatBody can write back.

// maxURL bounds a link target: a longer one is not a link.
const maxURL = 4096

// maxPasses bounds how often emphasis is resolved again after an opener
// turned out to have no closer; past it every marker of the text is literal.
const maxPasses = 8

// marks are the emphasis flags of a span; links and code are kept apart
// because their syntax brackets the text instead of toggling around it.
type marks uint8

const (
	markBold marks = 1 << iota
	markItalic
)

func marksOf(sp Span) marks {
	var m marks
	if sp.Bold {
		m |= markBold
	}
	if sp.Italic {
		m |= markItalic
	}
	return m
}

func withMarks(sp Span, m marks) Span {
	sp.Bold, sp.Italic = m&markBold != 0, m&markItalic != 0
	return sp
}

type tokenKind uint8

const (
	tokText tokenKind = iota
	tokCode
	tokLink
	tokDelim
)

type token struct {
	kind        tokenKind
	text        string // literal text, code content or the raw text of a link
	href        string // link target; "" when it was dropped as unsafe
	ch          byte   // delimiter character, '*' or '_'
	n           int    // length of the delimiter run
	left, right bool   // whether the run may open or close emphasis
}

// scope is the context a text is resolved in: the top of a block, or the
// text of a link, which inherits emphasis it cannot close and has no links.
type scope struct {
	inherit marks
	href    string
	inLink  bool
}

// parseInline turns one block's text into canonical spans.
func parseInline(s string) []Span {
	return normalizeSpans(parseScope(s, scope{}))
}

func parseScope(s string, sc scope) []Span {
	lx := &lexer{s: s}
	return resolve(lx.tokens(!sc.inLink), sc)
}

type itemKind uint8

const (
	itemByte itemKind = iota
	itemEscape
	itemCode
	itemTicks // a run of backticks that closes nowhere: literal
)

type item struct {
	kind itemKind
	end  int
	code string
}

// lexer walks a text item by item. Code spans and escapes bind tighter than
// anything else, so both walks over a text (structure and tokens) go through
// next and see them the same way.
type lexer struct {
	s      string
	closer map[int]int // backtick run start → its closing run, or -1
}

func (lx *lexer) next(i int) item {
	s := lx.s
	switch s[i] {
	case '\\':
		if i+1 < len(s) && isASCIIPunct(s[i+1]) {
			return item{kind: itemEscape, end: i + 2}
		}
	case '`':
		n := runLen(s, i, '`')
		if j := lx.codeCloser(i, n); j >= 0 {
			return item{kind: itemCode, end: j + n, code: codeContent(s[i+n : j])}
		}
		return item{kind: itemTicks, end: i + n}
	}
	return item{kind: itemByte, end: i + 1}
}

// codeCloser finds the run of exactly n backticks that closes the run at i.
// Results are remembered because several walks ask about the same run.
func (lx *lexer) codeCloser(i, n int) int {
	if j, ok := lx.closer[i]; ok {
		return j
	}
	if lx.closer == nil {
		lx.closer = make(map[int]int)
	}
	s, found := lx.s, -1
	for j := i + n; j < len(s); {
		k := strings.IndexByte(s[j:], '`')
		if k < 0 {
			break
		}
		j += k
		m := runLen(s, j, '`')
		if m == n {
			found = j
			break
		}
		j += m
	}
	lx.closer[i] = found
	return found
}

// codeContent strips one space on each side, as CommonMark does, so that
// padding lets a code span start or end with a backtick.
func codeContent(c string) string {
	if len(c) >= 2 && c[0] == ' ' && c[len(c)-1] == ' ' && strings.Trim(c, " ") != "" {
		return c[1 : len(c)-1]
	}
	return c
}

// tokenizer collects tokens, gathering literal text until something else
// comes.
type tokenizer struct {
	toks []token
	buf  []byte
}

func (tz *tokenizer) text(t string) { tz.buf = append(tz.buf, t...) }

func (tz *tokenizer) flush() {
	if len(tz.buf) > 0 {
		tz.toks = append(tz.toks, token{kind: tokText, text: string(tz.buf)})
		tz.buf = tz.buf[:0]
	}
}

func (tz *tokenizer) add(t token) {
	tz.flush()
	tz.toks = append(tz.toks, t)
}

func (lx *lexer) tokens(links bool) []token {
	var tz tokenizer
	var st structure
	if links {
		st = lx.structure()
	}
	s := lx.s
	prevBang := false
	for i := 0; i < len(s); {
		it := lx.next(i)
		switch {
		case it.kind == itemEscape:
			tz.text(s[i+1 : i+2])
		case it.kind == itemTicks:
			tz.text(s[i:it.end])
		case it.kind == itemCode:
			tz.add(token{kind: tokCode, text: it.code})
		case s[i] == '*' || s[i] == '_':
			t := lx.delim(i)
			tz.add(t)
			it.end = i + t.n
		case s[i] == '[' && links && !prevBang:
			if t, end, ok := lx.link(i, st); ok {
				tz.add(t)
				it.end = end
			} else {
				tz.text("[")
			}
		default:
			tz.text(s[i : i+1])
		}
		// "![" is image syntax, which only a line of its own may use.
		prevBang = it.kind == itemByte && s[i] == '!'
		i = it.end
	}
	tz.flush()
	return tz.toks
}

// structure is what the whole text says about links, found in one walk so
// that reading a link never rescans the rest of the paragraph.
type structure struct {
	brackets map[int]int // '[' → its ']'
	parens   map[int]int // '(' → its ')'
	code     []int       // where code spans start, in order
}

func (lx *lexer) structure() structure {
	st := structure{brackets: map[int]int{}, parens: map[int]int{}}
	var squares, rounds []int
	for i := 0; i < len(lx.s); {
		it := lx.next(i)
		switch {
		case it.kind == itemCode:
			st.code = append(st.code, i)
		case it.kind != itemByte:
		case lx.s[i] == '[':
			squares = append(squares, i)
		case lx.s[i] == '(':
			rounds = append(rounds, i)
		case lx.s[i] == ']':
			squares = pop(squares, i, st.brackets)
		case lx.s[i] == ')':
			rounds = pop(rounds, i, st.parens)
		}
		i = it.end
	}
	return st
}

func pop(stack []int, i int, pairs map[int]int) []int {
	if n := len(stack); n > 0 {
		pairs[stack[n-1]] = i
		return stack[:n-1]
	}
	return stack
}

func (lx *lexer) delim(i int) token {
	s := lx.s
	c := s[i]
	n := runLen(s, i, c)
	before, after := runeBefore(s, i), runeAt(s, i+n)
	// Unlike CommonMark, only spaces decide whether a run opens or closes,
	// not punctuation: editors can predict it, and FormatBody relies on it.
	t := token{kind: tokDelim, ch: c, n: n, left: !unicode.IsSpace(after), right: !unicode.IsSpace(before)}
	if c == '_' {
		// snake_case and URLs: '_' inside a word never emphasises.
		t.left = t.left && !isWordRune(before)
		t.right = t.right && !isWordRune(after)
	}
	return t
}

// link reads [text](target) at i. The text must not be empty; an unsafe
// target still makes a link token, whose text is then kept without the
// link. The target may hold balanced parentheses (Wikipedia URLs do) but no
// code span, which binds tighter than the link.
func (lx *lexer) link(i int, st structure) (token, int, bool) {
	s := lx.s
	j, ok := st.brackets[i]
	if !ok || j == i+1 || j+1 >= len(s) || s[j+1] != '(' {
		return token{}, 0, false
	}
	k, ok := st.parens[j+1]
	if !ok || k-(j+2) > maxURL {
		return token{}, 0, false
	}
	if c, _ := slices.BinarySearch(st.code, j+2); c < len(st.code) && st.code[c] < k {
		return token{}, 0, false
	}
	return token{kind: tokLink, text: s[i+1 : j], href: SafeURL(s[j+2 : k])}, k + 1, true
}

// SafeURL returns a link target trimmed, or "" when it may not be linked:
// only http, https, mailto and site-relative (one leading '/') targets are.
// Anything odd inside (whitespace, controls, backslashes, quotes) rejects
// the target rather than being cleaned, because browsers clean such URLs in
// ways that can turn "java\tscript:" back into a script.
func SafeURL(raw string) string {
	h := strings.TrimSpace(raw)
	if h == "" || len(h) > maxURL || strings.ContainsFunc(h, badURLRune) || !balancedParens(h) {
		return ""
	}
	if i := strings.IndexAny(h, ":/?#"); i >= 0 && h[i] == ':' {
		switch strings.ToLower(h[:i]) {
		case "http", "https", "mailto":
			return h
		}
		return ""
	}
	if h[0] == '/' && (len(h) == 1 || h[1] != '/') {
		return h
	}
	return ""
}

func badURLRune(r rune) bool {
	return unicode.IsSpace(r) || isControl(r) || strings.ContainsRune("\\`\"<>", r)
}

func balancedParens(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

func runLen(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// runeBefore and runeAt treat the edges of the text as spaces, so a marker at
// the start can open and one at the end can close.
func runeBefore(s string, i int) rune {
	if i == 0 {
		return ' '
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

func runeAt(s string, i int) rune {
	if i >= len(s) {
		return ' '
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 }
