package api

import (
	"fmt"
	"net/http"
	"strconv"

	"dateline/internal/story"
)

// storyShow serves GET /api/v1/stories/{id}: a published story as ninjs
// (200). Without a key, a story unpublished or killed answers 410 with a
// JSON error (the change list is where tombstones are), and one never
// published, or withheld by its agency, 404 as on the site. With a key,
// every story answers 200 and its pubStatus and edNote tell its state.
func (s *Server) storyShow(w http.ResponseWriter, r *http.Request) error {
	q, err := params(r, "format")
	if err != nil {
		return err
	}
	keyed, err := s.keyed(w, r)
	if err != nil {
		return err
	}
	version, err := ninjsVersion(q)
	if err != nil {
		return err
	}
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	missing := notFound("not_found", fmt.Sprintf("there is no story %s", clip(raw)))
	if err != nil || id <= 0 {
		return missing
	}
	st, err := s.store.Story(r.Context(), id)
	if err != nil {
		return err // ErrNotFound becomes a JSON 404
	}
	switch {
	case keyed || st.Status == story.StatusPublished:
	case st.Status.Gone():
		return &Error{Status: http.StatusGone, Code: "gone", Message: fmt.Sprintf("story %d has been taken down", id)}
	default:
		return missing
	}
	b, err := s.builder(r.Context(), []*story.Story{st})
	if err != nil {
		return err
	}
	doc, err := encodeDoc(b.document(st), version)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, doc)
}
