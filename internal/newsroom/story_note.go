package newsroom

import (
	"errors"
	"net/http"

	"dateline/internal/auth"
	"dateline/internal/store"
)

// storyNote attaches a correction or update note to a story; on a live
// story readers see it at once, with its time.
func (s *Server) storyNote(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := storyID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return badRequest(errors.New("the form could not be read"))
	}
	ctx := r.Context()
	d, err := s.workflow().Load(ctx, id)
	if err != nil {
		return err
	}
	if !auth.Can(u, auth.AddNote, d.Ref()) {
		return forbidden(errors.New("Your role may not add notes to stories."))
	}
	kind := r.PostFormValue("kind")
	if err := s.workflow().AddNote(ctx, u, id, kind, r.PostFormValue("text")); err != nil {
		return workflowError(err)
	}
	s.audit(r, u, "add_note", storyTarget(id), kind)
	redirectDone(w, r, id, "note")
	return nil
}
