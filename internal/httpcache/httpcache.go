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
// It does not decide what to render and holds no content beyond that
// small map; the page cache of a later change can build on it.
package httpcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Policy returns the Cache-Control value for a successful response to
// path, or "" to leave the response alone (no ETag, nothing buffered).
type Policy func(r *http.Request) string

// Handler wraps next with conditional GET support for the paths policy
// accepts.
type Handler struct {
	next   http.Handler
	policy Policy
	now    func() time.Time

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

// New returns the handler. now is the clock (time.Now when nil).
func New(next http.Handler, policy Policy, now func() time.Time) *Handler {
	if now == nil {
		now = time.Now
	}
	return &Handler{next: next, policy: policy, now: now, seen: make(map[string]seenETag)}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.next.ServeHTTP(w, r)
		return
	}
	cc := h.policy(r)
	if cc == "" {
		h.next.ServeHTTP(w, r)
		return
	}
	// A HEAD must carry the ETag its GET would: render the GET and drop
	// the body.
	inner := r
	if r.Method == http.MethodHead {
		inner = r.Clone(r.Context())
		inner.Method = http.MethodGet
	}
	bw := &bufferWriter{header: http.Header{}}
	h.next.ServeHTTP(bw, inner)
	if bw.status == 0 {
		bw.status = http.StatusOK
	}
	hdr := w.Header()
	for k, v := range bw.header {
		hdr[k] = v
	}
	if bw.status != http.StatusOK || !cacheable(bw.header) {
		if bw.status == http.StatusNotFound || bw.status == http.StatusGone {
			if hdr.Get("Cache-Control") == "" {
				// Briefly, so a flood of requests for a missing page is
				// absorbed by a CDN, and a story published a moment later
				// is seen soon.
				hdr.Set("Cache-Control", "public, max-age=0, s-maxage=10")
			}
		}
		w.WriteHeader(bw.status)
		if r.Method != http.MethodHead {
			w.Write(bw.body.Bytes())
		}
		return
	}
	sum := sha256.Sum256(bw.body.Bytes())
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	since := h.since(r.URL.RequestURI()+"\x00"+bw.header.Get("Content-Encoding"), etag)
	hdr.Set("ETag", etag)
	hdr.Set("Last-Modified", since.UTC().Format(http.TimeFormat))
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
	w.WriteHeader(http.StatusOK)
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
	s := seenETag{etag: etag, since: h.now().Truncate(time.Second)}
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
	body   bytes.Buffer
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
