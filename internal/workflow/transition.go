package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"dateline/internal/auth"
	"dateline/internal/joblog"
	"dateline/internal/store"
	"dateline/internal/story"
)

// Submit sends a draft for review.
func (s *Service) Submit(ctx context.Context, u store.User, id int64) error {
	d, err := s.Load(ctx, id)
	if err != nil {
		return err
	}
	if err := s.allow(u, auth.SubmitStory, d); err != nil {
		return err
	}
	if d.Story.Status != story.StatusDraft {
		return fmt.Errorf("%w: only a draft can be submitted; this story is %s", ErrState, d.Story.Status)
	}
	return s.setStatus(ctx, d.Story, story.StatusSubmitted, store.StoryChange{})
}

// setStatus moves st to another status, with what else the step writes
// (ch's workflow fields, staged edit, revision), all in one transaction.
func (s *Service) setStatus(ctx context.Context, st *story.Story, to story.Status, ch store.StoryChange) error {
	from := st.Status
	st.Status = to
	ch.Story = st
	if _, err := s.store.ApplyStoryChange(ctx, ch); err != nil {
		st.Status = from
		return fmt.Errorf("workflow: %d from %s to %s: %w", st.ID, from, to, err)
	}
	return nil
}

// publishable are the states a story can be published (or scheduled) from.
func publishable(st story.Status) bool {
	switch st {
	case story.StatusDraft, story.StatusSubmitted, story.StatusScheduled, story.StatusUnpublished:
		return true
	}
	return false
}

// Publish makes a story public now. Its first publication time is set
// once, the first time; a story published again after being unpublished
// keeps it.
func (s *Service) Publish(ctx context.Context, u store.User, id int64) error {
	d, err := s.Load(ctx, id)
	if err != nil {
		return err
	}
	if err := s.allow(u, auth.PublishStory, d); err != nil {
		return err
	}
	if !publishable(d.Story.Status) {
		return fmt.Errorf("%w: a %s story cannot be published", ErrState, d.Story.Status)
	}
	return s.publish(ctx, u, d)
}

func (s *Service) publish(ctx context.Context, u store.User, d *Draft) error {
	now := s.now()
	st := d.Story
	if st.FirstPublishedAt.IsZero() {
		st.FirstPublishedAt = now
	}
	st.PublishedAt, st.UpdatedAt = now, now
	ch := store.StoryChange{Revision: s.revision(u, "publish")}
	if !d.Meta.ScheduledAt.IsZero() {
		d.Meta.ScheduledAt = time.Time{}
		ch.Meta = &d.Meta
	}
	return s.setStatus(ctx, st, story.StatusPublished, ch)
}

// Schedule holds a story under embargo until at, when Run publishes it.
func (s *Service) Schedule(ctx context.Context, u store.User, id int64, at time.Time) error {
	d, err := s.Load(ctx, id)
	if err != nil {
		return err
	}
	if err := s.allow(u, auth.PublishStory, d); err != nil {
		return err
	}
	if !publishable(d.Story.Status) {
		return fmt.Errorf("%w: a %s story cannot be scheduled", ErrState, d.Story.Status)
	}
	if !at.After(s.now()) {
		return fmt.Errorf("%w: the time to publish must be in the future", store.ErrInvalid)
	}
	d.Meta.ScheduledAt = at.UTC()
	return s.setStatus(ctx, d.Story, story.StatusScheduled, store.StoryChange{Meta: &d.Meta})
}

// Unpublish takes a live story down: its URL answers 410 Gone.
func (s *Service) Unpublish(ctx context.Context, u store.User, id int64) error {
	d, err := s.Load(ctx, id)
	if err != nil {
		return err
	}
	if err := s.allow(u, auth.UnpublishStory, d); err != nil {
		return err
	}
	switch d.Story.Status {
	case story.StatusPublished:
	case story.StatusScheduled:
		// Unscheduling: back to the desk.
		d.Meta.ScheduledAt = time.Time{}
		return s.setStatus(ctx, d.Story, story.StatusSubmitted, store.StoryChange{Meta: &d.Meta})
	default:
		return fmt.Errorf("%w: a %s story is not public", ErrState, d.Story.Status)
	}
	// A staged edit stays in the history; it no longer waits for publication.
	return s.setStatus(ctx, d.Story, story.StatusUnpublished, store.StoryChange{ClearPending: true})
}

