package store

import (
	"context"
	"time"

	"dateline/internal/story"
)

// Workflow is the part of the store the story editor and its workflow
// add beyond Newsroom (workflow.go).
type Workflow interface {
	// SaveAutosave stores an autosave revision (Kind "autosave"). When the
	// story's newest revision is already an autosave by the same user, it
	// is replaced rather than followed, so a typing session leaves one
	// revision instead of one every few seconds. It returns the id.
	SaveAutosave(ctx context.Context, r Revision) (int64, error)
	// LatestRevision returns a story's newest revision with its snapshot;
	// ErrNotFound when it has none.
	LatestRevision(ctx context.Context, storyID int64) (Revision, error)
	// PurgeSpiked deletes the stories spiked before a time, with their
	// revisions, and returns their ids.
	PurgeSpiked(ctx context.Context, before time.Time) ([]int64, error)
	// SourceList returns every wire source, by name, for the editor's
	// choice of source.
	SourceList(ctx context.Context) ([]story.Source, error)
}
