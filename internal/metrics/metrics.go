// Package metrics counts what the HTTP server does and serves the figures
// to Prometheus at /metrics, in the text exposition format (version
// 0.0.4), written by hand: requests by route pattern and status class,
// request and render durations, the page cache's hits, misses and bytes,
// SQL statements, and the process's memory.
//
// Labels are route patterns ("GET /{section}/{name}"), never paths, so
// the number of series stays fixed however many stories there are.
package metrics

import (
	"context"
	"net/http"
	"sync"
	"time"

	"dateline/internal/httpcache"
	"dateline/internal/store"
)

// Buckets are the upper bounds, in seconds, of the duration histograms:
// from a cached page (tens of microseconds) to a slow render.
var Buckets = []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

// Options configure Metrics.
type Options struct {
	// Route names the route pattern that serves r ("" when none does).
	Route func(r *http.Request) string
	// Cache returns the page cache's counters; nil when there is none.
	Cache func() httpcache.Stats
}

// Metrics holds the counters. Its methods are safe for concurrent use.
type Metrics struct {
	o     Options
	start time.Time

	mu       sync.Mutex
	requests map[reqKey]int64      // requests by route and status class
	duration map[string]*histogram // request durations by route
	render   map[string]*histogram // time in handlers, by route: renders, not cache hits
	queries  map[string]int64      // SQL statements by route
	perReq   histogram             // SQL statements per request
}

type reqKey struct {
	route string
	class string // "2xx", "3xx", …
}

// New returns empty metrics.
func New(o Options) *Metrics {
	if o.Route == nil {
		o.Route = func(*http.Request) string { return "" }
	}
	return &Metrics{o: o, start: time.Now(), requests: map[reqKey]int64{},
		duration: map[string]*histogram{}, render: map[string]*histogram{}, queries: map[string]int64{},
		perReq: histogram{bounds: queryBuckets, counts: make([]int64, len(queryBuckets))}}
}

var queryBuckets = []float64{0, 1, 2, 5, 10, 20, 50, 100}

// histogram counts observations into cumulative buckets when written.
type histogram struct {
	bounds []float64
	counts []int64 // per bucket, not cumulative; the +Inf bucket is count
	sum    float64
	count  int64
}

func newHistogram() *histogram {
	return &histogram{bounds: Buckets, counts: make([]int64, len(Buckets))}
}

func (h *histogram) observe(v float64) {
	for i, b := range h.bounds {
		if v <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += v
	h.count++
}

// Observe wraps the whole HTTP surface: it counts every request by route
// and status class, times it, and counts the SQL statements it cost.
func (m *Metrics) Observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		route := m.route(r)
		queries := store.QueryCounterOf(r.Context()) // the access log's, when it counts
		if queries == nil {
			var ctx context.Context
			ctx, queries = store.WithQueryCounter(r.Context())
			r = r.WithContext(ctx)
		}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			d := time.Since(start).Seconds()
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			if p := recover(); p != nil {
				status = http.StatusInternalServerError
				defer panic(p)
			}
			q := queries.Load()
			m.mu.Lock()
			m.requests[reqKey{route, statusClass(status)}]++
			h := m.duration[route]
			if h == nil {
				h = newHistogram()
				m.duration[route] = h
			}
			h.observe(d)
			m.queries[route] += q
			m.perReq.observe(float64(q))
			m.mu.Unlock()
		}()
		next.ServeHTTP(sw, r)
	})
}

// Render wraps the handlers that build responses (inside the page
// cache): what it times is rendering, which a cache hit never reaches.
func (m *Metrics) Render(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer func() {
			d := time.Since(start).Seconds()
			route := m.route(r)
			m.mu.Lock()
			h := m.render[route]
			if h == nil {
				h = newHistogram()
				m.render[route] = h
			}
			h.observe(d)
			m.mu.Unlock()
		}()
		next.ServeHTTP(w, r)
	})
}

func (m *Metrics) route(r *http.Request) string {
	if p := m.o.Route(r); p != "" {
		return p
	}
	return "unmatched"
}

func statusClass(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return string(rune('0'+code/100)) + "xx"
}

// statusWriter remembers the status a handler sent.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
