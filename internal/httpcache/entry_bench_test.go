package httpcache

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// BenchmarkNewEntry is what a page cache miss costs beyond its render:
// hashing the page and compressing it with gzip and brotli, for a page
// the size of a story (18 KB of HTML).
func BenchmarkNewEntry(b *testing.B) {
	var page strings.Builder
	for i := 0; page.Len() < 18<<10; i++ {
		fmt.Fprintf(&page, "<p class=\"para\">Paragraph %d of the story: officials said on day %d that %d people had been counted.</p>\n", i, i*7%31, i*1013%997)
	}
	h := New(http.NotFoundHandler(), Options{Version: func(context.Context) (int64, error) { return 1, nil }})
	now := time.Now()
	b.SetBytes(int64(page.Len()))
	b.ReportAllocs()
	for b.Loop() {
		bw := newBufferWriter()
		bw.header.Set("Content-Type", "text/html; charset=utf-8")
		bw.body.WriteString(page.String())
		h.newEntry("/world/story", 1, now, bw)
		bw.release()
	}
}