// Spike puts a story in the trash, restorable for SpikeGrace. A live
// story leaves the site.
func (s *Service) Spike(ctx context.Context, u store.User, id int64) error {
	d, err := s.Load(ctx, id)
	if err != nil {
		return err
	}
	if err := s.allow(u, auth.SpikeStory, d); err != nil {
		return err
	}
	if d.Story.Status == story.StatusSpiked {
		return fmt.Errorf("%w: the story is already spiked", ErrState)
	}
	d.Meta.SpikedAt, d.Meta.ScheduledAt = s.now(), time.Time{}
	return s.setStatus(ctx, d.Story, story.StatusSpiked, store.StoryChange{Meta: &d.Meta, ClearPending: true})
}

// Unspike restores a spiked story as a draft (never straight back to the
// site), within SpikeGrace of its spiking.
func (s *Service) Unspike(ctx context.Context, u store.User, id int64) error {
	d, err := s.Load(ctx, id)
	if err != nil {
		return err
	}
	if err := s.allow(u, auth.SpikeStory, d); err != nil {
		return err
	}
	if d.Story.Status != story.StatusSpiked {
		return fmt.Errorf("%w: the story is not spiked", ErrState)
	}
	if s.now().Sub(d.Meta.SpikedAt) > SpikeGrace {
		return fmt.Errorf("workflow: unspike %d: %w: spiked more than 30 days ago", id, ErrExpired)
	}
	d.Meta.SpikedAt = time.Time{}
	return s.setStatus(ctx, d.Story, story.StatusDraft, store.StoryChange{Meta: &d.Meta})
}

// PublishChanges applies the staged edit of a live story. A minor edit (a
// typo) keeps the story's Updated time; any other moves it to now.
func (s *Service) PublishChanges(ctx context.Context, u store.User, id int64, minor bool) error {
	d, err := s.Load(ctx, id)
	if err != nil {
		return err
	}
	if err := s.allow(u, auth.PublishStory, d); err != nil {
		return err
	}
	if d.Pending == nil {
		return fmt.Errorf("%w: there are no staged changes to publish", ErrState)
	}
	st := d.Story
	copyEditable(st, &d.Pending.Snapshot)
	if !minor {
		st.UpdatedAt = s.now()
	}
	if _, err := s.store.ApplyStoryChange(ctx, store.StoryChange{Story: st, ClearPending: true, Revision: s.revision(u, "publish")}); err != nil {
		return fmt.Errorf("workflow: publish changes of %d: %w", id, err)
	}
	return nil
}

// Restore makes an old revision the current text, as a new revision. For
// a live story the restored text is staged, like any edit.
func (s *Service) Restore(ctx context.Context, u store.User, id, revID int64) error {
	d, err := s.Load(ctx, id)
	if err != nil {
		return err
	}
	if err := s.allow(u, auth.RestoreRevision, d); err != nil {
		return err
	}
	rev, err := s.store.Revision(ctx, revID)
	if err != nil {
		return err
	}
	if rev.StoryID != id {
		return fmt.Errorf("workflow: revision %d is not of story %d: %w", revID, id, store.ErrNotFound)
	}
	if d.Story.Status == story.StatusSpiked {
		return fmt.Errorf("%w: restore the story from the spike first", ErrState)
	}
	next := apply(d.Story, &rev.Snapshot)
	if d.Story.Status == story.StatusPublished {
		_, err := s.store.AddRevision(ctx, store.Revision{StoryID: id, UserID: u.ID, CreatedAt: s.now(),
			Kind: "restore", Pending: true, Snapshot: *next})
		if err != nil {
			return fmt.Errorf("workflow: restore %d of %d: %w", revID, id, err)
		}
		return nil
	}
	if _, err := s.store.ApplyStoryChange(ctx, store.StoryChange{Story: next, Revision: s.revision(u, "restore")}); err != nil {
		return fmt.Errorf("workflow: restore %d of %d: %w", revID, id, err)
	}
	return nil
}

