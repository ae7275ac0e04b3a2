package newsroom

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"dateline/internal/auth"
	"dateline/internal/store"
)

// apiKeyCreate makes a key and shows it on the answer itself, once: it is
// not stored, so a redirect could not carry it and a reload cannot show it.
func (s *Server) apiKeyCreate(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageSettings); err != nil {
		return err
	}
	if err := readForm(w, r, 4<<10); err != nil {
		return err
	}
	name := strings.Join(strings.Fields(r.PostForm.Get("name")), " ")
	if name == "" || utf8.RuneCountInString(name) > 100 {
		p, err := s.apiKeysPage(r, u)
		if err != nil {
			return err
		}
		p.Form, p.Error = name, "Say who the key is for (at most 100 characters), so it can be told apart and revoked later."
		return s.render.Render(w, r, http.StatusBadRequest, "api_keys", p)
	}
	key, hash, err := auth.NewAPIKey(rand.Reader)
	if err != nil {
		return err
	}
	id, err := s.store.CreateAPIKey(r.Context(), store.APIKey{Name: name, Hash: hash, CreatedBy: u.ID, CreatedAt: s.now()})
	if err != nil {
		return err
	}
	s.audit(r, u, "api_key_create", fmt.Sprintf("api_key:%d", id), name)
	p, err := s.apiKeysPage(r, u)
	if err != nil {
		return err
	}
	p.NewKey, p.NewName = key, name
	return s.render.Render(w, r, http.StatusCreated, "api_keys", p)
}
