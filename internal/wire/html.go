package wire

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"

	"dateline/internal/story"
)

// maxDepth bounds how deep the converter follows nested elements; deeper
// content is dropped, so hostile nesting costs neither stack nor time.
const maxDepth = 64

// dropped are elements whose content is never story text: code, embedded
// objects, forms, and the metadata headers agencies repeat in the body
// (NITF's body.head, dpa's header with the slugline and headline).
var dropped = map[string]bool{
	"script": true, "style": true, "head": true, "title": true, "meta": true, "link": true,
	"noscript": true, "iframe": true, "object": true, "embed": true, "svg": true, "math": true,
	"template": true, "button": true, "input": true, "select": true, "textarea": true, "option": true,
	"form": true, "header": true, "nav": true, "img": true, "video": true, "audio": true,
	"canvas": true, "map": true, "frame": true, "frameset": true, "applet": true, "base": true,
	"body.head": true, "hedline": true, "media": true, "figure": true,
}

// HTMLToBlocks converts a body in HTML, XHTML or NITF into story blocks by
// an allow-list: paragraphs, h2/h3 headings, quotes, lists, links (only
// absolute http, https and mailto), bold, italic and code. Scripts, styles,
// event handlers and every other element are dropped, keeping their text
// where it is content; a table becomes one paragraph per row; empty
// paragraphs are dropped. It never fails: unreadable markup yields what
// text could be recovered.
func HTMLToBlocks(src string) []story.Block {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// The parser refuses hostile nesting; keep the text, not the tags.
		return tokenText(src)
	}
	c := &converter{}
	c.children(doc, 0)
	c.flush()
	return c.blocks
}

// TextToBlocks turns plain text into paragraphs, one per run of lines
// separated by a blank line (or per line when the text has no blank lines).
func TextToBlocks(src string) []story.Block {
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	sep := "\n\n"
	if !strings.Contains(src, sep) {
		sep = "\n"
	}
	var out []story.Block
	for _, p := range strings.Split(src, sep) {
		if t := collapse(p); t != "" {
			out = append(out, story.Block{Type: story.BlockParagraph, Spans: []story.Span{{Text: t}}})
		}
	}
	return out
}

type marks struct {
	bold, italic, code bool
	href               string
}

type converter struct {
	blocks []story.Block
	spans  []story.Span
	m      marks
}

func (c *converter) children(n *html.Node, depth int) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.node(ch, depth+1)
	}
}

func (c *converter) node(n *html.Node, depth int) {
	if depth > maxDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		c.text(n.Data)
		return
	case html.ElementNode:
	default:
		c.children(n, depth)
		return
	}
	name := strings.ToLower(n.Data)
	if dropped[name] {
		return
	}
	switch name {
	case "h1", "h2", "hl1", "hl2":
		c.heading(n, 2, depth)
	case "h3", "h4", "h5", "h6":
		c.heading(n, 3, depth)
	case "blockquote", "bq":
		c.quote(n, depth)
	case "ul", "ol":
		c.list(n, name == "ol", depth)
	case "tr":
		c.row(n, depth)
	case "br", "hr":
		c.flush()
	case "strong", "b":
		c.inline(n, depth, func(m *marks) { m.bold = true })
	case "em", "i":
		c.inline(n, depth, func(m *marks) { m.italic = true })
	case "code", "tt", "kbd", "samp":
		c.inline(n, depth, func(m *marks) { m.code = true })
	case "a":
		href := linkTarget(attr(n, "href"))
		c.inline(n, depth, func(m *marks) { m.href = href })
	default:
		if n.DataAtom != 0 && isInline(n.DataAtom) {
			c.children(n, depth)
			return
		}
		// Every other element is a block boundary whose text is kept.
		c.flush()
		c.children(n, depth)
		c.flush()
	}
}

func (c *converter) inline(n *html.Node, depth int, set func(*marks)) {
	saved := c.m
	set(&c.m)
	c.children(n, depth)
	c.m = saved
}

