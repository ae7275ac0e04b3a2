package wire

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"dateline/internal/story"
)

// tokenText recovers the text of markup the parser refused: text outside
// dropped elements, a paragraph at each block boundary.
func tokenText(src string) []story.Block {
	z := html.NewTokenizer(strings.NewReader(src))
	c := &converter{}
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			c.flush()
			return c.blocks
		case html.TextToken:
			if skip == 0 {
				c.text(string(z.Text()))
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			if dropped[string(name)] && !voidElement(string(name)) {
				skip++
			} else if !isInline(atom.Lookup(name)) {
				c.flush()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if dropped[string(name)] && !voidElement(string(name)) && skip > 0 {
				skip--
			} else if !isInline(atom.Lookup(name)) {
				c.flush()
			}
		}
	}
}

func voidElement(name string) bool {
	switch name {
	case "img", "meta", "link", "input", "embed", "base", "br", "hr":
		return true
	}
	return false
}
