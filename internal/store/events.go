package store

import (
	"context"
	"time"

	"dateline/internal/story"
)

// Kinds of StoryEvent.
const (
	EventPublished   = "published"   // became public (first time or again)
	EventUpdated     = "updated"     // changed while public
	EventUnpublished = "unpublished" // taken down by an editor
	EventKilled      = "killed"      // killed by its agency (pubStatus canceled)
	EventWithheld    = "withheld"    // withheld by its agency
)

// StoryEvent is one public change of a story, recorded by the store in the
// same transaction as the change itself. IDs only grow, so a consumer
// keeps the last id it handled and asks for the ones after it.
type StoryEvent struct {
	ID      int64
	StoryID int64
	Kind    string
	Version int // the story's version after the change
	At      time.Time
}

// EventKind returns the event a change of status from old to new records,
// or "" when the change is invisible from outside. old is "" for a story
// that did not exist before.
func EventKind(old, new story.Status) string {
	wasPublic := old == story.StatusPublished
	switch {
	case new == story.StatusPublished && wasPublic:
		return EventUpdated
	case new == story.StatusPublished:
		return EventPublished
	case !wasPublic:
		return ""
	case new == story.StatusKilled:
		return EventKilled
	case new == story.StatusWithheld:
		return EventWithheld
	default:
		return EventUnpublished
	}
}

// Events is the story event log (events.go).
type Events interface {
	// StoryEvents returns up to limit events with an id greater than
	// after, oldest first.
	StoryEvents(ctx context.Context, after int64, limit int) ([]StoryEvent, error)
	// LastStoryEvent returns the id of the newest event, or 0.
	LastStoryEvent(ctx context.Context) (int64, error)
}
