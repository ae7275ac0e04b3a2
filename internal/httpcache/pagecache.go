package httpcache

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"

	"dateline/internal/render"
)

// StoryHeader is set by a handler on a story page's response to name the
// story, so that a page served from the cache can still be counted as a
// view (Options.OnHit). It never leaves the server.
const StoryHeader = "X-Dateline-Story"

// entry is one rendered response, kept as it is and gzipped, and in
// brotli once it is read again (see Handler.brotli).
type entry struct {
	key     string
	version int64
	created time.Time
	since   time.Time // Last-Modified
	header  http.Header
	hash    string // of the identity body; the ETag is hash plus encoding
	plain   []byte
	gz      []byte
	storyID int64
	pattern string // the route pattern that rendered it (Request.Pattern)
	// The headers that differ by encoding, made once: a hit only copies
	// them (header values are slices the response never changes).
	lastModified []string
	variants     [2]variant // identity, gzip

	br     atomic.Pointer[variant] // nil until made
	brBusy atomic.Bool             // a reader is making br
	sent   atomic.Bool             // the entry has been sent once
	// charged is what the entry counts against the cache's bound (size,
	// then br's body too once made), under pages.mu.
	charged int64
}

// variant is one encoding of an entry, ready to send.
type variant struct {
	body     []byte
	etag     string
	length   []string // Content-Length
	encoding []string // Content-Encoding; nil for identity
}

// size is the entry's memory as first cached: its key and bodies, and
// about what its headers and bookkeeping hold.
func (e *entry) size() int64 {
	return int64(len(e.key) + len(e.plain) + len(e.gz) + 512)
}

// pages is the LRU store of entries with a byte bound, and the
// single-flight table of renders in progress.
type pages struct {
	mu      sync.Mutex
	max     int64
	size    int64
	ll      *list.List // front: most recently used
	m       map[string]*list.Element
	version int64 // the content version of the newest entry seen
	flights map[string]*flight

	hits, misses, evictions, invalidations, stale int64 // for Stats, under mu
}

type flight struct {
	done chan struct{}
	e    *entry // nil when the response could not be cached
}

func newPages(max int64) *pages {
	return &pages{max: max, ll: list.New(), m: map[string]*list.Element{}, flights: map[string]*flight{}}
}

// get returns the fresh entry for key at content version v, or nil. A new
// version empties the whole cache: every entry was rendered before the
// change.
func (p *pages) get(key string, v int64, now time.Time, maxAge time.Duration) *entry {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v != p.version {
		p.invalidations++
		p.ll.Init()
		clear(p.m)
		p.size, p.version = 0, v
		return nil
	}
	el, ok := p.m[key]
	if !ok {
		return nil
	}
	e := el.Value.(*entry)
	if now.Sub(e.created) > maxAge {
		return nil
	}
	p.hits++
	p.ll.MoveToFront(el)
	return e
}

// last returns the entry for key whatever its version and age, or nil:
// the best answer while the content version cannot be read.
func (p *pages) last(key string) *entry {
	p.mu.Lock()
	defer p.mu.Unlock()
	el, ok := p.m[key]
	if !ok {
		return nil
	}
	p.stale++
	return el.Value.(*entry)
}

func (p *pages) put(e *entry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.version != p.version || e.size() > p.max/4 {
		return // rendered before a change, or too big to be worth a quarter of the cache
	}
	if el, ok := p.m[e.key]; ok {
		p.size -= el.Value.(*entry).charged
		p.ll.Remove(el)
	}
	e.charged = e.size()
	p.m[e.key] = p.ll.PushFront(e)
	p.size += e.charged
	p.evict()
}

// grow counts n more bytes of e against the bound, if e is still cached.
func (p *pages) grow(e *entry, n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if el, ok := p.m[e.key]; !ok || el.Value.(*entry) != e {
		return
	}
	e.charged += n
	p.size += n
	p.evict()
}

// evict drops the least recently used entries until the cache is within
// its bound. The caller holds p.mu.
func (p *pages) evict() {
	for p.size > p.max {
		last := p.ll.Back()
		old := last.Value.(*entry)
		p.ll.Remove(last)
		delete(p.m, old.key)
		p.size -= old.charged
		p.evictions++
	}
}

