package push

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/wire"
	"dateline/internal/wire/ingest"
)

type itemResult struct {
	GUID      string `json:"guid,omitempty"`
	Version   int    `json:"version,omitempty"`
	Outcome   string `json:"outcome"`
	Reason    string `json:"reason,omitempty"`
	StoryID   int64  `json:"story_id,omitempty"`
	Unfetched int    `json:"pictures_not_fetched,omitempty"`
}

type pushResponse struct {
	Items []itemResult `json:"items"`
}

// itemsPush imports the wire file in the request body for the source.
// 401 without the source's token, 404 for an unknown source, 413 for a
// body over wire.MaxFileSize, 400 for a file in no known format.
func (s *Server) itemsPush(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	src, err := s.store.SourceBySlug(ctx, r.PathValue("source"))
	if errors.Is(err, store.ErrNotFound) {
		fail(w, http.StatusNotFound, fmt.Sprintf("no wire source %q", r.PathValue("source")))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="wire"`)
		fail(w, http.StatusUnauthorized, "missing bearer token: send Authorization: Bearer <the source's push token>")
		return
	}
	hash, publish, err := s.store.WirePushToken(ctx, src.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.internal(w, r, err)
		return
	}
	// Compared in constant time; a source without a token refuses all.
	if hash == "" || subtle.ConstantTimeCompare([]byte(auth.TokenID(strings.TrimSpace(token))), []byte(hash)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="wire", error="invalid_token"`)
		fail(w, http.StatusUnauthorized, "wrong bearer token for this source")
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, wire.MaxFileSize))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than the %d MiB a wire file may have", wire.MaxFileSize>>20))
		return
	}
	if err != nil {
		fail(w, http.StatusBadRequest, "could not read the body")
		return
	}
	im, err := ingest.New(ctx, ingest.Options{Store: s.store, Source: src.Label, PublishUnrouted: publish, Language: s.lang, Fetch: s.fetch})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	results, err := im.Import(ctx, data)
	if errors.Is(err, wire.ErrFormat) {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	resp := pushResponse{Items: []itemResult{}}
	for _, res := range results {
		resp.Items = append(resp.Items, itemResult{GUID: res.GUID, Version: res.Version, Outcome: res.Outcome,
			Reason: res.Reason, StoryID: res.StoryID, Unfetched: res.Unfetched})
	}
	s.log.InfoContext(ctx, "wire push", "source", src.Slug, "items", len(results))
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "wire push", "err", err)
	if errors.Is(err, store.ErrNoSpace) {
		// As the other forms and endpoints do: nothing of the item was
		// kept, and the sender may push it again once there is room.
		fail(w, http.StatusInsufficientStorage, "the item was not stored: the disk that holds the database is full; push it again later")
		return
	}
	fail(w, http.StatusInternalServerError, "the item could not be stored; try again")
}

func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
