package site_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"dateline/internal/app"
	"dateline/internal/story"
)

// uncached is the demo site's handler with the page cache off: what a
// request costs when the page has to be rendered.
var uncached = sync.OnceValue(func() http.Handler {
	cfg := *demo.Config
	cfg.PageCacheMB = 0
	h, err := app.Handler(&cfg, demo.Store, demo.Media, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		panic(err)
	}
	return h
})

func benchGet(b *testing.B, h http.Handler, path string) {
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.Header.Set("Accept-Encoding", "gzip")
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

func benchStory(b *testing.B) string {
	return find(b, "staff", func(s *story.Story) bool { return len(s.Bylines) > 0 && hasBlock(s, story.BlockQuote) }).Path()
}

// BenchmarkStoryPage serves a full story page through the real handler and
// store, rendered for every request.
func BenchmarkStoryPage(b *testing.B) { benchGet(b, uncached(), benchStory(b)) }

// BenchmarkStoryPageCached serves it from the page cache.
func BenchmarkStoryPageCached(b *testing.B) { benchGet(b, demo.Handler, benchStory(b)) }

// BenchmarkFrontPage and BenchmarkFrontPageCached do the same for the front.
func BenchmarkFrontPage(b *testing.B)       { benchGet(b, uncached(), "/") }
func BenchmarkFrontPageCached(b *testing.B) { benchGet(b, demo.Handler, "/") }

// BenchmarkStaticFile is the yardstick for the page cache: the same story
// page, compressed, served by the standard library's file server.
func BenchmarkStaticFile(b *testing.B) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, benchStory(b), nil)
	r.Header.Set("Accept-Encoding", "gzip")
	demo.Handler.ServeHTTP(w, r)
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "page.html.gz"), w.Body.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	benchGet(b, http.FileServer(http.Dir(dir)), "/page.html.gz")
}
