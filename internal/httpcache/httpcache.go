// Package httpcache makes the public site's responses cacheable by
// browsers and by a CDN in front: every successful GET carries a strong
// ETag computed from the bytes sent and a Last-Modified time, conditional
// requests (If-None-Match, If-Modified-Since) are answered 304, and each
// kind of URL gets a Cache-Control policy suited to it.
//
// The ETag is a hash of the response body, so it changes exactly when
// what the page shows changes (a story edit, a new story on a list, a
// settings change), whatever the cause, and is the same on every instance
// for the same content. Last-Modified is the time this process first sent
// that ETag for that URL: after a restart it may be later than the real
// change, which only costs a full answer, never a stale one.
//
// With a content version to follow (Options.Version), it is also the
// page cache: each public response is rendered once, kept in memory
// already compressed (gzip, and brotli once a second reader asks for it)
// and served from there until the
// store's content version moves, which every write to public content
// does, whether this process or another made it. A burst of requests for
// a page not yet cached renders it once (single flight); the cache has a
// byte bound and lets the least recently used pages go first.
//
// It does not decide what to render: handlers do.
package httpcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"

	"dateline/internal/coalesce"
)

// Policy returns the Cache-Control value for a successful response to
// path, or "" to leave the response alone (no ETag, nothing buffered).
type Policy func(r *http.Request) string

// Options configure a Handler. Zero values take the defaults.
type Options struct {
	// Policy decides which requests are cacheable and how (SitePolicy).
	Policy Policy
	// Now is the clock (time.Now).
	Now func() time.Time
	// Version returns the store's content version (see
	// store.ContentVersioner). When nil there is no page cache: every
	// request is rendered, and only validators and 304s are added. When
	// it fails (the database is gone), a page already cached is served
	// as it is, whatever its age, and any other goes to the handler.
	Version func(context.Context) (int64, error)
	// MaxBytes bounds the page cache's memory (64 MiB); least recently
	// used entries go first.
	MaxBytes int64
	// MaxAge is how long an entry may be served while the content
	// version stays the same (1 minute): what changes with the clock
	// alone, such as Most read or the end of a breaking-news banner, is
	// never older than this.
	MaxAge time.Duration
	// OnHit is called for each story page answered from the cache, with
	// the story's id, so that views are still counted.
	OnHit func(r *http.Request, storyID int64)
	// Renders bounds how many cacheable requests may be rendered at once
	// (0: no bound); the others wait for a slot. Answers from the page
	// cache never wait, and neither do requests the policy leaves alone
	// (the newsroom, writes).
	Renders int
}

// Handler wraps a handler with conditional GET support and, when
// Options.Version is set, an in-memory cache of rendered pages.
type Handler struct {
	next  http.Handler
	o     Options
	pages *pages // nil without Version
	slots *renderSlots

	mu   sync.Mutex
	seen map[string]seenETag // URL and encoding → the ETag last sent and since when
}

type seenETag struct {
	etag  string
	since time.Time
}

// maxSeen bounds the map of ETags; past it the map starts afresh, which
// costs some clients one full answer.
const maxSeen = 100_000

// New returns the handler.
func New(next http.Handler, o Options) *Handler {
	if o.Policy == nil {
		o.Policy = SitePolicy
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 64 << 20
	}
	if o.MaxAge <= 0 {
		o.MaxAge = time.Minute
	}
	h := &Handler{next: next, o: o, seen: make(map[string]seenETag), slots: newRenderSlots(o.Renders)}
	if o.Version != nil {
		h.pages = newPages(o.MaxBytes)
	}
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.next.ServeHTTP(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		// The same URL answers differently with an API key (drafts), so
		// a shared cache must key on it.
		w.Header().Add("Vary", "Authorization")
	}
	cc := h.o.Policy(r)
	if cc == "" {
		h.next.ServeHTTP(w, r)
		return
	}
	if h.pages != nil && h.serveCached(w, r, cc) {
		return
	}
	// A HEAD must carry the ETag its GET would: render the GET and drop
	// the body.
	inner := r
	if r.Method == http.MethodHead {
		inner = r.Clone(r.Context())
		inner.Method = http.MethodGet
	}
	bw := newBufferWriter()
	defer bw.release()
	if !h.slots.run(r.Context(), func() { h.next.ServeHTTP(bw, inner) }) {
		return // the reader left while waiting: nobody to answer
	}
	r.Pattern = inner.Pattern
	if bw.status == 0 {
		bw.status = http.StatusOK
	}
	if bw.status != http.StatusOK || !cacheable(bw.header) {
		h.writeUncached(w, r, bw)
		return
	}
	hdr := w.Header()
	for k, v := range bw.header {
		hdr[k] = v
	}
	hdr.Del(StoryHeader)
	hdr.Del("Last-Modified") // answer says when this ETag was first sent
	sum := sha256.Sum256(bw.body.Bytes())
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	since := h.since(r.URL.RequestURI()+"\x00"+bw.header.Get("Content-Encoding"), etag)
	answer(w, r, etag, since, cc, bw.body.Bytes())
}

