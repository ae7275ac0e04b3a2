package api

import "net/http"

// sectionItem is a section as the API lists it.
type sectionItem struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url"`
}

// sectionList serves GET /api/v1/sections: every section in the site's
// navigation order. The list is short, so it is not paged.
func (s *Server) sectionList(w http.ResponseWriter, r *http.Request) error {
	if _, err := params(r); err != nil {
		return err
	}
	if _, err := s.keyed(w, r); err != nil {
		return err
	}
	secs, err := s.store.Sections(r.Context())
	if err != nil {
		return err
	}
	out := make([]sectionItem, 0, len(secs))
	for _, sec := range secs {
		out = append(out, sectionItem{Slug: sec.Slug, Name: sec.Name, Description: sec.Description, URL: s.cfg.BaseURL + "/" + sec.Slug})
	}
	return writeJSON(w, http.StatusOK, struct {
		Data []sectionItem `json:"data"`
	}{out})
}
