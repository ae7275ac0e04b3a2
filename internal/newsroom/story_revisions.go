package newsroom

import (
	"net/http"

	"dateline/internal/auth"
	"dateline/internal/store"
)

// storyRevisionsPage lists a story's revisions.
type storyRevisionsPage struct {
	Page
	StoryID    int64
	Headline   string
	Revisions  []store.Revision
	CanRestore bool
	A, B       int64 // preselected for comparison
}

// storyRevisions lists every save of a story, newest first, with a form
// to compare any two and buttons to restore one.
func (s *Server) storyRevisions(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := storyID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.workflow().Load(ctx, id)
	if err != nil {
		return err
	}
	revs, err := s.store.Revisions(ctx, id)
	if err != nil {
		return err
	}
	p := storyRevisionsPage{Page: s.page(u, "Revisions: "+d.Story.Headline, "stories"), StoryID: id,
		Headline: d.Story.Headline, Revisions: revs, CanRestore: auth.Can(u, auth.RestoreRevision, d.Ref())}
	if len(revs) > 1 {
		p.A, p.B = revs[1].ID, revs[0].ID
	}
	p.Flash = doneMessages[r.URL.Query().Get("done")]
	return s.render.Render(w, r, http.StatusOK, "story_revisions", p)
}

// storyRestore makes an old revision the current text again, as a new
// revision (staged, for a live story).
func (s *Server) storyRestore(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := storyID(r)
	if err != nil {
		return err
	}
	rev, err := parseID(r.PathValue("rev"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	wf := s.workflow()
	d, err := wf.Load(ctx, id)
	if err != nil {
		return err
	}
	if !auth.Can(u, auth.RestoreRevision, d.Ref()) {
		return forbidden(errFor("restore revisions of this story"))
	}
	if err := wf.Restore(ctx, u, id, rev); err != nil {
		return workflowError(err)
	}
	s.audit(r, u, "restore_revision", storyTarget(id), "revision "+idString(rev))
	redirectDone(w, r, id, "restored")
	return nil
}
