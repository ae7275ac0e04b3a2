package httpcache_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"dateline/internal/httpcache"
	"dateline/internal/store"
	"dateline/internal/testutil"
)

// origin is a handler that counts its renders and shows the content
// version it was rendered at.
type origin struct {
	renders atomic.Int64
	version atomic.Int64
	gate    chan struct{} // when set, each render waits for it
}

func (o *origin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.renders.Add(1)
	if o.gate != nil {
		<-o.gate
	}
	switch {
	case r.URL.Path == "/missing":
		http.NotFound(w, r)
		return
	case r.URL.Path == "/login-page":
		http.SetCookie(w, &http.Cookie{Name: "s", Value: "x"})
	case strings.HasPrefix(r.URL.Path, "/world/story-"):
		w.Header().Set(httpcache.StoryHeader, strings.TrimPrefix(r.URL.Path, "/world/story-"))
	}
	if r.Header.Get("Accept-Encoding") != "" {
		panic("the page cache must render the identity body")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<p>%s at version %d %s</p>", r.URL.RequestURI(), o.version.Load(), strings.Repeat("padding ", 200))
}

func cachedHandler(o *origin, opts httpcache.Options) http.Handler {
	opts.Version = func(context.Context) (int64, error) { return o.version.Load(), nil }
	return httpcache.New(o, opts)
}

func TestPageCacheRendersOncePerVersion(t *testing.T) {
	o := &origin{}
	var hits []int64
	h := cachedHandler(o, httpcache.Options{OnHit: func(r *http.Request, id int64) { hits = append(hits, id) }})
	for i := 0; i < 5; i++ {
		if w := get(h, "GET", "/world", nil); w.Code != 200 || !strings.Contains(w.Body.String(), "at version 0") {
			t.Fatalf("GET /world: %d %q", w.Code, w.Body.String())
		}
	}
	if n := o.renders.Load(); n != 1 {
		t.Errorf("5 requests rendered %d times, want 1", n)
	}
	o.version.Store(1) // a write to public content
	if w := get(h, "GET", "/world", nil); !strings.Contains(w.Body.String(), "at version 1") {
		t.Errorf("after a change: %q", w.Body.String())
	}
	if n := o.renders.Load(); n != 2 {
		t.Errorf("renders after a change: %d, want 2", n)
	}
	// Error pages and personal answers are never kept.
	for _, p := range []string{"/missing", "/login-page"} {
		before := o.renders.Load()
		get(h, "GET", p, nil)
		w := get(h, "GET", p, nil)
		if o.renders.Load()-before != 2 {
			t.Errorf("%s was served from the cache", p)
		}
		if p == "/login-page" && w.Header().Get("Set-Cookie") == "" {
			t.Error("the cookie was lost")
		}
	}
	// A story page answered from the cache still counts a view, and the
	// internal header never leaves.
	for i := 0; i < 3; i++ {
		if w := get(h, "GET", "/world/story-42", nil); w.Header().Get(httpcache.StoryHeader) != "" {
			t.Error("the story header was sent")
		}
	}
	if fmt.Sprint(hits) != "[42 42]" {
		t.Errorf("views counted on cache hits: %v, want [42 42] (the first request was rendered and counted by the site)", hits)
	}
}

func TestPageCacheEncodings(t *testing.T) {
	o := &origin{}
	h := cachedHandler(o, httpcache.Options{})
	plain := get(h, "GET", "/world", nil)
	gz := get(h, "GET", "/world", map[string]string{"Accept-Encoding": "gzip, deflate"})
	br := get(h, "GET", "/world", map[string]string{"Accept-Encoding": "gzip, br"})
	noBr := get(h, "GET", "/world", map[string]string{"Accept-Encoding": "br;q=0, gzip"})
	if gz.Header().Get("Content-Encoding") != "gzip" || br.Header().Get("Content-Encoding") != "br" ||
		noBr.Header().Get("Content-Encoding") != "gzip" || plain.Header().Get("Content-Encoding") != "" {
		t.Fatalf("encodings: %q %q %q %q", plain.Header().Get("Content-Encoding"), gz.Header().Get("Content-Encoding"),
			br.Header().Get("Content-Encoding"), noBr.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	unz, _ := io.ReadAll(zr)
	unbr, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(br.Body.Bytes())))
	if string(unz) != plain.Body.String() || string(unbr) != plain.Body.String() {
		t.Error("the compressed bodies do not decode to the page")
	}
	if br.Body.Len() >= plain.Body.Len() || gz.Body.Len() >= plain.Body.Len() {
		t.Errorf("sizes: plain %d gzip %d br %d", plain.Body.Len(), gz.Body.Len(), br.Body.Len())
	}
	tags := map[string]bool{plain.Header().Get("ETag"): true, gz.Header().Get("ETag"): true, br.Header().Get("ETag"): true}
	if len(tags) != 3 {
		t.Errorf("each encoding needs its own ETag: %v", tags)
	}
	if !strings.Contains(br.Header().Get("Vary"), "Accept-Encoding") || br.Header().Get("Content-Length") != fmt.Sprint(br.Body.Len()) {
		t.Errorf("headers: %v", br.Header())
	}
	w := get(h, "GET", "/world", map[string]string{"Accept-Encoding": "br", "If-None-Match": br.Header().Get("ETag")})
	if w.Code != 304 || w.Body.Len() != 0 {
		t.Errorf("conditional GET from the cache: %d, %d bytes", w.Code, w.Body.Len())
	}
	if head := get(h, "HEAD", "/world", map[string]string{"Accept-Encoding": "br"}); head.Body.Len() != 0 || head.Header().Get("ETag") != br.Header().Get("ETag") {
		t.Errorf("HEAD: %d bytes, etag %q", head.Body.Len(), head.Header().Get("ETag"))
	}
	if n := o.renders.Load(); n != 1 {
		t.Errorf("rendered %d times for one page in every encoding, want 1", n)
	}
}

// TestPageCacheEncodingsOfManyPages renders pages at once, as a crawl
// does: the compressors are reused between entries, and each entry's
// gzip and brotli bodies must still decode to that page and no other.
// A reader asking for brotli while every slot renders gets gzip
// (TestPageCacheBrotliLeavesSlotsToRenders), so each page is asked for
// again until it comes in brotli.
func TestPageCacheEncodingsOfManyPages(t *testing.T) {
	o := &origin{}
	h := cachedHandler(o, httpcache.Options{Renders: 3})
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := fmt.Sprintf("/world/page-%d", i)
			plain := get(h, "GET", path, nil).Body.String()
			if !strings.Contains(plain, path+" at version") {
				t.Errorf("%s: body %.40q", path, plain)
				return
			}
			gz := get(h, "GET", path, map[string]string{"Accept-Encoding": "gzip"})
			// Brotli is made when a slot is free; until then the reader
			// gets gzip.
			br := get(h, "GET", path, map[string]string{"Accept-Encoding": "br"})
			for try := 0; br.Header().Get("Content-Encoding") != "br"; try++ {
				if try == 1000 {
					t.Errorf("%s: no brotli after %d reads", path, try)
					return
				}
				time.Sleep(time.Millisecond)
				br = get(h, "GET", path, map[string]string{"Accept-Encoding": "br"})
			}
			zr, err := gzip.NewReader(gz.Body)
			if err != nil {
				t.Errorf("%s: gzip: %v", path, err)
				return
			}
			unz, err := io.ReadAll(zr)
			if err != nil || string(unz) != plain {
				t.Errorf("%s: the gzip body does not decode to the page (%v)", path, err)
			}
			unbr, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br.Body.Bytes())))
			if err != nil || string(unbr) != plain {
				t.Errorf("%s: the brotli body does not decode to the page (%v)", path, err)
			}
		}()
	}
	wg.Wait()
	if n := o.renders.Load(); n != 24 {
		t.Errorf("%d renders for 24 pages, want 24", n)
	}
}

