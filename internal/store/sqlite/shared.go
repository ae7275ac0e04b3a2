package sqlite

import (
	"context"
	"database/sql"

	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// dialect is how SQLite runs the code both SQL stores share (package
// sqlshare): reads go through the statement cache, and the list queries
// name the indexes the planner would otherwise miss (plan_hints.go).
type dialect struct{ s *Store }

var _ sqlshare.Dialect = dialect{}

func (d dialect) Read(ctx context.Context, sqlText string, args ...any) (*sql.Rows, error) {
	return d.s.read(ctx, sqlText, args...)
}

func (d dialect) ReadRow(ctx context.Context, sqlText string, args ...any) *sql.Row {
	return d.s.readRow(ctx, sqlText, args...)
}

func (dialect) Query(ctx context.Context, q sqlshare.Querier, sqlText string, args ...any) (*sql.Rows, error) {
	return query(ctx, q, sqlText, args...)
}

func (dialect) QueryRow(ctx context.Context, q sqlshare.Querier, sqlText string, args ...any) *sql.Row {
	return queryRow(ctx, q, sqlText, args...)
}

func (dialect) Exec(ctx context.Context, q sqlshare.Querier, sqlText string, args ...any) (sql.Result, error) {
	return exec(ctx, q, sqlText, args...)
}

func (dialect) InsertID(ctx context.Context, q sqlshare.Querier, sqlText string, args ...any) (int64, error) {
	res, err := exec(ctx, q, sqlText, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (dialect) MapErr(err error) error { return mapErr(err) }

// CaseLike: SQLite's LIKE ignores ASCII case already.
func (dialect) CaseLike() string { return "LIKE" }

func (dialect) IndexedBy(index string) string { return " INDEXED BY " + index }

func (dialect) JSONIDs(param string) string { return "SELECT value FROM json_each(" + param + ")" }

// SearchKey: FTS5 keys its rows by rowid.
func (dialect) SearchKey() string { return "rowid" }

// The shared pieces this store's own SQL (search, sitemap, bulk) builds on.
const (
	summaryCols = sqlshare.SummaryCols
	summaryFrom = sqlshare.SummaryFrom
	sourceCols  = sqlshare.SourceCols
)

type scanner = sqlshare.Scanner

func scanSummary(sc scanner, extra ...any) (story.Summary, error) {
	return sqlshare.ScanSummary(sc, extra...)
}

func collect(rows *sql.Rows, withShared bool) ([]story.Summary, error) {
	return sqlshare.Collect(rows, withShared)
}

func clampLimit(n int) int { return sqlshare.ClampLimit(n) }

func (s *Store) attachBylines(ctx context.Context, list []story.Summary) error {
	return s.AttachBylines(ctx, list)
}
