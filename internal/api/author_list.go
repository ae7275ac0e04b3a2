package api

import (
	"net/http"

	"dateline/internal/media"
)

// authorItem is a staff author as the API lists it.
type authorItem struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Role     string `json:"role,omitempty"`
	Bio      string `json:"bio,omitempty"`
	URL      string `json:"url"`
	Portrait string `json:"portrait,omitempty"` // a 320 px wide picture
}

// authorList serves GET /api/v1/authors: every staff author, by name.
func (s *Server) authorList(w http.ResponseWriter, r *http.Request) error {
	if _, err := params(r); err != nil {
		return err
	}
	if _, err := s.keyed(w, r); err != nil {
		return err
	}
	authors, err := s.store.Authors(r.Context())
	if err != nil {
		return err
	}
	out := make([]authorItem, 0, len(authors))
	for _, a := range authors {
		it := authorItem{Slug: a.Slug, Name: a.Name, Role: a.Role, Bio: a.Bio, URL: s.cfg.BaseURL + "/author/" + a.Slug}
		if src := media.Src(a.Portrait, 320); src != "" {
			it.Portrait = s.cfg.BaseURL + src
		}
		out = append(out, it)
	}
	return writeJSON(w, http.StatusOK, struct {
		Data []authorItem `json:"data"`
	}{out})
}
