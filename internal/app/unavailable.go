package app

import (
	"context"
	"net/http"
	"strings"
	"time"

	"dateline/internal/store"
)

// pinger is a store that can tell whether its database answers (the
// PostgreSQL store; an SQLite file does not go away).
type pinger interface {
	Ping(ctx context.Context) error
}

// storePinger returns st's pinger, looking through the view buffer, or
// nil.
func storePinger(st store.Store) pinger {
	if vb, ok := st.(*store.ViewBuffer); ok {
		st = vb.Store
	}
	p, _ := st.(pinger)
	return p
}

// retryAfter is what a 503 asks clients to wait, in seconds: about the
// time the store takes to reconnect once the database is back.
const retryAfter = "5"

// unavailable turns a handler's 500 into a 503 with Retry-After when the
// database does not answer: the failure is the database's, it is
// temporary, and the request may be repeated. Anything else, including a
// 500 while the database answers (a bug), passes through unchanged.
func unavailable(p pinger, next http.Handler) http.Handler {
	if p == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&unavailableWriter{ResponseWriter: w, r: r, p: p}, r)
	})
}

type unavailableWriter struct {
	http.ResponseWriter
	r       *http.Request
	p       pinger
	written bool // the status went out
	dropped bool // the handler's body is replaced by the 503 page
}

func (w *unavailableWriter) WriteHeader(code int) {
	if w.written {
		return
	}
	w.written = true
	if code == http.StatusInternalServerError && w.down() {
		w.dropped = true
		w.writeUnavailable()
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *unavailableWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	if w.dropped {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *unavailableWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// down asks the database, briefly.
func (w *unavailableWriter) down() bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(w.r.Context()), 2*time.Second)
	defer cancel()
	return w.p.Ping(ctx) != nil
}

const unavailablePage = `<!doctype html>
<html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Temporarily unavailable</title>
<h1>Temporarily unavailable</h1>
<p>The site cannot reach its database just now. Please try again in a few seconds.</p>
`

func (w *unavailableWriter) writeUnavailable() {
	h := w.Header()
	for _, k := range []string{"Content-Length", "Content-Encoding", "ETag", "Last-Modified", "Content-Disposition", "Location"} {
		h.Del(k)
	}
	h.Set("Retry-After", retryAfter)
	h.Set("Cache-Control", "no-store")
	body := unavailablePage
	if strings.HasPrefix(w.r.URL.Path, "/api/") || strings.Contains(w.r.Header.Get("Accept"), "application/json") {
		h.Set("Content-Type", "application/json; charset=utf-8")
		body = `{"error":{"code":"unavailable","message":"the database cannot be reached; try again in a few seconds"}}` + "\n"
	} else {
		h.Set("Content-Type", "text/html; charset=utf-8")
	}
	w.ResponseWriter.WriteHeader(http.StatusServiceUnavailable)
	if w.r.Method != http.MethodHead {
		w.ResponseWriter.Write([]byte(body))
	}
}
