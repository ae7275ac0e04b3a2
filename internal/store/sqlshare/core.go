package sqlshare

import (
	"context"
	"database/sql"
	"time"

	"dateline/internal/search"
	"dateline/internal/story"
)

// Search is what the shared code needs of a store's full-text search
// (search.go, search_counts.go), which each store keeps in its own way:
// the index a story save updates, and the term counts the related lists
// build on.
type Search struct {
	// Index replaces the story's row in the full-text index and keeps
	// the related lists current, inside tx.
	Index func(ctx context.Context, tx *sql.Tx, st *story.Story) error
	// Counted lists the terms a story is counted under.
	Counted func(p search.Profile, st *story.Story) []string
	// Recount moves story id's counts to terms (nil: no longer
	// published) and returns the new counts of terms and the number of
	// published stories.
	Recount func(ctx context.Context, tx *sql.Tx, id int64, terms []string) (map[string]int, int, error)
	// BodyText is the plain text of a stored body.
	BodyText func(bodyJSON string) string
	// EncodeIDs is the stored form of a story's sorted term ids.
	EncodeIDs func(ids []int64) []byte
}

// Core is the part of a SQL store that is the same on SQLite and
// PostgreSQL. A store embeds it, so its methods are the store's.
type Core struct {
	db  *sql.DB
	now func() time.Time
	d   Dialect
	s   Search
	q   *texts
	sm  *sitemapTexts
}

// NewCore returns the shared part of a store on db, speaking d, with the
// store's full-text search s.
func NewCore(db *sql.DB, now func() time.Time, d Dialect, s Search) Core {
	return Core{db: db, now: now, d: d, s: s, q: newTexts(d), sm: newSitemapTexts(d)}
}
