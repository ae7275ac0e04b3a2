package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"dateline/internal/store/sqlshare"
)

// dialect is how PostgreSQL runs the code both SQL stores share (package
// sqlshare): placeholders are rewritten to $N and NULs dropped (query),
// and pgx caches the prepared statements per connection.
type dialect struct{ s *Store }

var _ sqlshare.Dialect = dialect{}

func (d dialect) Read(ctx context.Context, sqlText string, args ...any) (*sql.Rows, error) {
	return d.s.read(ctx, sqlText, args...)
}

func (d dialect) ReadRow(ctx context.Context, sqlText string, args ...any) *sql.Row {
	return d.s.readRow(ctx, sqlText, args...)
}

// Args drops NULs from strings (noNUL).
func (dialect) Args(args []any) []any { return noNUL(args) }

func (dialect) MapErr(err error) error { return mapErr(err) }

func (dialect) CaseLike() string { return "ILIKE" }

func (dialect) Greatest() string { return "greatest" }

// IndexedBy: PostgreSQL's planner needs no index named.
func (dialect) IndexedBy(string) string { return "" }

func (dialect) JSONTexts(param string) string {
	return "SELECT value FROM jsonb_array_elements_text(" + param + "::jsonb)"
}

func (dialect) JSONRows(param string) string { return "jsonb_array_elements(" + param + "::jsonb)" }

func (dialect) JSONIDs(param string) string {
	return "SELECT value::bigint FROM jsonb_array_elements_text(" + param + "::jsonb)"
}

func (dialect) SearchKey() string { return "id" }

func (dialect) Rebind(sqlText string) string { return rebind(sqlText) }

// BulkWrite: PostgreSQL needs no setting changed for the rebuild.
func (dialect) BulkWrite(context.Context, *sql.Conn) (func(), error) { return func() {}, nil }

func (dialect) StrPos() string { return "strpos" }

// TxExec runs a statement inside tx (pgx prepares and caches it).
func (dialect) TxExec(ctx context.Context, tx *sql.Tx, sqlText string, args ...any) (sql.Result, error) {
	return exec(ctx, tx, sqlText, args...)
}

// TxQueryRow is TxExec for a query of one row.
func (dialect) TxQueryRow(ctx context.Context, tx *sql.Tx, sqlText string, args ...any) *sql.Row {
	return queryRow(ctx, tx, sqlText, args...)
}

// LockWireItem takes a transaction-scoped advisory lock on the item, held
// until the commit (SQLite has its single writer for that).
func (dialect) LockWireItem(ctx context.Context, tx *sql.Tx, sourceID int64, guid string) error {
	_, err := exec(ctx, tx, "SELECT pg_advisory_xact_lock(hashtextextended(?::text || ':' || ?::text, 0))",
		strconv.FormatInt(sourceID, 10), guid)
	if err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	return nil
}

// NewUID: a delivery's idempotency id, 32 random hex digits.
func (dialect) NewUID() string { return "replace(gen_random_uuid()::text, '-', '')" }
