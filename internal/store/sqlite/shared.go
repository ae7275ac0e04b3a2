package sqlite

import (
	"context"
	"database/sql"

	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// The shared pieces the bulk loader (bulk.go) builds on, in this store's
// dialect.

// inserter batches multi-row INSERTs (sqlshare.Inserter); the bulk loader
// builds on it.
type inserter = sqlshare.Inserter

func newInserter(ctx context.Context, tx *sql.Tx, table string, columns int, onConflict string) *inserter {
	return sqlshare.NewInserter(ctx, dialect{}, tx, table, columns, onConflict)
}

func ensureTag(ctx context.Context, q sqlshare.Querier, name string) (story.Tag, error) {
	return sqlshare.EnsureTagIn(ctx, dialect{}, q, name)
}

func storyArgs(st *story.Story) ([]any, error) { return sqlshare.StoryArgs(st) }

func (s *Store) writeChildren(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	return sqlshare.WriteChildren(ctx, dialect{s}, tx, st)
}

func eachRow(ctx context.Context, q querier, fn func(*sql.Rows) error, sqlText string, args ...any) error {
	rows, err := query(ctx, q, sqlText, args...)
	return sqlshare.EachRow(rows, err, fn)
}
