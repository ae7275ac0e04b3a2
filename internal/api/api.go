package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"dateline/internal/config"
	"dateline/internal/store"
)

// Deps are what the API needs from the rest of the program.
type Deps struct {
	Config *config.Config
	Store  store.Store
	Logger *slog.Logger
	Now    func() time.Time
}

// Server is the content API.
type Server struct {
	cfg   *config.Config
	store store.Store
	log   *slog.Logger
	now   func() time.Time
	own   *http.ServeMux // the API's routes alone, to tell 405 from 404
}

// New builds the API.
func New(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	s := &Server{cfg: d.Config, store: d.Store, log: d.Logger, now: d.Now, own: http.NewServeMux()}
	for _, rt := range s.routes() {
		s.own.HandleFunc(rt.pattern, func(http.ResponseWriter, *http.Request) {})
	}
	return s
}

// route is one URL of the API; routes lists them all, so the OpenAPI
// coverage test and Routes read the same table.
type route struct {
	pattern string
	handler handlerFunc
}

// routes lists every URL the API serves. Reading this function is the way
// to find what the API offers; /api/openapi.json describes each of them.
func (s *Server) routes() []route {
	return []route{
		{"GET /api/v1/stories", s.storyList},
		{"GET /api/v1/stories/{id}", s.storyShow},
		{"GET /api/v1/sections", s.sectionList},
		{"GET /api/v1/authors", s.authorList},
		{"GET /api/v1/tags", s.tagList},
		{"GET /api/openapi.json", s.openAPIShow},
	}
}

// Routes registers every URL of the API on mux, and catch-alls so that
// any other path under /api/ gets a JSON error, never the site's HTML
// page. The ServeMux cannot hold one /api/ catch-all beside the site's
// GET /{section}/{name} (neither pattern is more specific than the other),
// so the catch-all is spelt out by depth: any method from three segments
// on, and per method for /api and /api/{name}, where GET ranks above the
// site's pattern by its literal first segment. Routes of other parts under
// /api/ (such as a wire push endpoint) are more specific and win.
func (s *Server) Routes(mux *http.ServeMux) {
	for _, rt := range s.routes() {
		mux.HandleFunc(rt.pattern, s.handle(rt.handler))
	}
	none := s.handle(s.noRoute)
	mux.HandleFunc("/api/{a}/{b}", none)
	mux.HandleFunc("/api/{a}/{b}/{rest...}", none)
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		mux.HandleFunc(m+" /api", none)
		mux.HandleFunc(m+" /api/{$}", none)
		mux.HandleFunc(m+" /api/{name}", none)
	}
}

// noRoute answers a path under /api/ that no route takes: 405 when the
// path exists for GET (the API only reads), 404 otherwise.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		if _, pattern := s.own.Handler(get); pattern != "" {
			return &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
				Message: "the content API only answers GET and HEAD"}
		}
	}
	return notFound("no_route", "there is nothing at "+r.URL.Path+"; see /api/openapi.json")
}

// handlerFunc is an API handler that returns its error instead of
// writing it, so one place decides how errors look.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// Answers depend on the key sent; a shared cache must keep them apart.
		w.Header().Add("Vary", "Authorization")
		err := h(w, r)
		if err == nil {
			return
		}
		if errors.Is(err, context.Canceled) {
			return
		}
		var ae *Error
		if !errors.As(err, &ae) {
			if errors.Is(err, store.ErrNotFound) {
				ae = notFound("not_found", "no such resource")
			} else {
				s.log.ErrorContext(r.Context(), "api request failed", "path", r.URL.Path, "err", err)
				ae = &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "the request could not be handled"}
			}
		}
		writeError(w, ae)
	}
}

// writeJSON writes v as the response body. HTML is not escaped: bodies
// carry markup that partners read as it is, and the type is JSON.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
