package store

import "context"

// ContentVersioner tells caches when public content changed (cache.go).
type ContentVersioner interface {
	// ContentVersion returns a number that changes whenever anything a
	// public page shows is written (stories and their parts, sections,
	// authors, tags, sources, media, curation, settings), by this process
	// or another on the same store. It is cheap enough to ask on every
	// request.
	ContentVersion(ctx context.Context) (int64, error)
}
