package store

import (
	"context"

	"dateline/internal/story"
)

// Searcher is the search part of the store.
type Searcher interface {
	// Search returns published stories matching what a reader typed, best
	// first. Any input is safe: it is never parsed as query syntax.
	Search(ctx context.Context, q string, limit int) ([]story.Summary, error)
}
