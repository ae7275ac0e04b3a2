package sqlite

import (
	"context"
	"database/sql"
	"strconv"

	"dateline/internal/store"
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

func (dialect) Rebind(sqlText string) string { return sqlText }

// BulkWrite sets conn up for the related-list rebuild, and back after:
//   - cache_size: the chunks rewrite rows all over story_terms (it is
//     ordered by term); with the default cache of a few megabytes each
//     insert would read its page back from the file.
//   - temp_store in memory: each multi-row insert keeps a statement
//     journal of the pages it changes, a temporary file otherwise.
//   - foreign_keys off: every row would look its story up in the
//     stories table (big rows, rarely cached); the rebuild only writes
//     rows for stories it has just seen published in the same
//     transaction, which is the check the keys would make.
func (dialect) BulkWrite(ctx context.Context, conn *sql.Conn) (func(), error) {
	var cache, temp int
	if err := conn.QueryRowContext(ctx, "SELECT * FROM pragma_cache_size, pragma_temp_store").Scan(&cache, &temp); err != nil {
		return nil, err
	}
	restore := func() {
		conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
		conn.ExecContext(context.Background(), "PRAGMA temp_store = "+strconv.Itoa(temp))
		conn.ExecContext(context.Background(), "PRAGMA cache_size = "+strconv.Itoa(cache))
	}
	for _, p := range []string{"PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY", "PRAGMA foreign_keys = OFF"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			restore()
			return nil, err
		}
	}
	return restore, nil
}

func (dialect) StrPos() string { return "instr" }

// The shared pieces this store's own SQL (search, sitemap, bulk) builds on.
const (
	summaryCols = sqlshare.SummaryCols
	summaryFrom = sqlshare.SummaryFrom
	sourceCols  = sqlshare.SourceCols
	wireCols    = sqlshare.WireCols
)

type scanner = sqlshare.Scanner

func scanSummary(sc scanner, extra ...any) (story.Summary, error) {
	return sqlshare.ScanSummary(sc, extra...)
}

func clampLimit(n int) int { return sqlshare.ClampLimit(n) }

func (s *Store) attachBylines(ctx context.Context, list []story.Summary) error {
	return s.AttachBylines(ctx, list)
}

// terms is this store's term bookkeeping (search_counts.go, search.go),
// which the shared related-list code builds on.
var terms = sqlshare.Terms{Counted: countedTerms, Recount: recount, BodyText: bodyText, EncodeIDs: encodeIDs}

// txCore runs shared code that works only inside a transaction it is
// given, where no Store is at hand (indexStory relating a story).
var txCore = sqlshare.NewCore(nil, nil, dialect{}, terms)

// relateStory keeps the related lists current after st was written in tx
// (sqlshare.Core.RelateStory).
func relateStory(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	return txCore.RelateStory(ctx, tx, st)
}

const rowsPerInsert = sqlshare.RowsPerInsert

func splitIDs(ids []int64, n int) [][]int64 { return sqlshare.SplitIDs(ids, n) }

func nullID(id int64) sql.NullInt64 { return sqlshare.NullID(id) }

func recordEvent(ctx context.Context, tx *sql.Tx, old story.Status, st *story.Story, at int64) error {
	return sqlshare.RecordEvent(ctx, dialect{}, tx, old, st, at)
}

func storyStatus(ctx context.Context, tx *sql.Tx, id int64) (story.Status, error) {
	return sqlshare.StoryStatus(ctx, dialect{}, tx, id)
}

func scanWireItem(r scanner) (store.WireItem, error) { return sqlshare.ScanWireItem(r) }

func eachRow(ctx context.Context, q querier, fn func(*sql.Rows) error, sqlText string, args ...any) error {
	rows, err := query(ctx, q, sqlText, args...)
	return sqlshare.EachRow(rows, err, fn)
}
