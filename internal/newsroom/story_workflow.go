package newsroom

import (
	"errors"
	"fmt"
	"net/http"

	"dateline/internal/auth"
	"dateline/internal/store"
)

// workflowActions are the state changes the editor's side panel posts,
// with the permission each needs and the notice shown after.
var workflowActions = map[string]struct {
	need auth.Action
	done string
}{
	"submit":          {auth.SubmitStory, "submitted"},
	"publish":         {auth.PublishStory, "published"},
	"publish-changes": {auth.PublishStory, "changes"},
	"unpublish":       {auth.UnpublishStory, "unpublished"},
	"spike":           {auth.SpikeStory, "spiked"},
	"unspike":         {auth.SpikeStory, "unspiked"},
}

// storyWorkflow changes a story's state without touching its text:
// POST /newsroom/stories/{id}/{action}. Each change is audited.
func (s *Server) storyWorkflow(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := storyID(r)
	if err != nil {
		return err
	}
	name := r.PathValue("action")
	act, ok := workflowActions[name]
	if !ok {
		return notFound(fmt.Errorf("no action %q", name))
	}
	ctx := r.Context()
	wf := s.workflow()
	d, err := wf.Load(ctx, id)
	if err != nil {
		return err
	}
	if !auth.Can(u, act.need, d.Ref()) {
		return forbidden(errors.New("Your role may not do that to this story."))
	}
	minor := r.PostFormValue("minor") != ""
	switch name {
	case "submit":
		err = wf.Submit(ctx, u, id)
	case "publish":
		err = wf.Publish(ctx, u, id)
	case "publish-changes":
		err = wf.PublishChanges(ctx, u, id, minor)
	case "unpublish":
		err = wf.Unpublish(ctx, u, id)
	case "spike":
		err = wf.Spike(ctx, u, id)
	case "unspike":
		err = wf.Unspike(ctx, u, id)
	}
	if err != nil {
		return workflowError(err)
	}
	detail := ""
	if minor && name == "publish-changes" {
		detail = "minor edit"
	}
	s.audit(r, u, auditName(name), storyTarget(id), detail)
	if name == "spike" {
		http.Redirect(w, r, "/newsroom/stories?status=spiked&done=spiked", http.StatusSeeOther)
		return nil
	}
	redirectDone(w, r, id, act.done)
	return nil
}

func auditName(action string) string {
	if action == "publish-changes" {
		return "publish_changes"
	}
	return action
}
