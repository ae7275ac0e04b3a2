package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/workflow"
)

// storyEditPage is the story editor.
type storyEditPage struct {
	Page
	editorChoices
	Form      storyForm
	Errors    fieldErrors
	New       bool
	Status    story.Status
	Meta      store.StoryMeta
	Staged    bool // the form holds a staged edit of a live story
	Conflict  string
	Notice    string
	Words     int
	Minutes   int
	Notes     []story.Note
	LiveURL   string // the public page, when the story is published
	LeadThumb string
	Can       storyPerms
	Action    string // where the form posts
	Preview   string // where the preview posts
}

// storyPerms are what the user may do with the story, for the buttons;
// the server checks again when they are pressed.
type storyPerms struct {
	Edit, Submit, Publish, Unpublish, Spike, Note, Restore bool
}

func permsFor(u store.User, ref auth.StoryRef) storyPerms {
	return storyPerms{
		Edit: auth.Can(u, auth.EditStory, ref), Submit: auth.Can(u, auth.SubmitStory, ref),
		Publish: auth.Can(u, auth.PublishStory, ref), Unpublish: auth.Can(u, auth.UnpublishStory, ref),
		Spike: auth.Can(u, auth.SpikeStory, ref), Note: auth.Can(u, auth.AddNote, ref),
		Restore: auth.Can(u, auth.RestoreRevision, ref),
	}
}

// doneMessages are the notices shown after a redirect, by ?done= code.
var doneMessages = map[string]string{
	"created": "Draft created.", "saved": "Saved.", "staged": "Changes saved. Readers still see the published version until you publish the changes.",
	"submitted": "Submitted for review.", "published": "Published.", "scheduled": "Scheduled.",
	"changes": "Changes published.", "unpublished": "Unpublished: the story's address now answers 410 Gone.",
	"spiked": "Spiked. It can be restored for 30 days from the list of spiked stories.", "unspiked": "Restored from the spike as a draft.",
	"note": "Note added; it shows on the story page.", "restored": "Revision restored as a new revision.",
}

func storyID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound(fmt.Errorf("%q is not a story number", r.PathValue("id")))
	}
	return id, nil
}

// storyEdit opens the editor on a story: its staged edit when it has one,
// and the user's autosaved text when that is newer than any save (their
// session ended before they could save).
func (s *Server) storyEdit(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := storyID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.workflow().Load(ctx, id)
	if err != nil {
		return err
	}
	work := d.Working()
	f := formFromStory(work)
	f.Version, f.PendingID = d.Story.Version, 0
	if d.Pending != nil {
		f.PendingID = d.Pending.ID
	}
	p, err := s.editorPage(r, u, d, f, nil)
	if err != nil {
		return err
	}
	p.Flash = doneMessages[r.URL.Query().Get("done")]
	if auto, err := s.workflow().Autosaved(ctx, u, d); err != nil {
		return err
	} else if auto != nil {
		af := formFromStory(&auto.Snapshot)
		af.Version, af.PendingID = f.Version, f.PendingID
		p.Form = af
		p.Notice = "This is your autosaved text of " + auto.CreatedAt.In(s.cfg.Location).Format("2 Jan 2006 15:04") +
			", newer than the last save. Save to keep it, or reload the page after saving to see the saved version."
		work = &auto.Snapshot
	}
	// ?lead=ID comes back from the media library's picker.
	if lead := r.URL.Query().Get("lead"); lead != "" {
		if lid, err := strconv.ParseInt(lead, 10, 64); err == nil && lid > 0 {
			if m, err := s.store.Media(ctx, lid); err == nil {
				p.Form.LeadID, p.Form.LeadCaption, p.Form.LeadCredit, p.Form.LeadAlt = idString(m.ID), m.Caption, m.Credit, m.Alt
				p.LeadThumb = media.Src(m.Image(), 320)
				p.Notice = "Picture chosen. Save to keep it."
			}
		}
	}
	p.Words, p.Minutes = story.WordCount(work.Body), story.ReadingMinutes(work.Body)
	return s.render.Render(w, r, http.StatusOK, "story_edit", p)
}