func (c *converter) text(s string) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if s == "" {
		return
	}
	sp := story.Span{Text: s, Bold: c.m.bold, Italic: c.m.italic, Code: c.m.code, Href: c.m.href}
	if k := len(c.spans) - 1; k >= 0 && sameMarks(c.spans[k], sp) {
		c.spans[k].Text += s
		return
	}
	c.spans = append(c.spans, sp)
}

// take returns the spans gathered since the last flush, whitespace
// collapsed and trimmed, or nil when they hold no text.
func (c *converter) take() []story.Span {
	spans := cleanSpans(c.spans)
	c.spans = nil
	return spans
}

func (c *converter) flush() {
	if spans := c.take(); spans != nil {
		c.blocks = append(c.blocks, story.Block{Type: story.BlockParagraph, Spans: spans})
	}
}

func (c *converter) heading(n *html.Node, level, depth int) {
	c.flush()
	c.children(n, depth)
	if spans := c.take(); spans != nil {
		c.blocks = append(c.blocks, story.Block{Type: story.BlockHeading, Level: level, Spans: spans})
	}
}

// quote gathers the whole blockquote, paragraphs included, into one quote
// block; a last paragraph starting with a dash is its attribution.
func (c *converter) quote(n *html.Node, depth int) {
	c.flush()
	sub := &converter{}
	sub.children(n, depth)
	sub.flush()
	var spans []story.Span
	attribution := ""
	for i, b := range sub.blocks {
		text := story.PlainText(b.Spans)
		last := i > 0 && i == len(sub.blocks)-1
		if last && (strings.HasPrefix(text, "—") || strings.HasPrefix(text, "– ") || strings.HasPrefix(text, "- ")) {
			attribution = strings.TrimSpace(strings.TrimLeft(text, "—–- "))
			continue
		}
		if len(spans) > 0 {
			spans = append(spans, story.Span{Text: " "})
		}
		spans = append(spans, b.Spans...)
		for _, it := range b.Items {
			spans = append(spans, story.Span{Text: " "})
			spans = append(spans, it...)
		}
	}
	if spans = cleanSpans(spans); spans != nil {
		c.blocks = append(c.blocks, story.Block{Type: story.BlockQuote, Spans: spans, Attribution: attribution})
	}
}

// list makes one list block of the items; a nested list's items are
// flattened into the text of the item that holds them.
func (c *converter) list(n *html.Node, ordered bool, depth int) {
	c.flush()
	var items [][]story.Span
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type != html.ElementNode || dropped[ch.Data] {
			continue
		}
		sub := &converter{m: c.m}
		sub.inlineOnly(ch, depth+1)
		if spans := sub.take(); spans != nil {
			items = append(items, spans)
		}
	}
	if len(items) > 0 {
		c.blocks = append(c.blocks, story.Block{Type: story.BlockList, Ordered: ordered, Items: items})
	}
}

// row turns a table row into one paragraph of its cells' text.
func (c *converter) row(n *html.Node, depth int) {
	c.flush()
	var cells []string
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type != html.ElementNode || (ch.Data != "td" && ch.Data != "th") {
			continue
		}
		sub := &converter{}
		sub.inlineOnly(ch, depth+1)
		if t := story.PlainText(sub.take()); t != "" {
			cells = append(cells, t)
		}
	}
	if len(cells) > 0 {
		c.blocks = append(c.blocks, story.Block{Type: story.BlockParagraph, Spans: []story.Span{{Text: strings.Join(cells, " · ")}}})
	}
}

// inlineOnly gathers the text of n and its descendants as spans, treating
// block boundaries inside as spaces.
func (c *converter) inlineOnly(n *html.Node, depth int) {
	sub := &converter{m: c.m}
	sub.children(n, depth)
	sub.flush()
	for i, b := range sub.blocks {
		if i > 0 {
			c.spans = append(c.spans, story.Span{Text: " "})
		}
		c.spans = append(c.spans, b.Spans...)
		for _, it := range b.Items {
			c.spans = append(c.spans, story.Span{Text: " "})
			c.spans = append(c.spans, it...)
		}
	}
}
