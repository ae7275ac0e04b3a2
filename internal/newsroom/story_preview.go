package newsroom

import (
	"errors"
	"net/http"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

// storyPreview renders the form as readers would see it, with the public
// story template, without saving anything. It works without scripts: the
// preview button posts the editor's form to a new tab.
func (s *Server) storyPreview(w http.ResponseWriter, r *http.Request, u store.User) error {
	var id int64
	if r.PathValue("id") != "new" {
		var err error
		if id, err = storyID(r); err != nil {
			return err
		}
	} else if !auth.Can(u, auth.CreateStory, auth.StoryRef{}) {
		return forbidden(errors.New("Your role may not create stories."))
	}
	f, err := s.parseStoryForm(w, r, true)
	if err != nil {
		return err
	}
	f.ID = id
	// A lead picture chosen in the same form shows in the preview. A
	// refused one is left out; the save says why.
	if err := s.upload(r, u, &f, fieldErrors{}); err != nil {
		return err
	}
	ctx := r.Context()
	c, err := s.editorChoices(ctx)
	if err != nil {
		return err
	}
	st, _, err := s.build(ctx, f, c)
	if err != nil {
		return err
	}
	if st.Section.ID == 0 && len(c.Sections) > 0 {
		st.Section = c.Sections[0]
	}
	st.Status = story.StatusDraft
	if id > 0 {
		cur, err := s.store.Story(ctx, id)
		if err != nil {
			return err
		}
		st.Status, st.Notes, st.FirstPublishedAt, st.UpdatedAt = cur.Status, cur.Notes, cur.FirstPublishedAt, cur.UpdatedAt
	}
	if st.FirstPublishedAt.IsZero() {
		st.FirstPublishedAt, st.UpdatedAt = s.now(), s.now()
	}
	return s.preview.RenderPreview(w, r, st)
}
