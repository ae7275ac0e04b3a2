package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkStoryList measures a full page of 100 ninjs documents from the
// demo, the heaviest public request of the API.
func BenchmarkStoryList(b *testing.B) {
	for b.Loop() {
		w := httptest.NewRecorder()
		demo.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/stories?limit=100", nil))
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkStoryShow measures one story.
func BenchmarkStoryShow(b *testing.B) {
	for b.Loop() {
		w := httptest.NewRecorder()
		demo.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/stories/1", nil))
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}
