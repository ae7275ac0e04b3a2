package app

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"dateline/internal/store"
)

// statusWriter remembers what a handler wrote, for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
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

// logRequests writes one slog line per request, with the number of SQL
// statements it cost, and turns a panic into a logged 500.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, queries := store.WithQueryCounter(r.Context())
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					http.Error(sw, "500 internal server error", http.StatusInternalServerError)
				}
			}
			log.LogAttrs(ctx, slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
				slog.Duration("dur", time.Since(start)), slog.Int64("queries", queries.Load()))
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
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
