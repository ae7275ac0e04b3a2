package wire_test

import (
	"strings"
	"testing"

	"dateline/internal/story"
	"dateline/internal/wire"
)

// FuzzDetectAndParse feeds arbitrary bytes to Parse, seeded with every
// shared wire and feed sample and this package's own samples, so the
// seeds run in every `go test`. Parse must not panic, and what it returns
// must hold: an error wraps ErrFormat; every news item is safe to store.
func FuzzDetectAndParse(f *testing.F) {
	for _, data := range sharedFiles(f) {
		f.Add(data)
	}
	for _, data := range ownSamples(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := wire.Parse(data)
		if err != nil {
			if !strings.Contains(err.Error(), wire.ErrFormat.Error()) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		for _, it := range b.Items {
			if it.SkipReason() == "" {
				checkSafe(t, "fuzz", it.Body)
			}
		}
	})
}

// FuzzHTMLToBlocks checks the converter's invariants on arbitrary markup:
// no empty block, no unsafe link, headings of level 2 or 3 only, and
// output that renders through the allow-list.
func FuzzHTMLToBlocks(f *testing.F) {
	for _, s := range []string{
		"<p>a <b>b</b> <a href='https://x.example'>c</a></p>",
		"<ul><li>one<ul><li>two</li></ul></li></ul><table><tr><td>x</td><td>y</td></tr></table>",
		"<blockquote><p>q</p><p>— who</p></blockquote><h1>h</h1><h4>h4</h4>",
		"<a href=javascript:alert(1)>x</a><img src=x onerror=alert(1)><script>bad()</script>",
	} {
		f.Add(s)
	}
	for _, data := range ownSamples(f) {
		f.Add(string(data))
	}
	f.Fuzz(func(t *testing.T, src string) {
		blocks := wire.HTMLToBlocks(src)
		checkSafe(t, src, blocks)
		for _, b := range blocks {
			if b.Type == story.BlockHeading && b.Level != 2 && b.Level != 3 {
				t.Fatalf("heading level %d", b.Level)
			}
		}
	})
}
