package app

import (
	"bytes"
	"context"
	"io"
	stdlog "log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dateline/internal/metrics"
)

// observe logs and counts each request once, with the status the reader
// got, a panic included.
func TestObserveLogsAndCountsOnce(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok/{x}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusEarlyHints) // a 1xx is not the status
		io.WriteString(w, "fine")
	})
	mux.HandleFunc("GET /empty", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("GET /panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	mux.HandleFunc("GET /late-panic", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "half a page")
		panic("boom")
	})
	mux.HandleFunc("GET /abort", func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })
	started := make(chan struct{})
	mux.HandleFunc("GET /left", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done() // as a render waiting for a slot gives up
	})
	m := metrics.New(metrics.Options{Route: func(r *http.Request) string { _, p := mux.Handler(r); return p }})
	h := observe(log, m, mux)

	srv := httptest.NewServer(h)
	defer srv.Close()
	srv.Config.ErrorLog = stdlog.New(io.Discard, "", 0) // the aborted request's line
	get := func(path string) (int, error) {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	if code, err := get("/ok/1"); code != http.StatusOK {
		t.Fatalf("GET /ok/1: status %d (%v), want 200 after the 103", code, err)
	}
	get("/empty")
	if code, _ := get("/panic"); code != http.StatusInternalServerError {
		t.Errorf("GET /panic: status %d, want 500", code)
	}
	get("/late-panic")
	if _, err := get("/abort"); err == nil {
		t.Errorf("GET /abort: answered; want the connection dropped, as net/http does for http.ErrAbortHandler")
	}
	get("/nowhere")
	// A reader who leaves before anything is written: nginx's 499.
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/left", nil)
	if resp, err := srv.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("GET /left: answered %d after the reader left", resp.StatusCode)
	}
	srv.Close() // every handler has returned

	out := logs.String()
	for _, want := range []string{
		"msg=request method=GET path=/ok/1 status=200 bytes=4 ",
		"msg=request method=GET path=/empty status=200 bytes=0 ",
		"level=ERROR msg=panic path=/panic panic=boom",
		"msg=request method=GET path=/panic status=500 ",
		"msg=request method=GET path=/late-panic status=500 ",
		"msg=request method=GET path=/nowhere status=404 ",
		"msg=request method=GET path=/left status=499 bytes=0 ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	// The client may ask twice on a dropped connection it had reused.
	if !strings.Contains(scrapeMetrics(m), `dateline_http_requests_total{route="GET /abort",code="5xx"} `) {
		t.Errorf("the aborted request was not counted as a 5xx")
	}
	if n := strings.Count(out, "msg=request"); n != 6 {
		t.Errorf("%d request lines for 7 requests, want 6 (none for the aborted one):\n%s", n, out)
	}

	text := scrapeMetrics(m)
	for _, want := range []string{
		`dateline_http_requests_total{route="GET /ok/{x}",code="2xx"} 1`,
		`dateline_http_requests_total{route="GET /empty",code="2xx"} 1`,
		`dateline_http_requests_total{route="GET /panic",code="5xx"} 1`,
		`dateline_http_requests_total{route="GET /late-panic",code="5xx"} 1`,
		`dateline_http_requests_total{route="unmatched",code="4xx"} 1`,
		`dateline_http_requests_total{route="GET /left",code="4xx"} 1`,
		`dateline_http_request_duration_seconds_count{route="GET /ok/{x}"} 1`,
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// scrapeMetrics returns m's exposition.
func scrapeMetrics(m *metrics.Metrics) string {
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}
