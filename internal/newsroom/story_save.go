package newsroom

import (
	"errors"
	"net/http"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/workflow"
)

// storySave saves the editor's form as a revision, then does what the
// pressed button asked (submit, publish, schedule, publish changes). A
// refused save shows the form again with the user's text.
func (s *Server) storySave(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := storyID(r)
	if err != nil {
		return err
	}
	f, err := s.parseStoryForm(w, r, true)
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
	action := r.PostFormValue("action")
	if need, ok := actionNeeds[action]; ok && !auth.Can(u, need, d.Ref()) {
		return forbidden(errors.New("Your role may not do that to this story."))
	}
	errs := fieldErrors{}
	if err := s.upload(r, u, &f, errs); err != nil {
		return err
	}
	c, err := s.editorChoices(ctx)
	if err != nil {
		return err
	}
	st, more, err := s.build(ctx, f, c)
	if err != nil {
		return err
	}
	keepSlug(f, d.Story, st)
	for k, v := range more {
		if errs[k] == "" {
			errs[k] = v
		}
	}
	if len(errs) > 0 {
		return s.renderEditor(w, r, u, d, f, errs, st, http.StatusUnprocessableEntity, "The story was not saved: check the fields marked below.")
	}
	res, err := wf.Save(ctx, u, workflow.Edit{Story: st, Version: f.Version, PendingID: f.PendingID})
	if errors.Is(err, store.ErrConflict) {
		s.audit(r, u, "save_conflict", storyTarget(id), "")
		return s.renderEditor(w, r, u, d, f, nil, st, http.StatusConflict, s.conflictMessage(err))
	}
	if err != nil {
		return workflowError(err)
	}
	f.Version, f.PendingID = res.Version, res.PendingID
	done, err := s.transition(r, u, id, action, f)
	if err != nil {
		return err
	}
	if done == "saved" && res.Staged {
		done = "staged"
	}
	redirectDone(w, r, id, done)
	return nil
}

// actionNeeds are the permissions the editor's buttons need beyond editing.
var actionNeeds = map[string]auth.Action{
	"submit": auth.SubmitStory, "publish": auth.PublishStory,
	"schedule": auth.PublishStory, "publish_changes": auth.PublishStory,
}

// transition does what the pressed button asks after a save and returns
// the notice code for the redirect. A refused schedule time leaves the
// saved story as it is and says why.
func (s *Server) transition(r *http.Request, u store.User, id int64, action string, f storyForm) (string, error) {
	ctx := r.Context()
	wf := s.workflow()
	var err error
	done := "saved"
	switch action {
	case "submit":
		err, done = wf.Submit(ctx, u, id), "submitted"
	case "publish":
		err, done = wf.Publish(ctx, u, id), "published"
	case "schedule":
		at, perr := s.scheduleTime(f.ScheduleAt)
		if perr != nil {
			return "", badRequest(errors.New("The story was saved but not scheduled: choose the date and time to publish."))
		}
		err, done = wf.Schedule(ctx, u, id, at), "scheduled"
		if err == nil {
			s.audit(r, u, "schedule", storyTarget(id), at.UTC().Format("2006-01-02T15:04:05Z"))
			return done, nil
		}
	case "publish_changes":
		err, done = wf.PublishChanges(ctx, u, id, f.Minor), "changes"
	}
	if err != nil {
		return "", workflowError(err)
	}
	if done != "saved" {
		detail := ""
		if action == "publish_changes" && f.Minor {
			detail = "minor edit"
		}
		s.audit(r, u, auditAction[action], storyTarget(id), detail)
	} else {
		s.audit(r, u, "save_story", storyTarget(id), "")
	}
	return done, nil
}

// auditAction names each transition in the audit log.
var auditAction = map[string]string{
	"submit": "submit", "publish": "publish", "schedule": "schedule", "publish_changes": "publish_changes",
	"unpublish": "unpublish", "spike": "spike", "unspike": "unspike",
}
