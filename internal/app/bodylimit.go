package app

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"

	"dateline/internal/api"
	"dateline/internal/wire"
)

// Limits of request bodies. Most forms are a few fields; the site
// settings hold two pages of text; the story editor and the media library
// take pictures, and their handlers keep their own, tighter limits (a
// story form 2 MiB plus a 20 MiB picture, an upload 15 MiB): the ceiling
// here only makes sure no route reads without bound.
const (
	formBodyLimit     = 64 << 10
	settingsBodyLimit = 256 << 10
	uploadBodyCeiling = 24 << 20
)

// bodyLimit returns the most bytes a request to path may send, and
// whether its handler streams the body (large uploads) rather than
// taking it whole.
func bodyLimit(path string) (limit int64, stream bool) {
	switch {
	case path == "/newsroom/media":
		return uploadBodyCeiling, true
	case path == "/newsroom/settings":
		return settingsBodyLimit, false
	case strings.HasPrefix(path, "/api/v1/wire/"):
		// A pushed wire file; the push endpoint answers over its own
		// limit (wire.MaxFileSize) in its own words.
		return wire.MaxFileSize + 64<<10, true
	case strings.HasPrefix(path, "/newsroom/stories/"):
		rest := strings.TrimPrefix(path, "/newsroom/stories/")
		id, action, _ := strings.Cut(rest, "/")
		if id != "" && (action == "" || action == "preview" || action == "autosave") {
			return uploadBodyCeiling, true
		}
	}
	return formBodyLimit, false
}

// limitBodies bounds the body of every request that may carry one. A
// small body is read whole here, so a body over the limit is answered
// 413 before any handler runs, whether or not the client said its length;
// a large one is passed on through http.MaxBytesReader, and its handler
// answers 413 in its own words. tooLarge renders the site's page.
func limitBodies(tooLarge func(http.ResponseWriter, *http.Request, int64), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		limit, stream := bodyLimit(r.URL.Path)
		if r.ContentLength > limit {
			refuseBody(w, r, limit, tooLarge)
			return
		}
		if stream {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		if err != nil {
			http.Error(w, "400 bad request: the request body could not be read", http.StatusBadRequest)
			return
		}
		if int64(len(body)) > limit {
			refuseBody(w, r, limit, tooLarge)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// refuseBody answers 413 in the words of the surface asked: the API's
// JSON, the newsroom's plain words (JSON for its scripts), or the site's
// page. The connection is closed: the rest of the body is not read.
func refuseBody(w http.ResponseWriter, r *http.Request, limit int64, tooLarge func(http.ResponseWriter, *http.Request, int64)) {
	w.Header().Set("Connection", "close")
	msg := fmt.Sprintf("the request body is larger than the %d KiB this address accepts", limit>>10)
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		api.TooLarge(w, msg)
	case strings.HasPrefix(r.URL.Path, "/newsroom/"):
		w.Header().Set("Cache-Control", "no-store")
		if strings.Contains(r.Header.Get("Accept"), "application/json") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			fmt.Fprintf(w, "{\"error\":\"request_entity_too_large\",\"message\":%q}\n", "The form is too large: "+msg+".")
			return
		}
		http.Error(w, "413 Request Entity Too Large: the form is too large: "+msg+".", http.StatusRequestEntityTooLarge)
	default:
		tooLarge(w, r, limit)
	}
}
