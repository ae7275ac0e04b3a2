package bodyhtml_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"dateline/internal/bodyhtml"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// allowedTags are the elements a story body may become.
var allowedTags = map[string]bool{"p": true, "strong": true, "em": true, "a": true, "code": true, "h2": true, "h3": true,
	"blockquote": true, "footer": true, "ul": true, "ol": true, "li": true, "hr": true, "figure": true, "img": true,
	"figcaption": true, "small": true}

// FuzzRender parses any body text and renders it, with a hostile image
// block and related story beside it. Invariants: nothing in the fragment
// can run a script (testutil.UnsafeHTML: no on… attribute, no
// javascript: URL, no forbidden element), only the body's own elements
// appear, and every link is http(s).
func FuzzRender(f *testing.F) {
	seeds := []string{"", "Plain **bold** *em* `code` [link](https://example.org/)", "[x](javascript:alert(1))",
		"[x](JaVaScRiPt:alert(1))", "[x]( javascript:alert(1))", "[x](java\tscript:alert(1))", "[x](data:text/html,<script>)",
		"[x](vbscript:msgbox)", "<p onclick=\"alert(1)\">text</p>", "<img src=x onerror=alert(1)>", "https://example.org/\"onmouseover=\"x",
		"![alt\" onerror=\"x](media:1 \"cap | credit\")", "> quote\n> — <script>x</script>", "## <svg onload=alert(1)>",
		"[[related:1]]", "- [a](javascript:x)\n- b", "`<script>`", "[a](//evil.example/)", "[a](/relative \"t\")",
		"[a](https://example.org/\" onfocus=\"x)", "&#106;avascript:alert(1)", "[a](&#106;avascript:alert(1))",
	}
	payloads, err := testutil.XSSPayloads()
	if err != nil {
		f.Fatal(err)
	}
	// A sample of the corpus keeps every test run quick; fuzzing mutates
	// from there.
	for i := 0; i < len(payloads); i += 12 {
		seeds = append(seeds, payloads[i], "[link]("+payloads[i]+")")
	}
	for _, s := range seeds {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, src, extra string) {
		body := story.ParseBody(src)
		body = append(body, story.Block{Type: story.BlockImage, Image: &story.Image{Hash: "abc", Width: 800, Height: 600,
			Alt: extra, Caption: extra, Credit: extra}}, story.Block{Type: story.BlockRelated, StoryID: 7})
		out := bodyhtml.Render(body, bodyhtml.Options{BaseURL: "https://news.example", RelatedLabel: extra,
			Related: func(id int64) (bodyhtml.Link, bool) { return bodyhtml.Link{Title: extra, Path: "/world/x-7"}, true }})
		if bad := testutil.UnsafeHTML(out); len(bad) > 0 {
			t.Fatalf("unsafe output %v from %q:\n%s", bad, src, out)
		}
		z := html.NewTokenizer(strings.NewReader(out))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				return
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			if !allowedTags[tok.Data] {
				t.Fatalf("element <%s> from %q:\n%s", tok.Data, src, out)
			}
			for _, a := range tok.Attr {
				if a.Key == "href" && !strings.HasPrefix(a.Val, "https://") && !strings.HasPrefix(a.Val, "http://") {
					t.Fatalf("link %q from %q", a.Val, src)
				}
			}
		}
	})
}