// TestPageCacheBrotliOnSecondRead: the reader whose request renders a
// page gets gzip, the next one asking for brotli makes it and gets it,
// and from then on the page is sent in brotli, made once, its bytes
// counted against the cache's bound.
func TestPageCacheBrotliOnSecondRead(t *testing.T) {
	o := &origin{}
	h := httpcache.New(o, httpcache.Options{Version: func(context.Context) (int64, error) { return o.version.Load(), nil }})
	br := map[string]string{"Accept-Encoding": "gzip, deflate, br"}
	first := get(h, "GET", "/world", br)
	if ce := first.Header().Get("Content-Encoding"); ce != "gzip" {
		t.Fatalf("the first reader's encoding: %q, want gzip (no brotli for a page read once)", ce)
	}
	before := h.Stats().Bytes
	second := get(h, "GET", "/world", br)
	if ce := second.Header().Get("Content-Encoding"); ce != "br" {
		t.Fatalf("the second reader's encoding: %q, want br", ce)
	}
	unbr, err := io.ReadAll(brotli.NewReader(bytes.NewReader(second.Body.Bytes())))
	plain := get(h, "GET", "/world", nil)
	if err != nil || string(unbr) != plain.Body.String() {
		t.Fatalf("the brotli body does not decode to the page (%v)", err)
	}
	if grew := h.Stats().Bytes - before; grew != int64(second.Body.Len()) {
		t.Errorf("the cache grew by %d bytes for a brotli body of %d", grew, second.Body.Len())
	}
	if second.Header().Get("Content-Length") != fmt.Sprint(second.Body.Len()) || second.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Errorf("brotli headers: %v (gzip's ETag %s)", second.Header(), first.Header().Get("ETag"))
	}
	middle := h.Stats().Bytes
	third := get(h, "GET", "/world", br)
	if third.Header().Get("Content-Encoding") != "br" || third.Header().Get("ETag") != second.Header().Get("ETag") ||
		!bytes.Equal(third.Body.Bytes(), second.Body.Bytes()) || h.Stats().Bytes != middle {
		t.Errorf("the third reader: %q, %s, %d bytes; cache %d bytes, was %d", third.Header().Get("Content-Encoding"),
			third.Header().Get("ETag"), third.Body.Len(), h.Stats().Bytes, middle)
	}
	if w := get(h, "GET", "/world", map[string]string{"Accept-Encoding": "br", "If-None-Match": second.Header().Get("ETag")}); w.Code != 304 {
		t.Errorf("conditional GET of the brotli page: %d", w.Code)
	}
	// A reader who takes brotli but refuses gzip gets the page as it is
	// while there is no brotli.
	if w := get(h, "GET", "/sport", map[string]string{"Accept-Encoding": "br, gzip;q=0"}); w.Header().Get("Content-Encoding") != "" {
		t.Errorf("br without gzip, first read: %q", w.Header().Get("Content-Encoding"))
	}
	if n := o.renders.Load(); n != 2 {
		t.Errorf("%d renders, want 2", n)
	}
}

