package api

import "net/http"

// tagItem is a tag as the API lists it.
type tagItem struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// tagList serves GET /api/v1/tags: the tags of published stories by slug,
// paged like the story list (?limit=, ?cursor=).
func (s *Server) tagList(w http.ResponseWriter, r *http.Request) error {
	q, err := params(r, "limit", "cursor")
	if err != nil {
		return err
	}
	if _, err := s.keyed(w, r); err != nil {
		return err
	}
	limit, err := parseLimit(q)
	if err != nil {
		return err
	}
	after, err := decodeTagCursor(q.Get("cursor"))
	if err != nil {
		return err
	}
	tags, err := s.store.APITags(r.Context(), after, limit+1)
	if err != nil {
		return err
	}
	page := listPage{HasMore: len(tags) > limit}
	if page.HasMore {
		tags = tags[:limit]
		c := encodeTagCursor(tags[limit-1].Slug)
		page.NextCursor = &c
	}
	out := make([]tagItem, 0, len(tags))
	for _, t := range tags {
		out = append(out, tagItem{Slug: t.Slug, Name: t.Name, URL: s.cfg.BaseURL + "/tag/" + t.Slug})
	}
	page.Data = out
	return writeJSON(w, http.StatusOK, page)
}
