package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

// Errors of the workflow, beside the store's (ErrNotFound, ErrConflict).
var (
	// ErrForbidden means the user's role does not allow the action on the
	// story in its present state.
	ErrForbidden = errors.New("not allowed")
	// ErrState means the action does not apply to the story's status
	// (publishing changes of a draft, submitting a live story...).
	ErrState = errors.New("not possible in this state")
	// ErrExpired means a spiked story is past its 30 days of grace.
	ErrExpired = errors.New("expired")
)

// SpikeGrace is how long a spiked story can be restored before the
// scheduler deletes it.
const SpikeGrace = 30 * 24 * time.Hour

// Service runs the workflow on a store.
type Service struct {
	store store.Store
	now   func() time.Time
	log   *slog.Logger
}

// New returns a Service. now is the clock (time.Now in production); log
// may be nil.
func New(st store.Store, now func() time.Time, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, now: now, log: log}
}

// Draft is a story as the editor opens it: the stored row, its workflow
// fields, and the staged edit that readers do not see yet, if any.
type Draft struct {
	Story   *story.Story
	Meta    store.StoryMeta
	Pending *store.Revision // nil when there is no staged edit
}

// Ref is what auth.Can needs to know of the draft.
func (d *Draft) Ref() auth.StoryRef {
	return auth.StoryRef{OwnerID: d.Meta.OwnerID, Status: d.Story.Status}
}

// Working is the text the editor works on: the staged edit of a live
// story when there is one, else the story itself.
func (d *Draft) Working() *story.Story {
	if d.Pending != nil {
		w := d.Pending.Snapshot
		return &w
	}
	return d.Story
}

