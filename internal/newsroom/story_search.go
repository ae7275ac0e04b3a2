package newsroom

import (
	"encoding/json"
	"net/http"
	"strings"

	"dateline/internal/store"
	"dateline/internal/story"
)

// storySearchHit is one published story for the related-story picker.
type storySearchHit struct {
	ID       int64  `json:"id"`
	Headline string `json:"headline"`
	Section  string `json:"section"`
	Path     string `json:"path"`
}

// storySearch finds published stories with the full-text engine (headline
// words as typed when it finds nothing), for the editor's related-story
// picker: GET /newsroom/stories/search?q=.
func (s *Server) storySearch(w http.ResponseWriter, r *http.Request, u store.User) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	hits := []storySearchHit{}
	if q != "" {
		items, err := s.deskSearch(r.Context(), store.DeskQuery{Statuses: []story.Status{story.StatusPublished}, Query: q, Limit: 10}, 0)
		if err != nil {
			return err
		}
		if len(items) > 10 {
			items = items[:10]
		}
		for _, it := range items {
			hits = append(hits, storySearchHit{ID: it.ID, Headline: it.Headline, Section: it.Section.Name, Path: it.Path()})
		}
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(hits)
}
