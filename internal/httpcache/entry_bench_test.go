package httpcache

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"
)

// storyPage is a story page as Dateline rendered it (bench/wrk.sh's, from
// a bench-data archive): 18 KB of HTML, so the compressors see the shape
// of a real page rather than a repeated line.
func storyPage(b *testing.B) []byte {
	page, err := os.ReadFile("testdata/story.html")
	if err != nil {
		b.Fatal(err)
	}
	return page
}

// BenchmarkNewEntry is what a page cache miss costs beyond its render:
// hashing the page and compressing it with gzip.
func BenchmarkNewEntry(b *testing.B) {
	page := storyPage(b)
	h := New(http.NotFoundHandler(), Options{Version: func(context.Context) (int64, error) { return 1, nil }})
	now := time.Now()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	var e *entry
	for b.Loop() {
		bw := newBufferWriter()
		bw.header.Set("Content-Type", "text/html; charset=utf-8")
		bw.body.Write(page)
		e = h.newEntry("/world/story", 1, now, bw)
		bw.release()
	}
	b.ReportMetric(float64(len(e.gz)), "gzip-bytes")
}

// BenchmarkBrotli is what the second reader of a page pays, once: its
// brotli form.
func BenchmarkBrotli(b *testing.B) {
	page := storyPage(b)
	h := New(http.NotFoundHandler(), Options{Version: func(context.Context) (int64, error) { return 1, nil }})
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	var v *variant
	for b.Loop() {
		e := &entry{key: "/world/story", plain: page, hash: "h"}
		e.sent.Store(true)
		v = h.brotli(e)
	}
	b.ReportMetric(float64(len(v.body)), "br-bytes")
}