// editorPage fills the editor page for a stored story (d) or a new one
// (d nil) with the form f.
func (s *Server) editorPage(r *http.Request, u store.User, d *workflow.Draft, f storyForm, errs fieldErrors) (storyEditPage, error) {
	c, err := s.editorChoices(r.Context())
	if err != nil {
		return storyEditPage{}, err
	}
	p := storyEditPage{editorChoices: c, Form: f, Errors: errs}
	if d == nil {
		p.Page = s.page(u, "New story", "new")
		p.New, p.Status = true, story.StatusDraft
		p.Can = permsFor(u, auth.StoryRef{OwnerID: u.ID, Status: story.StatusDraft})
		p.Action, p.Preview = "/newsroom/stories/new", "/newsroom/stories/new/preview"
		if p.Form.Language == "" {
			p.Form.Language = s.cfg.Language
		}
		if p.Form.Type == "" {
			p.Form.Type = string(story.TypeNews)
		}
	} else {
		p.Page = s.page(u, "Edit: "+d.Story.Headline, "stories")
		p.Status, p.Meta, p.Staged, p.Notes = d.Story.Status, d.Meta, d.Pending != nil, d.Story.Notes
		p.Can = permsFor(u, d.Ref())
		base := "/newsroom/stories/" + strconv.FormatInt(d.Story.ID, 10)
		p.Action, p.Preview = base, base+"/preview"
		if d.Story.Status == story.StatusPublished {
			p.LiveURL = d.Story.Path()
		}
		if d.Story.Lead != nil && f.LeadID == idString(d.Story.Lead.MediaID) {
			p.LeadThumb = media.Src(d.Story.Lead, 320)
		}
	}
	if p.LeadThumb == "" && f.LeadID != "" {
		if id, err := strconv.ParseInt(f.LeadID, 10, 64); err == nil {
			if m, err := s.store.Media(r.Context(), id); err == nil {
				p.LeadThumb = media.Src(m.Image(), 320)
			}
		}
	}
	return p, nil
}

// renderEditor shows the form again with what went wrong, keeping every
// character the user typed.
func (s *Server) renderEditor(w http.ResponseWriter, r *http.Request, u store.User, d *workflow.Draft, f storyForm, errs fieldErrors, st *story.Story, status int, problem string) error {
	p, err := s.editorPage(r, u, d, f, errs)
	if err != nil {
		return err
	}
	if st != nil {
		p.Words, p.Minutes = story.WordCount(st.Body), story.ReadingMinutes(st.Body)
	}
	p.Error = problem
	return s.render.Render(w, r, status, "story_edit", p)
}

// conflictMessage explains a refused save to its author.
func (s *Server) conflictMessage(err error) string {
	var ce *workflow.ConflictError
	if errors.As(err, &ce) {
		return fmt.Sprintf("%s saved this story at %s, after you opened it. Your save was not made, so nothing was overwritten: your text is below. Copy what you need, then reload the story and add it again.",
			ce.By, ce.At.In(s.cfg.Location).Format("15:04 on 2 Jan"))
	}
	return "Someone else saved this story after you opened it. Your text is below; copy what you need and reload."
}

// workflowError turns the workflow's refusals into HTTP errors with
// messages safe to show.
func workflowError(err error) error {
	switch {
	case errors.Is(err, workflow.ErrForbidden):
		return forbidden(errors.New(trimPrefix(err)))
	case errors.Is(err, workflow.ErrState):
		return conflict(errors.New(trimPrefix(err)))
	case errors.Is(err, workflow.ErrExpired):
		return &httpError{http.StatusGone, errors.New("The story was spiked more than 30 days ago and can no longer be restored.")}
	case errors.Is(err, store.ErrInvalid):
		return badRequest(errors.New(trimPrefix(err)))
	}
	return err
}

// trimPrefix keeps the explanation after the sentinel of a workflow error
// ("…: not allowed: a reporter may not…" → "A reporter may not…").
func trimPrefix(err error) string {
	msg := err.Error()
	for _, sentinel := range []error{workflow.ErrForbidden, workflow.ErrState, store.ErrInvalid} {
		if _, after, ok := strings.Cut(msg, sentinel.Error()+": "); ok {
			msg = after
			break
		}
	}
	if msg == "" {
		return "That is not possible."
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// redirectDone goes back to the editor with a notice.
func redirectDone(w http.ResponseWriter, r *http.Request, id int64, done string) {
	http.Redirect(w, r, "/newsroom/stories/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
}
