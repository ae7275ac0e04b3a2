package story

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseBody parses the editors' Markdown-like body syntax (DESIGN.md, "The
// content model") into blocks. It cannot fail: whatever it does not
// recognise stays as plain text, so an editor never loses words, and HTML
// in the source is text too, escaped by the templates like any other.
func ParseBody(src string) []Block {
	p := blockParser{lines: strings.Split(cleanSource(src), "\n")}
	p.parse()
	return p.out
}

// cleanSource normalises line endings and drops control characters, which
// no editor means to type and which break feeds (XML forbids most of them).
func cleanSource(src string) string {
	src = strings.ToValidUTF8(src, "\uFFFD")
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if isControl(r) || r == '\uFEFF' {
			return -1
		}
		return r
	}, src)
}

type lineKind uint8

const (
	lineText lineKind = iota
	lineDivider
	lineHeading
	lineQuote
	lineImage
	lineRelated
	lineList
)

// line is what one trimmed source line says on its own.
type line struct {
	kind    lineKind
	level   int    // heading
	rest    string // text after a heading, quote or list marker
	ordered bool   // list
	one     bool   // an ordered item numbered 1, which may interrupt a paragraph
	block   Block  // image, related
}

func classify(t string) line {
	switch {
	case t == "":
		return line{kind: lineText}
	case isDivider(t):
		return line{kind: lineDivider}
	case t[0] == '#':
		if l, ok := headingLine(t); ok {
			return l
		}
	case t[0] == '>':
		return line{kind: lineQuote, rest: strings.TrimSpace(t[1:])}
	case strings.HasPrefix(t, "!["):
		if b, ok := imageLine(t); ok {
			return line{kind: lineImage, block: b}
		}
	case strings.HasPrefix(t, "[["):
		if b, ok := relatedLine(t); ok {
			return line{kind: lineRelated, block: b}
		}
	}
	if l, ok := listLine(t); ok {
		return l
	}
	return line{kind: lineText}
}

func isDivider(t string) bool {
	if len(t) < 3 || !strings.ContainsRune("-*_", rune(t[0])) {
		return false
	}
	return strings.Count(t, t[:1]) == len(t)
}

// headingLine reads "## Title". A '#' must be followed by a space, so a
// hashtag at the start of a paragraph stays text.
func headingLine(t string) (line, bool) {
	n := runLen(t, 0, '#')
	if n < len(t) && !unicode.IsSpace(runeAt(t, n)) {
		return line{}, false
	}
	return line{kind: lineHeading, level: min(max(n, 2), 3), rest: strings.TrimSpace(t[n:])}, true
}

// listLine reads "- item", "* item", "1. item" or "1) item".
func listLine(t string) (line, bool) {
	n := 1
	ordered := t[0] >= '0' && t[0] <= '9'
	if ordered {
		n = len(t) - len(strings.TrimLeft(t, "0123456789"))
		if n > 9 || n >= len(t) || (t[n] != '.' && t[n] != ')') {
			return line{}, false
		}
		n++
	} else if t[0] != '-' && t[0] != '*' {
		return line{}, false
	}
	if n >= len(t) || !unicode.IsSpace(runeAt(t, n)) {
		return line{}, false
	}
	num, _ := strconv.Atoi(t[:n-1])
	return line{kind: lineList, rest: strings.TrimSpace(t[n:]), ordered: ordered, one: num == 1}, true
}

// imageLine reads ![alt](media:REF "caption | credit"), the whole line.
func imageLine(t string) (Block, bool) {
	end := closeBracket(t, 2)
	const mid = "](media:"
	if end < 0 || !strings.HasPrefix(t[end:], mid) || !strings.HasSuffix(t, ")") {
		return Block{}, false
	}
	body := t[end+len(mid) : len(t)-1]
	ref, title := body, ""
	if k := strings.IndexFunc(body, func(r rune) bool { return r == '"' || unicode.IsSpace(r) }); k >= 0 {
		ref, title = body[:k], strings.TrimSpace(body[k:])
		if title != "" {
			if len(title) < 2 || title[0] != '"' || title[len(title)-1] != '"' {
				return Block{}, false
			}
			title = title[1 : len(title)-1]
		}
	}
	img, ok := mediaRef(ref)
	if !ok {
		return Block{}, false
	}
	img.Alt = strings.TrimSpace(unescape(t[2:end]))
	img.Caption, img.Credit = splitCaption(title)
	return Block{Type: BlockImage, Image: img}, true
}

// closeBracket finds the first unescaped ']' from i.
func closeBracket(t string, i int) int {
	for ; i < len(t); i++ {
		switch t[i] {
		case '\\':
			if i+1 < len(t) && isASCIIPunct(t[i+1]) {
				i++
			}
		case ']':
			return i
		}
	}
	return -1
}

func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// mediaRef reads a media id, or a name the demo loader resolves later. Both
// forms round-trip: only what is not a positive id becomes a name.
func mediaRef(ref string) (*Image, bool) {
	if id, ok := positiveID(ref); ok {
		return &Image{MediaID: id}, true
	}
	if !validRefName(ref) {
		return nil, false
	}
	return &Image{Hash: "name:" + ref}, true
}

// splitCaption splits "caption | credit" at the last bar: captions may
// contain one, credits do not.
func splitCaption(title string) (caption, credit string) {
	if i := strings.LastIndexByte(title, '|'); i >= 0 {
		return strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+1:])
	}
	return strings.TrimSpace(title), ""
}

