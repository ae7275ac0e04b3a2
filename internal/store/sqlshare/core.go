package sqlshare

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"dateline/internal/search"
	"dateline/internal/store"
	"dateline/internal/story"
)

// Querier is what both *sql.DB and *sql.Tx offer; helpers take it so a
// public method decides whether they run inside its transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Dialect is what one SQL store does its own way. The shared SQL is
// written once, with ? and ?N placeholders; Query, QueryRow and Exec run
// it through Rebind and Args, and Read and the Tx methods through the
// store's own fast path (SQLite's statement cache). Every one of them
// calls store.CountQuery.
type Dialect interface {
	// Read runs a read-only query outside a transaction on the store's
	// fastest path; ReadRow is Read for one row.
	Read(ctx context.Context, sqlText string, args ...any) (*sql.Rows, error)
	ReadRow(ctx context.Context, sqlText string, args ...any) *sql.Row
	// Args adapts a statement's arguments to the database.
	Args(args []any) []any
	// MapErr turns driver errors into the store's sentinels.
	MapErr(err error) error
	// CaseLike is the operator of a case-insensitive LIKE.
	CaseLike() string
	// IndexedBy is the clause, after a table and its alias, that names
	// the index to read it through, or "" where the planner needs no
	// hint (see PublishedFrom).
	IndexedBy(index string) string
	// JSONIDs is a SELECT of the ids in the JSON array that parameter
	// param (? or ?N) holds, one row each, in a column named value.
	JSONIDs(param string) string
	// SearchKey is the column of the full-text table story_search that
	// holds the story's id.
	SearchKey() string
	// StrPos is the function that finds a substring: (haystack, needle),
	// 0 when absent.
	StrPos() string
	// TxExec and TxQueryRow run a statement that transactions run often
	// (story saves, wire imports) inside tx, on the store's fastest path
	// (SQLite: its cached prepared statement, bound to tx).
	TxExec(ctx context.Context, tx *sql.Tx, sqlText string, args ...any) (sql.Result, error)
	TxQueryRow(ctx context.Context, tx *sql.Tx, sqlText string, args ...any) *sql.Row
	// LockWireItem makes the versions of one wire item apply one at a
	// time, from the lock until tx ends, whichever instance or command
	// receives them.
	LockWireItem(ctx context.Context, tx *sql.Tx, sourceID int64, guid string) error
	// ClaimDeliveries is the statement that leases due webhook
	// deliveries, one per endpoint, and returns their ids: ?1 is the
	// lease's end, ?2 now, ?3 the most to take.
	ClaimDeliveries() string
	// NewUID is the SQL expression of a new random id: 32 hex digits.
	NewUID() string
	// Rebind turns ? and ?N into the driver's placeholders, for a
	// statement prepared directly on a transaction.
	Rebind(sqlText string) string
	// BulkWrite sets conn up for writing many rows (the related-list
	// rebuild) and returns what sets it back.
	BulkWrite(ctx context.Context, conn *sql.Conn) (restore func(), err error)
}

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

// Query runs a statement that returns rows on q (a transaction, or the
// database for a statement not worth caching) in dialect d.
func Query(ctx context.Context, d Dialect, q Querier, sqlText string, args ...any) (*sql.Rows, error) {
	store.CountQuery(ctx)
	return q.QueryContext(ctx, d.Rebind(sqlText), d.Args(args)...)
}

// QueryRow is Query for one row.
func QueryRow(ctx context.Context, d Dialect, q Querier, sqlText string, args ...any) *sql.Row {
	store.CountQuery(ctx)
	return q.QueryRowContext(ctx, d.Rebind(sqlText), d.Args(args)...)
}

// Exec is Query for a statement that returns no rows.
func Exec(ctx context.Context, d Dialect, q Querier, sqlText string, args ...any) (sql.Result, error) {
	store.CountQuery(ctx)
	return q.ExecContext(ctx, d.Rebind(sqlText), d.Args(args)...)
}

// InsertID runs an INSERT on q and returns the new row's id, by RETURNING
// (PostgreSQL has no last insert id; SQLite has RETURNING too).
func InsertID(ctx context.Context, d Dialect, q Querier, sqlText string, args ...any) (int64, error) {
	var id int64
	err := QueryRow(ctx, d, q, sqlText+" RETURNING id", args...).Scan(&id)
	return id, err
}

// Core is the part of a SQL store that is the same on SQLite and
// PostgreSQL. A store embeds it, so its methods are the store's.
type Core struct {
	db  *sql.DB
	now func() time.Time
	d   Dialect
	s   Search
	q   *texts
}

// NewCore returns the shared part of a store on db, speaking d, with the
// store's full-text search s.
func NewCore(db *sql.DB, now func() time.Time, d Dialect, s Search) Core {
	return Core{db: db, now: now, d: d, s: s, q: newTexts(d)}
}

// Micro stores times as microseconds since the epoch, UTC, on both
// stores: cursors and comparisons are then exact integers.
func Micro(t time.Time) int64 { return t.UnixMicro() }

// NullMicro is Micro with the zero time stored as NULL.
func NullMicro(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

// FromMicro reads a time stored by Micro or NullMicro.
func FromMicro(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMicro(n.Int64).UTC()
}

// Placeholders returns "?, ?, ?" for n arguments.
func Placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// Int64Args turns ids into statement arguments.
func Int64Args(ids []int64) []any {
	a := make([]any, len(ids))
	for i, id := range ids {
		a[i] = id
	}
	return a
}

// B2I stores a flag as the 0 or 1 both schemas keep.
func B2I(b bool) int {
	if b {
		return 1
	}
	return 0
}

// NullID stores an optional reference: 0 (or less) is NULL.
func NullID(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id > 0}
}

// ClampLimit keeps a page size between 1 and 500, 20 when unset or wild.
func ClampLimit(n int) int {
	if n <= 0 || n > 500 {
		return 20
	}
	return n
}

// UnixHour is the hour bucket views are counted in.
func UnixHour(t time.Time) int64 { return t.Unix() / 3600 }

// repeatJoin is s n times, joined by ", ".
func repeatJoin(s string, n int) string {
	return strings.TrimSuffix(strings.Repeat(s+", ", n), ", ")
}
