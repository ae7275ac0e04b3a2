package app_test

import (
	"context"
	"dateline/internal/testutil"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/internal/store/postgres"
	"dateline/internal/story"
)

// TestPostgresLostWhileRunning: the server reaches PostgreSQL through a
// TCP relay that the test cuts and restores, which to the server is a
// database that goes away (every connection reset, new ones refused) and
// comes back on the same address. Meanwhile pages it has cached are still
// answered, others get a short 503 with Retry-After (never a 500), and
// once the database is back the server serves and follows changes again
// by itself.
func TestPostgresLostWhileRunning(t *testing.T) {
	dbURL := testutil.PostgresDatabase(t)
	ctx := context.Background()
	st, err := postgres.Open(ctx, dbURL, nil) // the test's own way in, not through the relay
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sec := story.Section{Slug: "world", Name: "World"}
	if sec.ID, err = st.CreateSection(ctx, sec); err != nil {
		t.Fatal(err)
	}
	publish := func(headline string) *story.Story {
		t.Helper()
		now := time.Now()
		s := &story.Story{Section: sec, Headline: headline, Slug: story.Slugify(headline, 80), Language: "en", Type: story.TypeNews,
			Status: story.StatusPublished, Body: story.ParseBody("Words."), FirstPublishedAt: now, PublishedAt: now, UpdatedAt: now}
		if s.ID, err = st.CreateStory(ctx, s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	first := publish("Before the outage")

	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	relay := newRelay(t, u.Host)
	u.Host = relay.addr
	dir := t.TempDir()
	base, logs, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--database-url", u.String(),
		"--media-dir", filepath.Join(dir, "media")}, nil)
	for range 2 {
		for _, p := range []string{"/", first.Path()} {
			if code, body := fetch(t, base+p); code != http.StatusOK || !strings.Contains(body, first.Headline) {
				t.Fatalf("GET %s: %d", p, code)
			}
		}
	}

	relay.down()
	for _, p := range []string{"/", first.Path()} {
		if code, body := fetch(t, base+p); code != http.StatusOK || !strings.Contains(body, first.Headline) {
			t.Errorf("GET %s with the database gone: %d, want the cached page", p, code)
		}
	}
	for _, tc := range []struct{ method, path, contentType string }{
		{"GET", "/world", "text/html"},
		{"GET", "/api/v1/stories", "application/json"},
		{"POST", "/newsroom/login", "text/html"},
	} {
		res := do(t, tc.method, base+tc.path)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), tc.contentType) {
			t.Errorf("%s %s with the database gone: %d, Retry-After %q, %s; want 503 with Retry-After, %s",
				tc.method, tc.path, res.StatusCode, res.Header.Get("Retry-After"), res.Header.Get("Content-Type"), tc.contentType)
		}
	}
	if res := do(t, "GET", base+"/healthz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /healthz with the database gone: %d, want 503", res.StatusCode)
	}

	relay.up()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if code, _ := fetch(t, base+"/world"); code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not recover after the database came back\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Changes are followed again: the listening connection is back.
	second := publish("After the outage")
	waitPage(t, second.Headline, base+"/")
	if err := stop(); err != nil {
		t.Errorf("graceful stop: %v", err)
	}
	if strings.Contains(logs.String(), "status=500") {
		t.Errorf("a request answered 500:\n%s", logs.String())
	}
}

func do(t *testing.T, method, u string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// relay forwards TCP connections on its own address to a target. Down
// closes its listener and every connection; up listens again on the same
// address.
type relay struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func newRelay(t *testing.T, target string) *relay {
	r := &relay{t: t, target: target, conns: map[net.Conn]bool{}}
	r.listen("127.0.0.1:0")
	r.addr = r.ln.Addr().String()
	t.Cleanup(r.down)
	return r
}

func (r *relay) listen(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		r.t.Fatalf("relay: %v", err)
	}
	r.mu.Lock()
	r.ln = ln
	r.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go r.pipe(c)
		}
	}()
}

func (r *relay) pipe(c net.Conn) {
	s, err := net.Dial("tcp", r.target)
	if err != nil {
		c.Close()
		return
	}
	r.mu.Lock()
	r.conns[c], r.conns[s] = true, true
	r.mu.Unlock()
	go func() { io.Copy(s, c); s.Close(); c.Close() }()
	io.Copy(c, s)
	c.Close()
	s.Close()
}

func (r *relay) up() { r.listen(r.addr) }

func (r *relay) down() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ln != nil {
		r.ln.Close()
		r.ln = nil
	}
	for c := range r.conns {
		c.Close()
	}
	clear(r.conns)
}
