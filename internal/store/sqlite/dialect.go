package sqlite

import (
	"context"
	"database/sql"
	"strconv"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
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

func (dialect) Args(args []any) []any { return args }

func (dialect) MapErr(err error) error { return mapErr(err) }

// CaseLike: SQLite's LIKE ignores ASCII case already.
func (dialect) CaseLike() string { return "LIKE" }

// Greatest: SQLite's max() of two or more arguments is the scalar one.
func (dialect) Greatest() string { return "max" }

func (dialect) IndexedBy(index string) string { return " INDEXED BY " + index }

func (dialect) JSONIDs(param string) string { return "SELECT value FROM json_each(" + param + ")" }

func (dialect) JSONTexts(param string) string { return "SELECT value FROM json_each(" + param + ")" }

func (dialect) JSONRows(param string) string { return "json_each(" + param + ")" }

// SearchKey: FTS5 keys its rows by rowid.
func (dialect) SearchKey() string { return "rowid" }

func (dialect) Rebind(sqlText string) string { return sqlText }

// BulkWrite sets conn up for the related-list rebuild, and back after:
//   - cache_size: the chunks rewrite rows all over story_terms (it is
//     ordered by term); with the default cache of a few megabytes each
//     insert would read its page back from the file. 64 MiB: each
//     cached page takes an 8 KiB block of the driver's allocator, so this
//     is about 128 MB resident (256 MiB was half a gigabyte, for 4% less
//     CPU at 100,000 stories; bench/RESULTS.md, sixth session).
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
	for _, p := range []string{"PRAGMA cache_size = -65536", "PRAGMA temp_store = MEMORY", "PRAGMA foreign_keys = OFF"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			restore()
			return nil, err
		}
	}
	return restore, nil
}

func (dialect) StrPos() string { return "instr" }

// TxExec runs a statement inside tx as a prepared statement from the
// cache: parsing SQL was a fifth of an import's cost.
func (d dialect) TxExec(ctx context.Context, tx *sql.Tx, sqlText string, args ...any) (sql.Result, error) {
	st, ok := d.txStmt(sqlText)
	if !ok {
		return exec(ctx, tx, sqlText, args...)
	}
	store.CountQuery(ctx)
	return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

// TxQueryRow is TxExec for a query of one row.
func (d dialect) TxQueryRow(ctx context.Context, tx *sql.Tx, sqlText string, args ...any) *sql.Row {
	st, ok := d.txStmt(sqlText)
	if !ok {
		return queryRow(ctx, tx, sqlText, args...)
	}
	store.CountQuery(ctx)
	return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
}

// txStmt is the cached statement of sqlText for a transaction, if the
// cache has it. A statement not cached yet is prepared for the cache in
// the background, never by the transaction: preparing takes a connection
// from the pool, and a transaction waiting for one while it holds the
// write lock deadlocks with the pool's other connections waiting for
// that lock (each until busy_timeout, 10 s; TestCrashSafety's writers
// met it with four connections). The transaction runs its statement on
// its own connection meanwhile.
func (d dialect) txStmt(sqlText string) (*sql.Stmt, bool) {
	st, ok, room := d.s.stmts.lookup(sqlText)
	if ok || !room {
		return st, ok
	}
	go func() {
		st, cached, err := d.s.stmts.get(context.Background(), d.s.db, sqlText)
		if err == nil && !cached {
			st.Close()
		}
	}()
	return nil, false
}

// LockWireItem: with _txlock=immediate the transaction holds SQLite's
// single write lock from its BEGIN, so nothing else can apply a version
// meanwhile.
func (dialect) LockWireItem(context.Context, *sql.Tx, int64, string) error { return nil }

// NewUID: a delivery's idempotency id, 32 random hex digits.
func (dialect) NewUID() string { return "lower(hex(randomblob(16)))" }
