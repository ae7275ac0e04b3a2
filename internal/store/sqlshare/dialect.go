package sqlshare

import (
	"context"
	"database/sql"

	"dateline/internal/search"
	"dateline/internal/store"
)

// Querier is what both *sql.DB and *sql.Tx offer; helpers take it so a
// public method decides whether they run inside its transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Dialect is what one SQL store does its own way. The shared SQL is
// written once, with ? and ?N placeholders. Query, QueryRow and Exec run
// it through Rebind and Args; Read, ReadRow and the Tx methods through
// the store's own fast path (SQLite's statement cache). Every one of
// them calls store.CountQuery.
type Dialect interface {
	// Read runs a read-only query outside a transaction on the store's
	// fastest path; ReadRow is Read for one row.
	Read(ctx context.Context, sqlText string, args ...any) (*sql.Rows, error)
	ReadRow(ctx context.Context, sqlText string, args ...any) *sql.Row
	// TxExec and TxQueryRow run a statement that transactions run often
	// (story saves, wire imports) inside tx, on the store's fastest path
	// (SQLite: its cached prepared statement, bound to tx).
	TxExec(ctx context.Context, tx *sql.Tx, sqlText string, args ...any) (sql.Result, error)
	TxQueryRow(ctx context.Context, tx *sql.Tx, sqlText string, args ...any) *sql.Row
	// Rebind turns ? and ?N into the driver's placeholders.
	Rebind(sqlText string) string
	// Args adapts a statement's arguments to the database.
	Args(args []any) []any
	// MapErr turns driver errors into the store's sentinels.
	MapErr(err error) error

	// CaseLike is the operator of a case-insensitive LIKE.
	CaseLike() string
	// StrPos is the function that finds a substring: (haystack, needle),
	// 0 when absent.
	StrPos() string
	// Greatest is the function of the largest of its arguments.
	Greatest() string
	// IndexedBy is the clause, after a table and its alias, that names
	// the index to read it through, or "" where the planner needs no
	// hint (see PublishedFrom).
	IndexedBy(index string) string
	// JSONIDs is a SELECT of the ids in the JSON array that parameter
	// param (? or ?N) holds, one row each, in a column named value.
	JSONIDs(param string) string
	// JSONTexts is a SELECT of the strings in the JSON array that
	// parameter param holds, one row each, in a column named value.
	JSONTexts(param string) string
	// JSONRows is a table of the elements of the JSON array that
	// parameter param holds, each a JSON value in a column named value,
	// for ->> to take apart.
	JSONRows(param string) string
	// FullTextMatch is the parameter that finds pq's stories in the
	// store's full-text index (relaxed: any positive word), "" when no
	// story can match.
	FullTextMatch(pq search.Query, relaxed bool) string
	// FullTextHits are the pieces of a search of story_search for the
	// match in parameter m: the table with its alias, its story-id column,
	// the condition that matches, and the relevance (higher is better).
	FullTextHits(m string) (from, key, cond, rank string)
	// SearchKey is the column of the full-text table story_search that
	// holds the story's id.
	SearchKey() string
	// NewUID is the SQL expression of a new random id: 32 hex digits.
	NewUID() string
	// ClaimDeliveries is the statement that leases due webhook
	// deliveries, one per endpoint, and returns their ids: ?1 is the
	// lease's end, ?2 now, ?3 the most to take.
	ClaimDeliveries() string

	// LockWireItem makes the versions of one wire item apply one at a
	// time, from the lock until tx ends, whichever instance or command
	// receives them.
	LockWireItem(ctx context.Context, tx *sql.Tx, sourceID int64, guid string) error
	// BulkWrite sets conn up for writing many rows (the related-list
	// rebuild) and returns what sets it back.
	BulkWrite(ctx context.Context, conn *sql.Conn) (restore func(), err error)
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
