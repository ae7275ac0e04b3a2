// Package push is the wire push endpoint, POST /api/v1/wire/{source}:
// an agency (or its relay) sends one wire file per request, authorised by
// the source's bearer token, and gets back what became of each item. It
// parses and authorises; the ingest package does the rest.
package push

import (
	"context"
	"log/slog"
	"net/http"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/wire"
)

// Server serves the push endpoint.
type Server struct {
	store store.Store
	fetch func(ctx context.Context, p wire.Picture) (*story.Image, error)
	lang  string
	log   *slog.Logger
}

// New returns a Server. fetch stores the pictures items refer to (nil
// leaves them unfetched); lang is used for items that declare no language.
func New(st store.Store, fetch func(ctx context.Context, p wire.Picture) (*story.Image, error), lang string, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{store: st, fetch: fetch, lang: lang, log: log}
}

// Routes registers the endpoint on mux.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/wire/{source}", s.itemsPush)
}
