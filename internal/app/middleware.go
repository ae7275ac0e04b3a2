package app

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"dateline/internal/metrics"
	"dateline/internal/store"
)

// statusWriter remembers what a handler wrote, for the access log and
// the metrics.
type statusWriter struct {
	http.ResponseWriter
	status int // the final status; 0 until one is sent (1xx do not count)
	bytes  int
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
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// statusClientClosed is what observe logs and counts for a request whose
// reader left before it was answered, as nginx does.
const statusClientClosed = 499

// observe is the outermost handler: it writes one access-log line per
// request, with the number of SQL statements it cost, counts and times
// the request in m, and turns a panic into a logged 500.
//
// Both are done here, with one clock, one status writer and one query
// counter, because a page from the cache costs only tens of
// microseconds and two wrappers doing the same were a tenth of it
// (bench/RESULTS.md, "Eighth session").
func observe(log *slog.Logger, m *metrics.Metrics, next http.Handler) http.Handler {
	h := log.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, queries := store.WithQueryCounter(r.Context())
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler { // the handler gave up on the response
					m.Record(r, http.StatusInternalServerError, time.Since(start), queries.Load())
					panic(p)
				}
				log.Error("panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					http.Error(sw, "500 internal server error", http.StatusInternalServerError)
				}
				sw.status = http.StatusInternalServerError // whatever was sent before it
			}
			switch {
			case sw.status != 0:
			case r.Context().Err() != nil:
				// The reader left before anything was written (a render
				// waiting for a slot gives up then): nginx's 499.
				sw.status = statusClientClosed
			default: // nothing written: net/http sends a 200
				sw.status = http.StatusOK
			}
			end := time.Now()
			d, q := end.Sub(start), queries.Load()
			m.Record(r, sw.status, d, q)
			logRequest(ctx, h, end, r.Method, r.URL.Path, sw.status, sw.bytes, d, q)
		}()
		next.ServeHTTP(sw, r)
	})
}

// securityHeaders sets the headers every response carries. The CSP allows
// only this origin's own files: no inline script or style anywhere. The
// values are made once and shared by every response (net/http only reads
// them; a later Set replaces a slice, an Add copies it, as each has no
// spare capacity).
//
// Cross-Origin-Opener-Policy isolates the newsroom and the API, where a
// signed-in session lives, from windows of other origins. The public
// pages hold nothing personal (one cached copy serves every reader), and
// there the header only cost each reader's browser a fresh process for
// the page: 35-50 ms more of its main thread per load in Chromium
// (bench/RESULTS.md, "Seventh session").
func securityHeaders(tls bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range securityHeaderValues {
			h[kv.key] = kv.value
		}
		if p := r.URL.Path; strings.HasPrefix(p, "/newsroom") || strings.HasPrefix(p, "/api/") {
			h["Cross-Origin-Opener-Policy"] = coopValue
		}
		if tls {
			h["Strict-Transport-Security"] = hstsValue
		}
		next.ServeHTTP(w, r)
	})
}

var (
	securityHeaderValues = []struct {
		key   string
		value []string
	}{
		{"Content-Security-Policy", []string{"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
			"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"}},
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
		{"X-Frame-Options", []string{"DENY"}},
		{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=()"}},
	}
	coopValue = []string{"same-origin"}
	hstsValue = []string{"max-age=31536000; includeSubDomains"}
)