// TestPageCacheBrotliLeavesSlotsToRenders: while every render slot is
// taken, a reader asking for brotli gets gzip at once rather than wait;
// once a slot is free, the page is made in brotli.
func TestPageCacheBrotliLeavesSlotsToRenders(t *testing.T) {
	o := newSlowOrigin()
	h := httpcache.New(o, httpcache.Options{Renders: 1, Version: func(context.Context) (int64, error) { return 1, nil }})
	br := map[string]string{"Accept-Encoding": "gzip, br"}
	get(h, "GET", "/fast", br)
	done := make(chan struct{})
	go func() { defer close(done); get(h, "GET", "/slow/one", nil) }()
	waitFor(t, "the slow render to take the slot", func() bool { return o.running.Load() == 1 })
	within(t, "a brotli reader while the slot is taken", func() {
		if w := get(h, "GET", "/fast", br); w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("with every slot rendering: %q, want gzip", w.Header().Get("Content-Encoding"))
		}
	})
	close(o.release)
	<-done
	if w := get(h, "GET", "/fast", br); w.Header().Get("Content-Encoding") != "br" {
		t.Errorf("with the slot free: %q, want br", w.Header().Get("Content-Encoding"))
	}
}

// TestPageCacheBoundWithBrotli: the bytes a brotli body adds count
// against the bound, so the cache never holds more than it.
func TestPageCacheBoundWithBrotli(t *testing.T) {
	o := &origin{}
	h := httpcache.New(o, httpcache.Options{MaxBytes: 40 << 10, Version: func(context.Context) (int64, error) { return o.version.Load(), nil }})
	br := map[string]string{"Accept-Encoding": "br"}
	for i := range 60 {
		p := fmt.Sprintf("/page-%d", i)
		get(h, "GET", p, br)
		get(h, "GET", p, br)
		if s := h.Stats(); s.Bytes > s.MaxBytes {
			t.Fatalf("after %s: %d bytes cached, bound %d", p, s.Bytes, s.MaxBytes)
		}
	}
	if s := h.Stats(); s.Evictions == 0 || s.Entries == 0 {
		t.Errorf("stats: %+v", s)
	}
}

