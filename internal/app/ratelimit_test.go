package app_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/testutil"
)

// TestRateLimits drives search and the content API past their limits
// through the whole handler (page cache included) and checks the 429s:
// the site's own page for search, the API's JSON error, Retry-After on
// both, and that other clients, other keys and other pages are untouched.
func TestRateLimits(t *testing.T) {
	s, err := testutil.NewSite(t.TempDir(), map[string]string{
		"DATELINE_SEARCH_RATE_LIMIT": "30", "DATELINE_API_RATE_LIMIT": "120",
		"DATELINE_TRUSTED_PROXIES": "192.0.2.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Store.Close()
	get := func(path, client, authz string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.RemoteAddr = "192.0.2.1:5555" // the trusted proxy
		r.Header.Set("X-Forwarded-For", client)
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		w := httptest.NewRecorder()
		s.Handler.ServeHTTP(w, r)
		return w
	}

	t.Run("search", func(t *testing.T) {
		// The same query every time: cached answers count too.
		for i := range 20 {
			if w := get("/search?q=harbour", "198.51.100.7", ""); w.Code != http.StatusOK {
				t.Fatalf("search %d of the burst: %d", i+1, w.Code)
			}
		}
		w := get("/search?q=harbour", "198.51.100.7", "")
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" {
			t.Fatalf("search past the burst: %d, Retry-After %q; want 429, 2", w.Code, w.Header().Get("Retry-After"))
		}
		body := w.Body.String()
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || !strings.Contains(body, "Too many requests") ||
			!strings.Contains(body, "<html") || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("429 search page: %q %q %.300s", w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"), body)
		}
		if bad := testutil.UnsafeHTML(body); len(bad) > 0 {
			t.Errorf("429 page unsafe: %v", bad)
		}
		if w := get("/search?q=harbour", "198.51.100.8", ""); w.Code != http.StatusOK {
			t.Errorf("another reader's search: %d", w.Code)
		}
		if w := get("/", "198.51.100.7", ""); w.Code != http.StatusOK {
			t.Errorf("the front page for the limited reader: %d", w.Code)
		}
	})

	t.Run("api by address", func(t *testing.T) {
		for i := range 60 {
			if w := get("/api/v1/stories", "203.0.113.5", ""); w.Code != http.StatusOK {
				t.Fatalf("API request %d of the burst: %d %s", i+1, w.Code, w.Body)
			}
		}
		w := get("/api/v1/sections", "203.0.113.5", "")
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
			t.Fatalf("API past the burst: %d, Retry-After %q; want 429, 1", w.Code, w.Header().Get("Retry-After"))
		}
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code != "rate_limited" || e.Error.Message == "" {
			t.Errorf("API 429 body: %v %s", err, w.Body)
		}
		if w := get("/api/v1/stories", "203.0.113.6", ""); w.Code != http.StatusOK {
			t.Errorf("another client: %d", w.Code)
		}
	})

	t.Run("api by key", func(t *testing.T) {
		key, hash, err := auth.NewAPIKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Store.CreateAPIKey(context.Background(), store.APIKey{Name: "partner", Hash: hash}); err != nil {
			t.Fatal(err)
		}
		// The address 203.0.113.5 is spent; its key has its own bucket.
		for i := range 60 {
			if w := get("/api/v1/stories", "203.0.113.5", "Bearer "+key); w.Code != http.StatusOK {
				t.Fatalf("keyed request %d: %d %s", i+1, w.Code, w.Body)
			}
		}
		if w := get("/api/v1/stories", "203.0.113.99", "Bearer "+key); w.Code != http.StatusTooManyRequests {
			t.Errorf("the key's 61st request, from another address: %d, want 429", w.Code)
		}
		// Made-up keys cannot dodge the limit: ten refusals a minute per address.
		for i := range 10 {
			fake, _, _ := auth.NewAPIKey(rand.Reader)
			if w := get("/api/v1/stories", "203.0.113.50", "Bearer "+fake); w.Code != http.StatusUnauthorized {
				t.Fatalf("made-up key %d: %d, want 401", i+1, w.Code)
			}
		}
		fake, _, _ := auth.NewAPIKey(rand.Reader)
		if w := get("/api/v1/stories", "203.0.113.50", "Bearer "+fake); w.Code != http.StatusTooManyRequests {
			t.Errorf("11th made-up key: %d, want 429", w.Code)
		}
		if w := get("/api/v1/stories", "203.0.113.50", ""); w.Code != http.StatusOK {
			t.Errorf("that address without a key: %d, want 200", w.Code)
		}
	})
}
