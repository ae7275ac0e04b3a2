package newsroom

import (
	"encoding/json"
	"errors"
	"net/http"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/workflow"
)

// autosaveJSON is the answer to the editor's script.
type autosaveJSON struct {
	OK         bool   `json:"ok"`
	SavedDraft bool   `json:"saved_draft"`
	Version    int    `json:"version"`
	Words      int    `json:"words"`
	Minutes    int    `json:"minutes"`
	At         string `json:"at"`
	Message    string `json:"message,omitempty"`
}

// storyAutosave keeps what the editor holds every few seconds, as an
// autosave revision (and a valid draft in place). A session that ended
// answers 401 through s.user, and the script keeps the text on screen.
func (s *Server) storyAutosave(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := storyID(r)
	if err != nil {
		return err
	}
	f, err := s.parseStoryForm(w, r, false)
	if err != nil {
		return err
	}
	f.ID = id
	ctx := r.Context()
	wf := s.workflow()
	d, err := wf.Load(ctx, id)
	if err != nil {
		return err
	}
	if !auth.Can(u, auth.EditStory, d.Ref()) {
		return forbidden(errors.New("Your role may not edit this story in its present state."))
	}
	c, err := s.editorChoices(ctx)
	if err != nil {
		return err
	}
	st, errs, err := s.build(ctx, f, c)
	if err != nil {
		return err
	}
	keepSlug(f, d.Story, st)
	saved, version, err := wf.Autosave(ctx, u, workflow.Edit{Story: st, Version: f.Version, PendingID: f.PendingID}, len(errs) == 0)
	if err != nil {
		return workflowError(err)
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(autosaveJSON{OK: true, SavedDraft: saved, Version: version,
		Words: story.WordCount(st.Body), Minutes: story.ReadingMinutes(st.Body),
		At: s.now().In(s.cfg.Location).Format("15:04:05")})
}
