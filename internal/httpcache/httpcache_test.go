package httpcache_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"dateline/internal/httpcache"
	"dateline/internal/store"
	"dateline/internal/testutil"
)

func get(h http.Handler, method, path string, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestConditionalGET(t *testing.T) {
	body := "first"
	now := time.Date(2026, 11, 29, 10, 0, 0, 500, time.UTC)
	h := httpcache.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(body))
	}), httpcache.Options{Now: func() time.Time { return now }})

	first := get(h, "GET", "/world", nil)
	etag, lm := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
	if first.Code != 200 || first.Body.String() != "first" || etag == "" || lm != "Sun, 29 Nov 2026 10:00:00 GMT" {
		t.Fatalf("first answer %d %q etag %q last-modified %q", first.Code, first.Body.String(), etag, lm)
	}
	if cc := first.Header().Get("Cache-Control"); cc != httpcache.PagePolicy {
		t.Errorf("Cache-Control %q, want %q", cc, httpcache.PagePolicy)
	}
	now = now.Add(time.Hour)
	for _, tc := range []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"same etag", map[string]string{"If-None-Match": etag}, 304},
		{"etag in a list, weak form", map[string]string{"If-None-Match": `"x", W/` + etag}, 304},
		{"star", map[string]string{"If-None-Match": "*"}, 304},
		{"other etag", map[string]string{"If-None-Match": `"other"`}, 200},
		{"other etag wins over a fresh date", map[string]string{"If-None-Match": `"other"`, "If-Modified-Since": lm}, 200},
		{"not modified since", map[string]string{"If-Modified-Since": lm}, 304},
		{"modified since an earlier date", map[string]string{"If-Modified-Since": "Sun, 29 Nov 2026 09:59:59 GMT"}, 200},
		{"bad date", map[string]string{"If-Modified-Since": "yesterday"}, 200},
	} {
		w := get(h, "GET", "/world", tc.hdr)
		if w.Code != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, w.Code, tc.want)
		}
		if tc.want == 304 && (w.Body.Len() != 0 || w.Header().Get("ETag") != etag || w.Header().Get("Content-Type") != "") {
			t.Errorf("%s: 304 with body %q, etag %q, type %q", tc.name, w.Body.String(), w.Header().Get("ETag"), w.Header().Get("Content-Type"))
		}
	}
	head := get(h, "HEAD", "/world", nil)
	if head.Header().Get("ETag") != etag || head.Body.Len() != 0 {
		t.Errorf("HEAD etag %q body %q; want the GET's etag and no body", head.Header().Get("ETag"), head.Body.String())
	}

	// A change of content is a new ETag and a new Last-Modified at once.
	body = "second"
	w := get(h, "GET", "/world", map[string]string{"If-None-Match": etag, "If-Modified-Since": lm})
	if w.Code != 200 || w.Body.String() != "second" || w.Header().Get("ETag") == etag ||
		w.Header().Get("Last-Modified") != "Sun, 29 Nov 2026 11:00:00 GMT" {
		t.Errorf("after a change: %d %q etag %q last-modified %q", w.Code, w.Body.String(), w.Header().Get("ETag"), w.Header().Get("Last-Modified"))
	}
}

