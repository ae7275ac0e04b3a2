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
	"net/http"
	"sync"
	"time"

	"dateline/internal/httpcache"
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
	// Renders returns the counters of the bound on renders running at
	// once; nil when there is none.
	Renders func() httpcache.RenderStats
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

// Record counts one answered request by route and status class, with its
// duration and the SQL statements it cost. The HTTP surface's outermost
// handler calls it once a request (package app), after the access log's
// figures are known, so that a request is timed and counted once.
func (m *Metrics) Record(r *http.Request, status int, d time.Duration, queries int64) {
	route := m.route(r)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{route, statusClass(status)}]++
	h := m.duration[route]
	if h == nil {
		h = newHistogram()
		m.duration[route] = h
	}
	h.observe(d.Seconds())
	m.queries[route] += queries
	m.perReq.observe(float64(queries))
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

// route names r's route: the pattern the mux matched, set on r by the
// mux (or by the page cache, for the page it rendered before), else the
// one Options.Route finds, for a request answered before the mux.
func (m *Metrics) route(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	if p := m.o.Route(r); p != "" {
		return p
	}
	return "unmatched"
}

var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

func statusClass(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return statusClasses[code/100-1]
}