// TestPageCacheSingleFlight sends a burst of readers to a page that is not
// cached yet: it is rendered once and every reader gets it.
func TestPageCacheSingleFlight(t *testing.T) {
	o := &origin{gate: make(chan struct{})}
	h := cachedHandler(o, httpcache.Options{})
	const readers = 50
	var wg sync.WaitGroup
	bodies := make([]string, readers)
	for i := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i] = get(h, "GET", "/breaking", nil).Body.String()
		}()
	}
	// Let the first render through only once it is surely the only one
	// in progress; the others queue behind it.
	for o.renders.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(o.gate)
	wg.Wait()
	if n := o.renders.Load(); n != 1 {
		t.Errorf("%d readers caused %d renders, want 1", readers, n)
	}
	for i, b := range bodies {
		if !strings.Contains(b, "/breaking at version 0") {
			t.Fatalf("reader %d got %q", i, b)
		}
	}
}

func TestPageCacheBoundAndAge(t *testing.T) {
	o := &origin{}
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	// Each entry takes about 2.3 KB (as it is and gzipped); 40 KB holds
	// about 17.
	h := cachedHandler(o, httpcache.Options{MaxBytes: 40 << 10, MaxAge: time.Minute, Now: func() time.Time { return now }})
	for i := range 100 {
		get(h, "GET", fmt.Sprintf("/page-%d", i), nil)
	}
	before := o.renders.Load()
	get(h, "GET", "/page-99", nil) // recent: still cached
	if o.renders.Load() != before {
		t.Error("the most recent page was evicted")
	}
	get(h, "GET", "/page-0", nil) // the oldest: gone
	if o.renders.Load() != before+1 {
		t.Error("the least recently used page is still cached past the bound")
	}
	// Entries are not served past their maximum age.
	now = now.Add(61 * time.Second)
	get(h, "GET", "/page-99", nil)
	if o.renders.Load() != before+2 {
		t.Error("a page older than MaxAge was served")
	}
}