// answer sends a cacheable response whose headers (type, length,
// encoding) are set: with its validators and, unless the handler chose
// one, Cache-Control cc; as a 304 without a body when the request's
// conditions say the reader has it, else 200 (no body for a HEAD). The
// page cache and the uncached path both answer through it.
func answer(w http.ResponseWriter, r *http.Request, etag string, since time.Time, cc string, body []byte) {
	hdr := w.Header()
	hdr.Set("ETag", etag)
	if hdr["Last-Modified"] == nil { // the page cache sets its own, made once
		hdr.Set("Last-Modified", since.UTC().Format(http.TimeFormat))
	}
	if hdr.Get("Cache-Control") == "" {
		hdr.Set("Cache-Control", cc)
	}
	if notModified(r, etag, since) {
		for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding"} {
			hdr.Del(k)
		}
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	// The headers and a page of a few KiB leave in one write(2) rather
	// than net/http's two (see package coalesce).
	var held *coalesce.Held
	if len(body) <= coalesce.MaxHeld {
		held = coalesce.Hold(w, r)
	}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	if held != nil {
		held.Send()
	}
}

// writeUncached sends a response that gets no validator: an error page,
// or one that is personal.
func (h *Handler) writeUncached(w http.ResponseWriter, r *http.Request, bw *bufferWriter) {
	hdr := w.Header()
	for k, v := range bw.header {
		hdr[k] = v
	}
	hdr.Del(StoryHeader)
	if (bw.status == http.StatusNotFound || bw.status == http.StatusGone) && hdr.Get("Cache-Control") == "" {
		// Briefly, so a flood of requests for a missing page is absorbed
		// by a CDN, and a story published a moment later is seen soon.
		hdr.Set("Cache-Control", "public, max-age=0, s-maxage=10")
	}
	w.WriteHeader(bw.status)
	if r.Method != http.MethodHead {
		w.Write(bw.body.Bytes())
	}
}

// since returns when etag was first sent for key, recording now if it is
// new.
func (h *Handler) since(key, etag string) time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s, ok := h.seen[key]; ok && s.etag == etag {
		return s.since
	}
	if len(h.seen) >= maxSeen {
		clear(h.seen)
	}
	// HTTP dates have whole seconds; truncating keeps If-Modified-Since
	// comparisons exact.
	s := seenETag{etag: etag, since: h.o.Now().Truncate(time.Second)}
	h.seen[key] = s
	return s.since
}

// cacheable reports whether a handler's headers allow a validator: a
// response that sets a cookie or says it must not be stored is personal.
func cacheable(h http.Header) bool {
	if h.Get("Set-Cookie") != "" {
		return false
	}
	cc := strings.ToLower(h.Get("Cache-Control"))
	return !strings.Contains(cc, "no-store") && !strings.Contains(cc, "private")
}

// notModified applies RFC 9110 section 13.2.2: If-None-Match decides when
// present; otherwise If-Modified-Since.
func notModified(r *http.Request, etag string, since time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == etag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !since.After(t)
	}
	return false
}

// bufferWriter holds a handler's response so its ETag can be computed
// before anything is sent.
type bufferWriter struct {
	header http.Header
	status int
	body   *bytes.Buffer
}

// bodies are the buffers of bufferWriters done with, so that a page
// rendered for every request does not grow a new one each time.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func newBufferWriter() *bufferWriter {
	b := bodies.Get().(*bytes.Buffer)
	b.Reset()
	return &bufferWriter{header: http.Header{}, body: b}
}

// release gives the body's buffer back once nothing reads it; one that
// grew past 1 MiB (a sitemap) is left to the collector.
func (b *bufferWriter) release() {
	if b.body.Cap() <= 1<<20 {
		bodies.Put(b.body)
	}
	b.body = nil
}

func (b *bufferWriter) Header() http.Header { return b.header }

func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
