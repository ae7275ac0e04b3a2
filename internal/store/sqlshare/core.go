package sqlshare

import (
	"context"
	"database/sql"
	"time"

	"dateline/internal/story"
)

// IndexText is a store's own full-text index (SQLite's FTS5 table,
// PostgreSQL's tsvectors): it replaces story st's row inside tx, whatever
// the story's status (the newsroom searches drafts too).
type IndexText func(ctx context.Context, tx *sql.Tx, st *story.Story) error

// Core is the part of a SQL store that is the same on SQLite and
// PostgreSQL. A store embeds it, so its methods are the store's.
type Core struct {
	db   *sql.DB
	now  func() time.Time
	d    Dialect
	fill IndexText
	q    *texts
	sm   *sitemapTexts
}

// NewCore returns the shared part of a store on db, speaking d, whose
// full-text index fill keeps current.
func NewCore(db *sql.DB, now func() time.Time, d Dialect, fill IndexText) Core {
	return Core{db: db, now: now, d: d, fill: fill, q: newTexts(d), sm: newSitemapTexts(d)}
}
