package metrics_test

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"dateline/internal/testutil"
)

var site *testutil.Site

func TestMain(m *testing.M) {
	dir := testutil.MustTempDir("metrics")
	s, err := testutil.NewSite(dir, nil)
	if err != nil {
		os.RemoveAll(dir)
		panic(err)
	}
	site = s
	code := m.Run()
	s.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// exposition is a parsed /metrics answer: families by name with their
// TYPE, and samples by name and label set.
type exposition struct {
	types   map[string]string
	samples map[string]float64 // `name{labels}` → value
}

var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$`)
	typeLine   = regexp.MustCompile(`^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$`)
)

// scrape fetches /metrics through the real handler and checks every line
// against the text format.
func scrape(t *testing.T) exposition {
	t.Helper()
	rec := httptest.NewRecorder()
	site.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q, want the text exposition format", ct)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	if e := rec.Header().Get("ETag"); e != "" {
		t.Errorf("ETag %q on /metrics: it went through the page cache", e)
	}
	x := exposition{types: map[string]string{}, samples: map[string]float64{}}
	sc := bufio.NewScanner(rec.Body)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# HELP "):
		case strings.HasPrefix(line, "# TYPE "):
			m := typeLine.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("line %d: bad TYPE line %q", n, line)
			}
			if _, dup := x.types[m[1]]; dup {
				t.Fatalf("line %d: family %s declared twice", n, m[1])
			}
			x.types[m[1]] = m[2]
		default:
			m := sampleLine.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("line %d: not a sample line: %q", n, line)
			}
			v, err := strconv.ParseFloat(m[3], 64)
			if err != nil && m[3] != "+Inf" {
				t.Fatalf("line %d: value %q: %v", n, m[3], err)
			}
			base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m[1], "_bucket"), "_sum"), "_count")
			if _, ok := x.types[m[1]]; !ok {
				if _, ok := x.types[base]; !ok {
					t.Fatalf("line %d: sample %s before its TYPE line", n, m[1])
				}
			}
			x.samples[m[1]+m[2]] = v
		}
	}
	return x
}

func get(t *testing.T, path string) int {
	t.Helper()
	rec := httptest.NewRecorder()
	site.Handler.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code
}

func TestMetricsFamilies(t *testing.T) {
	get(t, "/")
	x := scrape(t)
	for name, kind := range map[string]string{
		"dateline_http_requests_total":            "counter",
		"dateline_http_request_duration_seconds":  "histogram",
		"dateline_render_duration_seconds":        "histogram",
		"dateline_db_statements_total":            "counter",
		"dateline_db_statements_per_request":      "histogram",
		"dateline_page_cache_hits_total":          "counter",
		"dateline_page_cache_misses_total":        "counter",
		"dateline_page_cache_evictions_total":     "counter",
		"dateline_page_cache_stale_total":         "counter",
		"dateline_page_cache_invalidations_total": "counter",
		"dateline_page_cache_bytes":               "gauge",
		"dateline_render_slots":                   "gauge",
		"dateline_renders_waiting":                "gauge",
		"dateline_render_waits_total":             "counter",
		"process_resident_memory_bytes":           "gauge",
		"go_goroutines":                           "gauge",
	} {
		if got := x.types[name]; got != kind {
			t.Errorf("family %s: TYPE %q, want %q", name, got, kind)
		}
	}
	// Renders are bounded by the cores: plus one on SQLite, three a core
	// on PostgreSQL.
	want := float64(runtime.GOMAXPROCS(0) + 1)
	if site.Config.DatabaseURL != "" {
		want = float64(3 * runtime.GOMAXPROCS(0))
	}
	if got := x.samples["dateline_render_slots"]; got != want {
		t.Errorf("dateline_render_slots = %v, want %v", got, want)
	}
	if x.samples["process_resident_memory_bytes"] <= 0 {
		t.Errorf("process_resident_memory_bytes = %v, want the RSS", x.samples["process_resident_memory_bytes"])
	}
	// A histogram's +Inf bucket is its count, and buckets never fall.
	const front = `{route="GET /{$}"`
	inf := x.samples[`dateline_http_request_duration_seconds_bucket`+front+`,le="+Inf"}`]
	if count := x.samples[`dateline_http_request_duration_seconds_count`+front+`}`]; inf != count || count < 1 {
		t.Errorf("front page duration: +Inf bucket %v, count %v; want equal and at least 1", inf, count)
	}
	if x.samples[`dateline_db_statements_total`+front+`}`] < 1 {
		t.Errorf("front page: no SQL statements counted")
	}
}

func TestMetricsCountRequests(t *testing.T) {
	const ok = `dateline_http_requests_total{route="GET /{$}",code="2xx"}`
	const missing = `dateline_http_requests_total{route="GET /tag/{slug}",code="4xx"}`
	before := scrape(t)
	get(t, "/") // rendered or cached: counted either way
	get(t, "/")
	if code := get(t, "/tag/no-such-tag"); code != http.StatusNotFound {
		t.Fatalf("GET /tag/no-such-tag: status %d, want 404", code)
	}
	after := scrape(t)
	if d := after.samples[ok] - before.samples[ok]; d != 2 {
		t.Errorf("%s moved by %v after two front page requests, want 2", ok, d)
	}
	if d := after.samples[missing] - before.samples[missing]; d != 1 {
		t.Errorf("%s moved by %v after one unknown tag, want 1", missing, d)
	}
	// The second front page came from the page cache: a hit, and no
	// second render.
	const hits = "dateline_page_cache_hits_total"
	if after.samples[hits] <= before.samples[hits] {
		t.Errorf("%s stayed at %v over a repeated request", hits, after.samples[hits])
	}
	const renders = `dateline_render_duration_seconds_count{route="GET /{$}"}`
	if d := after.samples[renders] - before.samples[renders]; d > 1 {
		t.Errorf("front page rendered %v times for two requests with the cache on", d)
	}
	// /metrics counts itself under its own pattern.
	if after.samples[`dateline_http_requests_total{route="GET /metrics",code="2xx"}`] < 1 {
		t.Errorf("scrapes of /metrics are not counted")
	}
}
