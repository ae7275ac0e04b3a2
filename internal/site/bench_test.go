package site_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"dateline/internal/story"
)

// BenchmarkStoryPage serves a full story page through the real handler and
// store: the uncached cost of a reader's request.
func BenchmarkStoryPage(b *testing.B) {
	s := find(b, "staff", func(s *story.Story) bool { return len(s.Bylines) > 0 && hasBlock(s, story.BlockQuote) })
	path := s.Path()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		demo.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkFrontPage serves the front page the same way.
func BenchmarkFrontPage(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		demo.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}
