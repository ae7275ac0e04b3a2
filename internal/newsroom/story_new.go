package newsroom

import (
	"encoding/json"
	"errors"
	"net/http"

	"dateline/internal/auth"
	"dateline/internal/store"
)

// storyNew shows an empty editor.
func (s *Server) storyNew(w http.ResponseWriter, r *http.Request, u store.User) error {
	if !auth.Can(u, auth.CreateStory, auth.StoryRef{}) {
		return forbidden(errors.New("Your role may not create stories."))
	}
	f := storyForm{}
	if sec := r.URL.Query().Get("section"); sec != "" {
		f.SectionID = sec
	}
	f.LeadID = r.URL.Query().Get("lead")
	p, err := s.editorPage(r, u, nil, f, nil)
	if err != nil {
		return err
	}
	p.Minutes = 1
	return s.render.Render(w, r, http.StatusOK, "story_edit", p)
}

// createdJSON answers the first autosave of a new story.
type createdJSON struct {
	OK      bool   `json:"ok"`
	ID      int64  `json:"id,omitempty"`
	Version int    `json:"version,omitempty"`
	URL     string `json:"url,omitempty"`
	Message string `json:"message,omitempty"`
}

// storyCreate saves a new story as a draft owned by its writer (and, when
// asked, submits or publishes it). A script's autosave of a new story
// creates the draft once it has a headline and a section.
func (s *Server) storyCreate(w http.ResponseWriter, r *http.Request, u store.User) error {
	if !auth.Can(u, auth.CreateStory, auth.StoryRef{}) {
		return forbidden(errors.New("Your role may not create stories."))
	}
	f, err := s.parseStoryForm(w, r, true)
	if err != nil {
		return err
	}
	ctx := r.Context()
	errs := fieldErrors{}
	if !wantsJSON(r) {
		if err := s.upload(r, u, &f, errs); err != nil {
			return err
		}
	}
	c, err := s.editorChoices(ctx)
	if err != nil {
		return err
	}
	st, more, err := s.build(ctx, f, c)
	if err != nil {
		return err
	}
	for k, v := range more {
		if errs[k] == "" {
			errs[k] = v
		}
	}
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		if len(errs) > 0 {
			return json.NewEncoder(w).Encode(createdJSON{Message: "Not saved yet: a new story needs a headline and a section first."})
		}
		id, err := s.workflow().Create(ctx, u, st)
		if err != nil {
			return workflowError(err)
		}
		s.audit(r, u, "create_story", storyTarget(id), st.Headline)
		return json.NewEncoder(w).Encode(createdJSON{OK: true, ID: id, Version: st.Version, URL: "/newsroom/stories/" + idString(id)})
	}
	if len(errs) > 0 {
		return s.renderEditor(w, r, u, nil, f, errs, st, http.StatusUnprocessableEntity, "The story was not saved: check the fields marked below.")
	}
	id, err := s.workflow().Create(ctx, u, st)
	if err != nil {
		return workflowError(err)
	}
	s.audit(r, u, "create_story", storyTarget(id), st.Headline)
	done, err := s.transition(r, u, id, r.PostFormValue("action"), f)
	if err != nil {
		return err
	}
	if done == "saved" {
		done = "created"
	}
	redirectDone(w, r, id, done)
	return nil
}

func storyTarget(id int64) string { return "story:" + idString(id) }