// relatedLine reads [[related:ID]] or [[related:key]].
func relatedLine(t string) (Block, bool) {
	const prefix = "[[related:"
	if len(t) < len(prefix)+3 || !strings.EqualFold(t[:len(prefix)], prefix) || !strings.HasSuffix(t, "]]") {
		return Block{}, false
	}
	ref := strings.TrimSpace(t[len(prefix) : len(t)-2])
	if id, ok := positiveID(ref); ok {
		return Block{Type: BlockRelated, StoryID: id}, true
	}
	if !validRefName(ref) {
		return Block{}, false
	}
	return Block{Type: BlockRelated, URL: "key:" + ref}, true
}

// positiveID parses a decimal id; leading zeros are allowed here because an
// editor typing media:007 means 7.
func positiveID(s string) (int64, bool) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

func validRefName(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// isEmbedURL reports whether a paragraph that is only this line is an embed.
func isEmbedURL(s string) bool {
	lower := strings.ToLower(s)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		return false
	}
	if len(s) > maxURL || strings.ContainsFunc(s, badURLRune) || !utf8.ValidString(s) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != ""
}

type blockParser struct {
	lines []string
	i     int
	out   []Block
}

func (p *blockParser) parse() {
	for p.i < len(p.lines) {
		t := strings.TrimSpace(p.lines[p.i])
		if t == "" {
			p.i++
			continue
		}
		switch l := classify(t); l.kind {
		case lineDivider:
			p.i++
			p.out = append(p.out, Block{Type: BlockDivider})
		case lineHeading:
			p.i++
			p.addSpans(Block{Type: BlockHeading, Level: l.level}, l.rest)
		case lineImage, lineRelated:
			p.i++
			p.out = append(p.out, l.block)
		case lineQuote:
			p.quote()
		case lineList:
			p.list(l)
		default:
			p.paragraph()
		}
	}
}

func (p *blockParser) addSpans(b Block, text string) {
	if b.Spans = parseInline(text); len(b.Spans) > 0 {
		p.out = append(p.out, b)
	}
}

// paragraph collects lines until a blank one or one that starts another
// block. An ordered item interrupts only when numbered 1, so a wrapped line
// that happens to start "2024. " stays in its paragraph.
func (p *blockParser) paragraph() {
	var parts []string
	for start := p.i; p.i < len(p.lines); p.i++ {
		t := strings.TrimSpace(p.lines[p.i])
		if t == "" {
			break
		}
		if l := classify(t); p.i > start && l.kind != lineText && (l.kind != lineList || !l.ordered || l.one) {
			break
		}
		parts = append(parts, t)
	}
	if len(parts) == 1 && isEmbedURL(parts[0]) {
		p.out = append(p.out, Block{Type: BlockEmbed, URL: parts[0]})
		return
	}
	p.addSpans(Block{Type: BlockParagraph}, strings.Join(parts, " "))
}

func (p *blockParser) quote() {
	var parts []string
	for ; p.i < len(p.lines); p.i++ {
		t := strings.TrimSpace(p.lines[p.i])
		if !strings.HasPrefix(t, ">") {
			break
		}
		if rest := strings.TrimSpace(t[1:]); rest != "" {
			parts = append(parts, rest)
		}
	}
	text, attribution := splitAttribution(parts)
	b := Block{Type: BlockQuote, Spans: parseInline(text), Attribution: attribution}
	if len(b.Spans) == 0 {
		// Nothing left but the attribution: keep its words as the quote.
		b.Spans, b.Attribution = parseInline(strings.Join(parts, " ")), ""
	}
	if len(b.Spans) > 0 {
		p.out = append(p.out, b)
	}
}

// splitAttribution takes the last line of a quote of two or more lines as
// its attribution when it starts with a dash and a space.
func splitAttribution(parts []string) (text, attribution string) {
	n := len(parts)
	if n >= 2 {
		if rest, ok := cutDash(parts[n-1]); ok {
			if a := strings.TrimSpace(PlainText(parseInline(rest))); a != "" {
				return strings.Join(parts[:n-1], " "), a
			}
		}
	}
	return strings.Join(parts, " "), ""
}

func cutDash(s string) (string, bool) {
	for _, d := range []string{"—", "–", "--", "-"} {
		if rest, ok := strings.CutPrefix(s, d); ok && rest != "" && unicode.IsSpace(runeAt(rest, 0)) {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

// list collects items; a line indented under an item continues it, and an
// indented item of the other kind joins the list, since nesting is not kept.
func (p *blockParser) list(first line) {
	b := Block{Type: BlockList, Ordered: first.ordered}
	items := []string{first.rest}
	for p.i++; p.i < len(p.lines); p.i++ {
		raw := p.lines[p.i]
		t := strings.TrimSpace(raw)
		if t == "" {
			break
		}
		indented := raw[0] == ' ' || raw[0] == '\t'
		if l := classify(t); l.kind == lineList && (indented || l.ordered == b.Ordered) {
			items = append(items, l.rest)
		} else if indented {
			items[len(items)-1] += " " + t
		} else {
			break
		}
	}
	for _, it := range items {
		if spans := parseInline(it); len(spans) > 0 {
			b.Items = append(b.Items, spans)
		}
	}
	if len(b.Items) > 0 {
		p.out = append(p.out, b)
	}
}