// flight returns the render in progress for key, or registers the caller
// as its leader (leader true). A render may have landed between the
// caller's miss and this call; then f is that render's, already done, and
// no second render starts.
func (p *pages) flight(key, fkey string, v int64, now time.Time, maxAge time.Duration) (f *flight, leader bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f, ok := p.flights[fkey]; ok {
		return f, false
	}
	if el, ok := p.m[key]; ok && v == p.version {
		if e := el.Value.(*entry); now.Sub(e.created) <= maxAge {
			p.hits++
			p.ll.MoveToFront(el)
			done := make(chan struct{})
			close(done)
			return &flight{done: done, e: e}, false
		}
	}
	p.misses++
	f = &flight{done: make(chan struct{})}
	p.flights[fkey] = f
	return f, true
}

func (p *pages) land(key string, f *flight) {
	p.mu.Lock()
	delete(p.flights, key)
	p.mu.Unlock()
	close(f.done)
}

// serveCached answers r from the page cache, rendering it once if needed.
// It returns false when the caller should serve the request itself.
func (h *Handler) serveCached(w http.ResponseWriter, r *http.Request, cc string) bool {
	key := r.URL.RequestURI()
	v, err := h.o.Version(r.Context())
	if err != nil {
		// The store is not answering (a lost database): the page as last
		// rendered is better than an error, and nothing new can be
		// rendered to replace it. Without one, the handler decides.
		e := h.pages.last(key)
		if e == nil {
			return false
		}
		if e.storyID != 0 && h.o.OnHit != nil {
			h.o.OnHit(r, e.storyID)
		}
		h.write(w, r, e, cc)
		return true
	}
	now := h.o.Now()
	if e := h.pages.get(key, v, now, h.o.MaxAge); e != nil {
		if e.storyID != 0 && h.o.OnHit != nil {
			h.o.OnHit(r, e.storyID)
		}
		h.write(w, r, e, cc)
		return true
	}
	f, leader := h.pages.flight(key, key+"\x00"+strconv.FormatInt(v, 10), v, now, h.o.MaxAge)
	if !leader {
		select {
		case <-f.done:
		case <-r.Context().Done():
			return true
		}
		if f.e == nil {
			return false
		}
		if f.e.storyID != 0 && h.o.OnHit != nil {
			h.o.OnHit(r, f.e.storyID)
		}
		h.write(w, r, f.e, cc)
		return true
	}
	defer h.pages.land(key+"\x00"+strconv.FormatInt(v, 10), f)
	// Render the identity body once, for every reader: without the
	// reader's encoding or validators, and not cancelled if this reader
	// goes away while others wait for it.
	inner := r.Clone(context.WithoutCancel(r.Context()))
	inner.Method = http.MethodGet
	for _, k := range []string{"Accept-Encoding", "If-None-Match", "If-Modified-Since", "Range"} {
		inner.Header.Del(k)
	}
	// The slot is held through the compression, which costs more than
	// most renders; readers of this page wait on f meanwhile.
	bw := newBufferWriter()
	defer bw.release()
	var e *entry
	h.slots.run(inner.Context(), func() {
		h.next.ServeHTTP(bw, inner)
		if bw.status == 0 {
			bw.status = http.StatusOK
		}
		if bw.status == http.StatusOK && cacheable(bw.header) && bw.header.Get("Content-Encoding") == "" {
			e = h.newEntry(key, v, now, bw)
		}
	})
	r.Pattern = inner.Pattern
	if e == nil {
		h.writeUncached(w, r, bw)
		return true
	}
	e.pattern = r.Pattern
	f.e = e
	h.pages.put(e)
	h.write(w, r, e, cc)
	return true
}

