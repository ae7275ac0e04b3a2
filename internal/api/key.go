package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
)

// touchEvery is how stale a key's last use may get before a request
// records it: a write per request would queue every read behind SQLite's
// one writer, and "last used" is for people, to the minute.
const touchEvery = time.Minute

// keyFrom checks the Authorization header. No header: ok is false and
// there is no error (the public view). A header that is not a live key is
// a 401 even where no key is needed: a wrong key is a client bug worth
// telling rather than silently serving less.
func (s *Server) keyFrom(r *http.Request) (k store.APIKey, ok bool, err error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return k, false, nil
	}
	scheme, token, _ := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return k, false, unauthorized("invalid_key", `the Authorization header must be "Bearer <key>"`)
	}
	if !auth.LooksLikeAPIKey(token) {
		return k, false, unauthorized("invalid_key", "the API key is not valid")
	}
	k, err = s.store.APIKeyByHash(r.Context(), auth.APIKeyHash(token))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return k, false, unauthorized("invalid_key", "the API key is not valid")
	case err != nil:
		return k, false, err
	case !k.RevokedAt.IsZero():
		return k, false, unauthorized("revoked_key", "the API key has been revoked")
	}
	if now := s.now(); now.Sub(k.LastUsedAt) >= touchEvery {
		if err := s.store.TouchAPIKey(r.Context(), k.ID, now); err != nil {
			s.log.WarnContext(r.Context(), "record api key use", "key", k.ID, "err", err)
		}
	}
	return k, true, nil
}

// keyed checks the key and marks a keyed answer private.
func (s *Server) keyed(w http.ResponseWriter, r *http.Request) (bool, error) {
	_, ok, err := s.keyFrom(r)
	if ok {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	return ok, err
}
