package store

import (
	"context"

	"dateline/internal/story"
)

// Batch reads many full stories at once, for pages and documents that
// show whole stories in a list: feeds, and later the content API.
type Batch interface {
	// StoriesByID returns the published stories among ids, complete with
	// bylines, tags, related ids, notes, lead image and body, in the
	// order of ids. Ids that are missing or not published are left out;
	// a repeated id comes back once. The number of statements does not
	// grow with len(ids).
	StoriesByID(ctx context.Context, ids []int64) ([]*story.Story, error)
}