// The compressors of the page cache are reused. A new gzip writer
// allocates about 0.8 MB and a brotli one at level 6 2.4 MB, and setting
// them up cost more than compressing a page: BenchmarkNewEntry (18 KB)
// took 3.7-3.8 ms and 3.3 MB with new writers, 0.46-0.49 ms and 35 KB
// with reused ones. Each render running at once uses one of each
// (Options.Renders bounds them).
//
// Measured on a real 18 KB story page (the one bench/wrk.sh serves): the
// standard library's best gzip level took 0.30 ms for 5,564 bytes;
// klauspost/compress at level 6 takes 0.105 ms for 5,632 (1.2% more);
// brotli at level 6 takes 0.72-0.76 ms for 5,128. Brotli cost more than
// the render itself, so an entry is made without it, and gets it once a
// second reader asks for the page (Handler.brotli): a page read once (a
// crawler, the long tail after a change empties the cache) never pays
// for it, a page read often sends 9% fewer bytes.
var (
	gzipWriters = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(nil, cacheGzipLevel)
		return zw
	}}
	brotliWriters = sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, cacheBrotliLevel) }}
)

const (
	cacheGzipLevel   = 6
	cacheBrotliLevel = 6
)

func (h *Handler) newEntry(key string, v int64, now time.Time, bw *bufferWriter) *entry {
	plain := bytes.Clone(bw.body.Bytes())
	sum := sha256.Sum256(plain)
	hash := base64.RawURLEncoding.EncodeToString(sum[:18])
	e := &entry{key: key, version: v, created: now, header: bw.header, hash: hash, plain: plain}
	e.since = h.since(key, hash)
	if id := bw.header.Get(StoryHeader); id != "" {
		e.storyID, _ = strconv.ParseInt(id, 10, 64)
	}
	for _, k := range []string{StoryHeader, "Content-Length", "Content-Encoding"} {
		e.header.Del(k)
	}
	var zb bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&zb)
	zw.Write(plain)
	zw.Close()
	zw.Reset(nil)
	gzipWriters.Put(zw)
	e.gz = zb.Bytes()
	e.lastModified = []string{e.since.UTC().Format(http.TimeFormat)}
	e.variants[0] = variant{body: e.plain, etag: `"` + e.hash + `"`, length: []string{strconv.Itoa(len(e.plain))}}
	e.variants[1] = variant{body: e.gz, etag: `"` + e.hash + `-gz"`, length: []string{strconv.Itoa(len(e.gz))}, encoding: []string{"gzip"}}
	if !strings.Contains(e.header.Get("Vary"), "Accept-Encoding") {
		e.header.Add("Vary", "Accept-Encoding")
	}
	return e
}

// brotli returns e's brotli variant, or nil while it has none. The
// reader who finds the entry sent before and a render slot free makes
// it, once, and is the first to get it; readers meanwhile, and all of
// them while every slot is rendering, get gzip, which every browser
// takes. So brotli uses only the capacity renders leave, and a cache hit
// never waits for it.
func (h *Handler) brotli(e *entry) *variant {
	if v := e.br.Load(); v != nil {
		return v
	}
	if !e.sent.Load() || !h.slots.tryTake() {
		return nil
	}
	defer h.slots.give()
	if !e.brBusy.CompareAndSwap(false, true) {
		return nil
	}
	var bb bytes.Buffer
	bwr := brotliWriters.Get().(*brotli.Writer)
	bwr.Reset(&bb)
	bwr.Write(e.plain)
	bwr.Close()
	bwr.Reset(nil)
	brotliWriters.Put(bwr)
	v := &variant{body: bb.Bytes(), etag: `"` + e.hash + `-br"`, length: []string{strconv.Itoa(bb.Len())}, encoding: []string{"br"}}
	e.br.Store(v)
	h.pages.grow(e, int64(len(v.body)))
	return v
}

// write sends e in the best encoding the reader accepts, or a 304. It
// names on r the route pattern that rendered e, as the mux would have,
// for those who count requests by route (package metrics).
func (h *Handler) write(w http.ResponseWriter, r *http.Request, e *entry, cc string) {
	r.Pattern = e.pattern
	hdr := w.Header()
	for k, v := range e.header {
		hdr[k] = v
	}
	var v *variant
	if render.Accepts(r, "br") {
		v = h.brotli(e)
	}
	if v == nil {
		v = &e.variants[0]
		if render.Accepts(r, "gzip") {
			v = &e.variants[1]
		}
	}
	if !e.sent.Load() {
		e.sent.Store(true)
	}
	if v.encoding != nil {
		hdr["Content-Encoding"] = v.encoding
	}
	hdr["Content-Length"] = v.length
	hdr["Last-Modified"] = e.lastModified
	answer(w, r, v.etag, e.since, cc, v.body)
}