// TestPageCacheSeesOtherWriters runs the real site with its page cache,
// and writes with a second connection pool on the same file, as
// `dateline ingest` or another instance would: the next request shows it.
func TestPageCacheSeesOtherWriters(t *testing.T) {
	dir := t.TempDir()
	s, err := testutil.NewDemoSite(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	other, err := s.OpenOther(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	list, err := other.ListStories(ctx, store.ListQuery{Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatal("no stories", err)
	}
	st, err := other.Story(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if w := get(s.Handler, "GET", "/", nil); !strings.Contains(w.Body.String(), template.HTMLEscapeString(st.Headline)) {
			t.Fatal("front page lacks the newest story")
		}
	}
	st.Headline = "Written by another process"
	if err := other.UpdateStory(ctx, st); err != nil {
		t.Fatal(err)
	}
	if w := get(s.Handler, "GET", "/", nil); !strings.Contains(w.Body.String(), "Written by another process") {
		t.Error("the cached front page did not follow a write from another connection")
	}
	if w := get(s.Handler, "GET", st.Path(), nil); !strings.Contains(w.Body.String(), "Written by another process") {
		t.Error("the story page did not follow it")
	}
}

// TestPageCacheWhileStoreIsDown: when the content version cannot be read
// (the database is gone), a page cached before is still served, even past
// its age; a page never cached goes to the handler, which decides; once
// the version reads again, pages are rendered afresh.
func TestPageCacheWhileStoreIsDown(t *testing.T) {
	o := &origin{}
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	var down atomic.Bool
	h := httpcache.New(o, httpcache.Options{Now: func() time.Time { return now }, Version: func(context.Context) (int64, error) {
		if down.Load() {
			return 0, errors.New("connection refused")
		}
		return o.version.Load(), nil
	}})
	get(h, "GET", "/world", nil)
	down.Store(true)
	o.version.Store(1) // changed meanwhile, out of sight
	now = now.Add(2 * time.Minute)
	for _, enc := range []string{"", "br"} {
		w := get(h, "GET", "/world", map[string]string{"Accept-Encoding": enc})
		if w.Code != 200 || w.Header().Get("ETag") == "" {
			t.Errorf("cached page with the store down (%q): %d", enc, w.Code)
		}
	}
	if n := o.renders.Load(); n != 1 {
		t.Errorf("%d renders with the store down, want the cached page", n)
	}
	if w := get(h, "GET", "/sport", nil); w.Code != 200 || o.renders.Load() != 2 {
		t.Errorf("an uncached page with the store down: %d after %d renders, want the handler's answer", w.Code, o.renders.Load())
	}
	if s := h.Stats(); s.Stale != 2 {
		t.Errorf("Stats().Stale = %d, want 2", s.Stale)
	}
	down.Store(false)
	if w := get(h, "GET", "/world", nil); !strings.Contains(w.Body.String(), "at version 1") {
		t.Errorf("after the store came back: %.60q", w.Body.String())
	}
}

// A page from the cache names the route pattern that rendered it, as the
// mux names it on a render: requests are counted by route whether they
// were rendered or not (package metrics reads Request.Pattern).
func TestPageCacheNamesTheRoutePattern(t *testing.T) {
	o := &origin{}
	mux := http.NewServeMux()
	mux.Handle("GET /world/{name}", o)
	mux.Handle("GET /missing", o)
	var version atomic.Int64
	h := httpcache.New(mux, httpcache.Options{Policy: httpcache.SitePolicy,
		Version: func(context.Context) (int64, error) { return version.Load(), nil }})
	for i, c := range []struct{ path, pattern string }{
		{"/world/story-1", "GET /world/{name}"}, // rendered
		{"/world/story-1", "GET /world/{name}"}, // from the cache
		{"/missing", "GET /missing"},            // rendered, not cached
		{"/world/story-1", "GET /world/{name}"}, // from the cache again
	} {
		r := httptest.NewRequest("GET", c.path, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if r.Pattern != c.pattern {
			t.Errorf("request %d (%s): Pattern %q, want %q", i, c.path, r.Pattern, c.pattern)
		}
	}
	if n := o.renders.Load(); n != 2 {
		t.Errorf("%d renders, want 2 (the story once, the missing page once)", n)
	}
}