// NoteKinds are the kinds of note a story can carry.
var NoteKinds = []string{"correction", "update"}

// AddNote attaches a correction or update note to a story; on a live
// story it shows at once, with its time.
func (s *Service) AddNote(ctx context.Context, u store.User, id int64, kind, text string) error {
	text = strings.TrimSpace(text)
	if kind != "correction" && kind != "update" {
		return fmt.Errorf("%w: a note is a correction or an update", store.ErrInvalid)
	}
	if text == "" || len(text) > 2000 {
		return fmt.Errorf("%w: write the note's text (at most 2,000 characters)", store.ErrInvalid)
	}
	d, err := s.Load(ctx, id)
	if err != nil {
		return err
	}
	if err := s.allow(u, auth.AddNote, d); err != nil {
		return err
	}
	st := d.Story
	st.Notes = append(st.Notes, story.Note{Kind: kind, Text: text, At: s.now()})
	if err := s.store.UpdateStory(ctx, st); err != nil {
		return fmt.Errorf("workflow: note on %d: %w", id, err)
	}
	return nil
}

// system is the actor of the scheduler's changes in the audit log.
var system = store.User{Email: "system", Name: "Scheduler"}

// Tick publishes every scheduled story whose time has come and deletes
// stories spiked more than SpikeGrace ago. Each story is published once
// even when several instances tick together: the version check lets one
// of them win. It returns the ids it published.
func (s *Service) Tick(ctx context.Context) ([]int64, error) {
	now := s.now()
	ids, err := s.store.DueScheduled(ctx, now)
	if err != nil {
		return nil, fmt.Errorf("workflow: tick: %w", err)
	}
	var done []int64
	var errs []error
	for _, id := range ids {
		d, err := s.Load(ctx, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if d.Story.Status != story.StatusScheduled || d.Meta.ScheduledAt.After(now) {
			continue
		}
		if err := s.publish(ctx, system, d); err != nil {
			if !errors.Is(err, store.ErrConflict) {
				errs = append(errs, err)
			}
			continue
		}
		done = append(done, id)
		s.auditSystem(ctx, "publish", id, "scheduled for "+d.Meta.ScheduledAt.Format(time.RFC3339))
	}
	purged, err := s.store.PurgeSpiked(ctx, now.Add(-SpikeGrace))
	if err != nil {
		errs = append(errs, err)
	}
	for _, id := range purged {
		s.auditSystem(ctx, "purge", id, "spiked more than 30 days ago")
	}
	return done, errors.Join(errs...)
}

func (s *Service) auditSystem(ctx context.Context, action string, id int64, detail string) {
	err := s.store.Audit(ctx, store.AuditEntry{At: s.now(), Actor: "system", Action: action,
		Target: fmt.Sprintf("story:%d", id), Detail: detail})
	if err != nil {
		s.log.ErrorContext(ctx, "audit", "action", action, "story", id, "err", err)
	}
}

// TickInterval is how often Run looks for stories to publish.
const TickInterval = 5 * time.Second

// Run publishes scheduled stories when their time comes, until ctx ends.
// It ticks once at once, so stories that fell due while the server was
// down go out at start.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(TickInterval)
	defer t.Stop()
	failures := joblog.New(s.log, "scheduler", 0, nil)
	for {
		ids, err := s.Tick(ctx)
		failures.Report(ctx, err)
		for _, id := range ids {
			s.log.InfoContext(ctx, "scheduled story published", "story", id)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