// Load reads a story with its workflow fields and staged edit.
func (s *Service) Load(ctx context.Context, id int64) (*Draft, error) {
	st, err := s.store.Story(ctx, id)
	if err != nil {
		return nil, err
	}
	meta, err := s.store.StoryMeta(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &Draft{Story: st, Meta: meta}
	if st.Status == story.StatusPublished {
		p, err := s.store.PendingRevision(ctx, id)
		switch {
		case err == nil:
			d.Pending = &p
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
	}
	return d, nil
}

func (s *Service) allow(u store.User, a auth.Action, d *Draft) error {
	if !auth.Can(u, a, d.Ref()) {
		return fmt.Errorf("%w: a %s may not %s a %s story", ErrForbidden, u.Role, actionVerb(a), d.Story.Status)
	}
	return nil
}

func actionVerb(a auth.Action) string {
	switch a {
	case auth.EditStory:
		return "edit"
	case auth.SubmitStory:
		return "submit"
	case auth.PublishStory:
		return "publish or schedule"
	case auth.UnpublishStory:
		return "unpublish"
	case auth.SpikeStory:
		return "spike or restore"
	case auth.AddNote:
		return "add a note to"
	case auth.RestoreRevision:
		return "restore a revision of"
	}
	return string(a)
}

// Create stores a new draft owned by u, with its first revision.
func (s *Service) Create(ctx context.Context, u store.User, st *story.Story) (int64, error) {
	if !auth.Can(u, auth.CreateStory, auth.StoryRef{}) {
		return 0, fmt.Errorf("%w: a %s may not create stories", ErrForbidden, u.Role)
	}
	now := s.now()
	st.ID, st.Status, st.Version = 0, story.StatusDraft, 1
	st.CreatedAt, st.ModifiedAt = now, now
	id, err := s.store.ApplyStoryChange(ctx, store.StoryChange{Story: st, Meta: &store.StoryMeta{OwnerID: u.ID},
		Revision: s.revision(u, "save")})
	if err != nil {
		return 0, fmt.Errorf("workflow: create: %w", err)
	}
	return id, nil
}

// revision is the entry a step by u adds to a story's history; the store
// fills in the story and its snapshot (store.StoryChange).
func (s *Service) revision(u store.User, kind string) *store.Revision {
	return &store.Revision{UserID: u.ID, CreatedAt: s.now(), Kind: kind}
}

// Edit is what the editor sends: the editable fields of a story, the
// version it was loaded at and, for a live story, the staged revision it
// started from (0 when none), which together detect a colleague's save.
type Edit struct {
	Story     *story.Story
	Version   int
	PendingID int64
}

// Result says what a save did.
type Result struct {
	Version   int   // the story's version after the save
	PendingID int64 // the staged revision, for a live story
	Staged    bool  // the edit is staged: readers still see the live story
}

// Save stores an edit as a revision. A draft, submitted, scheduled or
// unpublished story is updated in place; a published story's edit is
// staged as a pending revision until PublishChanges. A save based on an
// older version than the stored one fails with store.ErrConflict and
// changes nothing.
func (s *Service) Save(ctx context.Context, u store.User, e Edit) (Result, error) {
	d, err := s.Load(ctx, e.Story.ID)
	if err != nil {
		return Result{}, err
	}
	if err := s.allow(u, auth.EditStory, d); err != nil {
		return Result{}, err
	}
	if d.Story.Status == story.StatusSpiked {
		return Result{}, fmt.Errorf("%w: restore the story from the spike before editing it", ErrState)
	}
	if e.Version != d.Story.Version || (d.Story.Status == story.StatusPublished && e.PendingID != pendingID(d)) {
		return Result{}, s.conflict(ctx, d, e)
	}
	next := apply(d.Story, e.Story)
	if d.Story.Status == story.StatusPublished {
		next.Version = d.Story.Version
		id, err := s.store.AddRevision(ctx, store.Revision{StoryID: next.ID, UserID: u.ID, CreatedAt: s.now(),
			Kind: "save", Pending: true, Snapshot: *next})
		if err != nil {
			return Result{}, fmt.Errorf("workflow: stage edit of %d: %w", next.ID, err)
		}
		return Result{Version: d.Story.Version, PendingID: id, Staged: true}, nil
	}
	if _, err := s.store.ApplyStoryChange(ctx, store.StoryChange{Story: next, Revision: s.revision(u, "save")}); err != nil {
		return Result{}, fmt.Errorf("workflow: save %d: %w", next.ID, err)
	}
	return Result{Version: next.Version}, nil
}

func pendingID(d *Draft) int64 {
	if d.Pending == nil {
		return 0
	}
	return d.Pending.ID
}

// ConflictError is a save refused because someone else saved first. It
// wraps store.ErrConflict and says who and when.
type ConflictError struct {
	By string
	At time.Time
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("saved by %s at %s in the meantime", e.By, e.At.Format(time.RFC3339))
}

// Unwrap makes errors.Is(err, store.ErrConflict) true.
func (e *ConflictError) Unwrap() error { return store.ErrConflict }

// conflict describes the newest save that the edit did not see.
func (s *Service) conflict(ctx context.Context, d *Draft, e Edit) error {
	ce := &ConflictError{By: "someone", At: d.Story.ModifiedAt}
	revs, err := s.store.Revisions(ctx, d.Story.ID)
	if err != nil {
		return fmt.Errorf("workflow: save %d: %w", d.Story.ID, err)
	}
	for _, r := range revs {
		if r.Kind != "autosave" {
			if r.UserName != "" {
				ce.By = r.UserName
			}
			ce.At = r.CreatedAt
			break
		}
	}
	return fmt.Errorf("workflow: save %d: %w", d.Story.ID, ce)
}

// Autosave keeps what the editor holds without the checks of a save: it
// is stored as an autosave revision (one per typing session), and a draft
// the user may edit, whose text is valid and whose version is current, is
// also saved in place. It reports whether the draft itself was saved and
// the story's version after.
func (s *Service) Autosave(ctx context.Context, u store.User, e Edit, valid bool) (saved bool, version int, err error) {
	d, err := s.Load(ctx, e.Story.ID)
	if err != nil {
		return false, 0, err
	}
	if err := s.allow(u, auth.EditStory, d); err != nil {
		return false, 0, err
	}
	next := apply(d.Story, e.Story)
	if _, err := s.store.SaveAutosave(ctx, store.Revision{StoryID: next.ID, UserID: u.ID, CreatedAt: s.now(), Snapshot: *next}); err != nil {
		return false, 0, fmt.Errorf("workflow: autosave %d: %w", next.ID, err)
	}
	if !valid || d.Story.Status != story.StatusDraft || e.Version != d.Story.Version {
		return false, d.Story.Version, nil
	}
	if err := s.store.UpdateStory(ctx, next); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return false, d.Story.Version, nil
		}
		return false, 0, fmt.Errorf("workflow: autosave %d: %w", next.ID, err)
	}
	return true, next.Version, nil
}

// Autosaved returns the newest autosave of u that is newer than every
// save of the story (the text a user had when their session ended), or
// nil.
func (s *Service) Autosaved(ctx context.Context, u store.User, d *Draft) (*store.Revision, error) {
	r, err := s.store.LatestRevision(ctx, d.Story.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if r.Kind != "autosave" || r.UserID != u.ID || !r.CreatedAt.After(d.Story.ModifiedAt) {
		return nil, nil
	}
	if d.Pending != nil && !r.CreatedAt.After(d.Pending.CreatedAt) {
		return nil, nil
	}
	return &r, nil
}

// apply returns cur with the editable fields of ed: what the editor may
// change. Identity, status, notes, wire fields, times and the version are
// the workflow's.
func apply(cur, ed *story.Story) *story.Story {
	n := *cur
	copyEditable(&n, ed)
	return &n
}

func copyEditable(dst, src *story.Story) {
	dst.Slug, dst.Language, dst.Type, dst.Section = src.Slug, src.Language, src.Type, src.Section
	dst.Headline, dst.Standfirst, dst.Lead = src.Headline, src.Standfirst, src.Lead
	dst.Bylines, dst.Source, dst.Tags = src.Bylines, src.Source, src.Tags
	dst.Body, dst.BodySource, dst.Related = src.Body, src.BodySource, src.Related
	dst.SEOTitle, dst.SEODesc = src.SEOTitle, src.SEODesc
}
