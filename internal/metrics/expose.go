package metrics

import (
	"bytes"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ServeHTTP writes every metric in the Prometheus text format. It cannot
// fail: everything is in memory, and what the process cannot read about
// itself (/proc on a system without it) is left out.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	m.WriteText(&b)
	h := w.Header()
	h.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(b.Bytes())
	}
}

// WriteText writes every metric to b in the text exposition format.
func (m *Metrics) WriteText(b *bytes.Buffer) {
	m.mu.Lock()
	reqs := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		reqs = append(reqs, k)
	}
	slices.SortFunc(reqs, func(a, b reqKey) int {
		return strings.Compare(a.route+"\x00"+a.class, b.route+"\x00"+b.class)
	})
	family(b, "dateline_http_requests_total", "counter", "HTTP requests answered, by route pattern and status class.")
	for _, k := range reqs {
		sample(b, "dateline_http_requests_total", labels("route", k.route, "code", k.class), float64(m.requests[k]))
	}
	histograms(b, "dateline_http_request_duration_seconds", "Time to answer a request, from the cache or not, by route pattern.", m.duration)
	histograms(b, "dateline_render_duration_seconds", "Time spent in the handlers that build responses (page cache misses and uncached routes), by route pattern.", m.render)
	family(b, "dateline_db_statements_total", "counter", "SQL statements sent on behalf of requests, by route pattern.")
	for _, route := range sortedKeys(m.queries) {
		sample(b, "dateline_db_statements_total", labels("route", route), float64(m.queries[route]))
	}
	family(b, "dateline_db_statements_per_request", "histogram", "SQL statements each request cost.")
	writeHistogram(b, "dateline_db_statements_per_request", "", &m.perReq)
	m.mu.Unlock()

	if m.o.Cache != nil {
		s := m.o.Cache()
		singles(b, []single{
			{"dateline_page_cache_hits_total", "counter", "Answers sent from the page cache.", float64(s.Hits)},
			{"dateline_page_cache_misses_total", "counter", "Pages rendered to be cached (once per burst of requests).", float64(s.Misses)},
			{"dateline_page_cache_stale_total", "counter", "Cached pages sent while the database could not be asked whether they were current.", float64(s.Stale)},
			{"dateline_page_cache_evictions_total", "counter", "Pages dropped to keep the cache within its bound.", float64(s.Evictions)},
			{"dateline_page_cache_invalidations_total", "counter", "Times a content change emptied the cache.", float64(s.Invalidations)},
			{"dateline_page_cache_bytes", "gauge", "Memory held by cached pages.", float64(s.Bytes)},
			{"dateline_page_cache_max_bytes", "gauge", "The page cache's memory bound.", float64(s.MaxBytes)},
			{"dateline_page_cache_entries", "gauge", "Pages in the cache.", float64(s.Entries)},
		})
	}
	if m.o.Renders != nil {
		s := m.o.Renders()
		singles(b, []single{
			{"dateline_render_slots", "gauge", "Renders that may run at once (0: no bound); the others wait for a slot.", float64(s.Slots)},
			{"dateline_renders_waiting", "gauge", "Renders waiting for a slot now.", float64(s.Waiting)},
			{"dateline_render_waits_total", "counter", "Renders that had to wait for a slot.", float64(s.Waits)},
		})
	}

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	family(b, "go_goroutines", "gauge", "Goroutines that currently exist.")
	sample(b, "go_goroutines", "", float64(runtime.NumGoroutine()))
	family(b, "go_memstats_heap_inuse_bytes", "gauge", "Bytes in in-use heap spans.")
	sample(b, "go_memstats_heap_inuse_bytes", "", float64(ms.HeapInuse))
	family(b, "go_memstats_sys_bytes", "gauge", "Bytes obtained from the system by the Go runtime.")
	sample(b, "go_memstats_sys_bytes", "", float64(ms.Sys))
	family(b, "go_gc_cycles_total", "counter", "Completed garbage collection cycles.")
	sample(b, "go_gc_cycles_total", "", float64(ms.NumGC))
	if rss, ok := residentBytes(); ok {
		family(b, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.")
		sample(b, "process_resident_memory_bytes", "", float64(rss))
	}
	family(b, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.")
	sample(b, "process_start_time_seconds", "", float64(m.start.UnixNano())/1e9)
	family(b, "dateline_uptime_seconds", "gauge", "Seconds since the metrics began.")
	sample(b, "dateline_uptime_seconds", "", time.Since(m.start).Seconds())
}

// residentBytes reads the process's resident set size from /proc.
func residentBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

func histograms(b *bytes.Buffer, name, help string, hs map[string]*histogram) {
	family(b, name, "histogram", help)
	for _, route := range sortedKeys(hs) {
		writeHistogram(b, name, labels("route", route), hs[route])
	}
}

func writeHistogram(b *bytes.Buffer, name, lbl string, h *histogram) {
	var cum int64
	for i, bound := range h.bounds {
		cum += h.counts[i]
		sample(b, name+"_bucket", joinLabels(lbl, `le="`+formatFloat(bound)+`"`), float64(cum))
	}
	sample(b, name+"_bucket", joinLabels(lbl, `le="+Inf"`), float64(h.count))
	sample(b, name+"_sum", lbl, h.sum)
	sample(b, name+"_count", lbl, float64(h.count))
}

func family(b *bytes.Buffer, name, kind, help string) {
	b.WriteString("# HELP " + name + " " + help + "\n# TYPE " + name + " " + kind + "\n")
}

func sample(b *bytes.Buffer, name, lbl string, v float64) {
	b.WriteString(name)
	if lbl != "" {
		b.WriteString("{" + lbl + "}")
	}
	b.WriteString(" " + formatFloat(v) + "\n")
}

// labels renders name/value pairs, the values escaped as the format asks
// (backslash, double quote and line feed).
func labels(kv ...string) string {
	var sb strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(kv[i] + `="`)
		sb.WriteString(labelEscaper.Replace(kv[i+1]))
		sb.WriteByte('"')
	}
	return sb.String()
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func joinLabels(a, b string) string {
	if a == "" {
		return b
	}
	return a + "," + b
}

func formatFloat(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// single is a family of one sample without labels.
type single struct {
	name, kind, help string
	v                float64
}

func singles(b *bytes.Buffer, list []single) {
	for _, c := range list {
		family(b, c.name, c.kind, c.help)
		sample(b, c.name, "", c.v)
	}
}
