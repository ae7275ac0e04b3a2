package api

import (
	"net/http"
	"strings"
)

// Guard wraps the application's mux so that every request under /api/
// that no API route takes gets a JSON error rather than the site's HTML
// page: the stdlib ServeMux cannot hold an /api/ catch-all beside the
// site's /{section}/{name}, so the choice is made here, by asking the mux
// which pattern would answer.
func Guard(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api" && !strings.HasPrefix(r.URL.Path, "/api/") || apiPattern(mux, r) {
			mux.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			get := r.Clone(r.Context())
			get.Method = http.MethodGet
			if apiPattern(mux, get) {
				writeError(w, &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
					Message: "the content API only answers GET and HEAD"})
				return
			}
		}
		writeError(w, notFound("no_route", "there is nothing at "+r.URL.Path+"; see /api/openapi.json"))
	})
}

// apiPattern reports whether the route mux would choose for r is one
// under /api/ (the API's own, or another part's such as the wire push).
func apiPattern(mux *http.ServeMux, r *http.Request) bool {
	_, pattern := mux.Handler(r)
	if _, path, ok := strings.Cut(pattern, " "); ok {
		pattern = path
	}
	return strings.HasPrefix(pattern, "/api/")
}
