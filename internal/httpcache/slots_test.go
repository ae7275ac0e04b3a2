package httpcache_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dateline/internal/httpcache"
)

// slowOrigin renders /slow/... only once release is closed, and counts
// the renders running at once; it panics on /panic.
type slowOrigin struct {
	release chan struct{}
	renders sync.Map // path → *atomic.Int64
	running atomic.Int64
	most    atomic.Int64
}

func newSlowOrigin() *slowOrigin { return &slowOrigin{release: make(chan struct{})} }

func (o *slowOrigin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := o.running.Add(1)
	defer o.running.Add(-1)
	for {
		m := o.most.Load()
		if n <= m || o.most.CompareAndSwap(m, n) {
			break
		}
	}
	c, _ := o.renders.LoadOrStore(r.URL.Path, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
	if r.URL.Path == "/panic" {
		panic("render failed")
	}
	if strings.HasPrefix(r.URL.Path, "/slow/") {
		<-o.release
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<p>%s</p>", r.URL.Path)
}

func (o *slowOrigin) rendersOf(path string) int64 {
	c, ok := o.renders.Load(path)
	if !ok {
		return 0
	}
	return c.(*atomic.Int64).Load()
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// within runs f and fails the test if it has not returned in 10 s: a
// request that should not wait for a render slot.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return: it waits for a render slot", what)
	}
}

func TestRendersWaitForASlot(t *testing.T) {
	o := newSlowOrigin()
	h := httpcache.New(o, httpcache.Options{Renders: 2})
	if s := h.RenderStats(); s.Slots != 2 {
		t.Fatalf("RenderStats().Slots = %d, want 2", s.Slots)
	}
	const n = 6
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = get(h, "GET", fmt.Sprintf("/slow/%d", i), nil).Code
		}()
	}
	waitFor(t, "two renders running and four waiting", func() bool {
		return o.running.Load() == 2 && h.RenderStats().Waiting == n-2
	})
	close(o.release)
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("request %d: status %d, want 200", i, c)
		}
	}
	if m := o.most.Load(); m != 2 {
		t.Errorf("%d renders ran at once, want 2", m)
	}
	if s := h.RenderStats(); s.Waiting != 0 || s.Waits != n-2 {
		t.Errorf("after the burst: %+v, want none waiting and %d waits", s, n-2)
	}
}

func TestCacheHitsDoNotWaitForRenders(t *testing.T) {
	o := newSlowOrigin()
	h := httpcache.New(o, httpcache.Options{Renders: 1,
		Version: func(context.Context) (int64, error) { return 1, nil }})
	within(t, "the first GET /world/hot", func() {
		if c := get(h, "GET", "/world/hot", nil).Code; c != http.StatusOK {
			t.Errorf("first GET /world/hot: status %d", c)
		}
	})
	var wg sync.WaitGroup
	slow := func(path string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c := get(h, "GET", path, nil).Code; c != http.StatusOK {
				t.Errorf("GET %s: status %d, want 200", path, c)
			}
		}()
	}
	slow("/slow/1") // takes the only slot
	waitFor(t, "the first slow render", func() bool { return o.rendersOf("/slow/1") == 1 })
	slow("/slow/2") // waits for it
	waitFor(t, "a render waiting", func() bool { return h.RenderStats().Waiting == 1 })
	// More readers of the page being rendered wait for that render, not
	// for a slot of their own.
	for range 5 {
		slow("/slow/1")
	}
	within(t, "a cache hit while the slot is taken", func() {
		rec := get(h, "GET", "/world/hot", nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "/world/hot") {
			t.Errorf("cache hit: status %d, body %q", rec.Code, rec.Body.String())
		}
	})
	if s := h.RenderStats(); s.Waiting != 1 || o.rendersOf("/slow/2") != 0 {
		t.Errorf("while the slot is taken: %+v and %d renders of /slow/2, want one waiting and none", s, o.rendersOf("/slow/2"))
	}
	close(o.release)
	wg.Wait()
	if a, b := o.rendersOf("/world/hot"), o.rendersOf("/slow/1"); a != 1 || b != 1 {
		t.Errorf("renders: /world/hot %d, /slow/1 %d; want 1 each", a, b)
	}
	if m := o.most.Load(); m != 1 {
		t.Errorf("%d renders ran at once, want 1", m)
	}
}

func TestRenderWaitEndsWithTheReader(t *testing.T) {
	o := newSlowOrigin()
	h := httpcache.New(o, httpcache.Options{Renders: 1})
	done := make(chan struct{})
	go func() { defer close(done); get(h, "GET", "/slow/1", nil) }()
	waitFor(t, "the first slow render", func() bool { return o.running.Load() == 1 })

	ctx, cancel := context.WithCancel(context.Background())
	left := make(chan struct{})
	go func() {
		defer close(left)
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/slow/2", nil).WithContext(ctx))
	}()
	waitFor(t, "a render waiting", func() bool { return h.RenderStats().Waiting == 1 })
	cancel()
	within(t, "the request of a reader who left", func() { <-left })
	if n := o.rendersOf("/slow/2"); n != 0 {
		t.Errorf("/slow/2 rendered %d times after its reader left, want 0", n)
	}
	if s := h.RenderStats(); s.Waiting != 0 {
		t.Errorf("RenderStats().Waiting = %d after the reader left, want 0", s.Waiting)
	}
	close(o.release)
	<-done
}

func TestRenderPanicGivesBackItsSlot(t *testing.T) {
	o := newSlowOrigin()
	for _, cache := range []bool{false, true} {
		opts := httpcache.Options{Renders: 1}
		if cache {
			opts.Version = func(context.Context) (int64, error) { return 1, nil }
		}
		h := httpcache.New(o, opts)
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("cache %v: the render's panic did not reach the caller", cache)
				}
			}()
			get(h, "GET", "/panic", nil)
		}()
		within(t, fmt.Sprintf("cache %v: a render after a panic", cache), func() {
			if c := get(h, "GET", "/world/after", nil).Code; c != http.StatusOK {
				t.Errorf("cache %v: GET /world/after: status %d", cache, c)
			}
		})
	}
}