func TestLeftAlone(t *testing.T) {
	calls := 0
	h := httpcache.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		switch r.URL.Path {
		case "/cookie":
			http.SetCookie(w, &http.Cookie{Name: "s", Value: "1"})
		case "/private":
			w.Header().Set("Cache-Control", "no-store")
		case "/missing":
			w.WriteHeader(http.StatusNotFound)
		}
		w.Write([]byte("x"))
	}), httpcache.Options{})
	for _, p := range []string{"/newsroom/", "/static/site.css", "/media/abc/320.jpg", "/healthz", "/cookie", "/private"} {
		if w := get(h, "GET", p, nil); w.Header().Get("ETag") != "" {
			t.Errorf("%s got an ETag", p)
		}
	}
	if w := get(h, "GET", "/api/v1/stories", map[string]string{"Authorization": "Bearer k"}); w.Header().Get("ETag") != "" || w.Header().Get("Cache-Control") != "" {
		t.Errorf("a keyed API request got shared-cache headers: %v", w.Header())
	}
	if w := get(h, "GET", "/missing", nil); w.Code != 404 || w.Header().Get("Cache-Control") != "public, max-age=0, s-maxage=10" {
		t.Errorf("404: %d %q", w.Code, w.Header().Get("Cache-Control"))
	}
	post := httptest.NewRequest("POST", "/contact", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, post)
	if w.Header().Get("ETag") != "" {
		t.Error("a POST got an ETag")
	}
	for path, want := range map[string]string{"/rss.xml": httpcache.FeedPolicy, "/world/atom.xml": httpcache.FeedPolicy,
		"/sitemap.xml": httpcache.SitemapPolicy, "/sitemap-news.xml": httpcache.SitemapPolicy, "/api/v1/stories": httpcache.APIPolicy} {
		w := get(h, "GET", path, nil)
		if w.Header().Get("Cache-Control") != want {
			t.Errorf("%s: Cache-Control %q, want %q", path, w.Header().Get("Cache-Control"), want)
		}
		if api := strings.HasPrefix(path, "/api/"); api != strings.Contains(w.Header().Get("Vary"), "Authorization") {
			t.Errorf("%s: Vary %q", path, w.Header().Get("Vary"))
		}
	}
}

// TestStoryChange runs the real site: a story page answers 304 to its own
// ETag until the story is edited, then 200 with a new one.
func TestStoryChange(t *testing.T) {
	dir := t.TempDir()
	s, err := testutil.NewDemoSite(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); os.RemoveAll(dir) })
	ctx := context.Background()
	list, err := s.Store.ListStories(ctx, store.ListQuery{Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	st, err := s.Store.Story(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	gz := map[string]string{"Accept-Encoding": "gzip"}
	first := get(s.Handler, "GET", st.Path(), gz)
	etag := first.Header().Get("ETag")
	if first.Code != 200 || etag == "" {
		t.Fatalf("story page %d etag %q", first.Code, etag)
	}
	plain := get(s.Handler, "GET", st.Path(), nil)
	if plain.Header().Get("ETag") == etag {
		t.Error("the gzip and identity answers share an ETag")
	}
	if w := get(s.Handler, "GET", st.Path(), map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etag}); w.Code != 304 {
		t.Fatalf("unchanged story: %d, want 304", w.Code)
	}
	st.Headline = "A headline changed by the desk"
	if err := s.Store.UpdateStory(ctx, st); err != nil {
		t.Fatal(err)
	}
	w := get(s.Handler, "GET", st.Path(), map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etag})
	if w.Code != 200 || w.Header().Get("ETag") == etag {
		t.Fatalf("edited story: %d etag %q, want 200 and a new etag", w.Code, w.Header().Get("ETag"))
	}
	// Feeds, sitemaps and the API follow the same change at once.
	paths := []string{"/rss.xml", "/" + st.Section.Slug + "/atom.xml", "/feed.json", "/sitemap-news.xml", "/sitemap-stories-1.xml",
		"/api/v1/stories", fmt.Sprintf("/api/v1/stories/%d", st.ID), "/" + st.Section.Slug}
	etags := map[string]string{}
	for _, p := range paths {
		w := get(s.Handler, "GET", p, gz)
		etags[p] = w.Header().Get("ETag")
		if w.Code != 200 || etags[p] == "" || w.Header().Get("Last-Modified") == "" || w.Header().Get("Cache-Control") == "" {
			t.Fatalf("GET %s: %d etag %q headers %v", p, w.Code, etags[p], w.Header())
		}
		if w := get(s.Handler, "GET", p, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etags[p]}); w.Code != 304 {
			t.Errorf("GET %s with its ETag: %d, want 304", p, w.Code)
		}
	}
	st.Headline = "A second change, for every output"
	if err := s.Store.UpdateStory(ctx, st); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if p == "/sitemap-stories-1.xml" {
			continue // it shows the address and the time of the last update, not the headline
		}
		w := get(s.Handler, "GET", p, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etags[p]})
		if w.Code != 200 || w.Header().Get("ETag") == etags[p] {
			t.Errorf("GET %s after the change: %d, etag unchanged %v", p, w.Code, w.Header().Get("ETag") == etags[p])
		}
	}

	front := get(s.Handler, "GET", "/", nil)
	if !strings.Contains(front.Body.String(), "A second change, for every output") {
		t.Error("front page does not show the new headline")
	}
}
