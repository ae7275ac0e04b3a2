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
}

// New builds the API.
func New(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &Server{cfg: d.Config, store: d.Store, log: d.Logger, now: d.Now}
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

// Routes registers every URL of the API on mux. Unknown paths under /api/
// are answered with JSON by Guard, which wraps the whole mux.
func (s *Server) Routes(mux *http.ServeMux) {
	for _, rt := range s.routes() {
		mux.HandleFunc(rt.pattern, s.handle(rt.handler))
	}
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
