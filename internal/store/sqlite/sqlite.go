package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a store.Store on one SQLite file.
type Store struct {
	sqlshare.Core // what both SQL stores share
	db            *sql.DB
	path          string
	now           func() time.Time
	stmts         stmtCache
	cv            atomic.Pointer[versionMemo] // the last content version read (cache_memo.go)
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the SQLite database at path and applies
// pending migrations. Errors name the path, since a wrong --db is the
// usual cause.
func Open(ctx context.Context, path string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	if dir := filepath.Dir(path); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("open store %q: directory %q does not exist", path, dir)
		}
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	// SQLite allows one writer at a time; a handful of connections lets
	// readers run beside it in WAL mode without thrashing.
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db, path: path, now: now}
	s.Core = sqlshare.NewCore(db, now, dialect{s}, indexText)
	if err := s.check(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	if err := s.analyzeIfNever(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	return s, nil
}

// maxConns and cacheKiB size the pool and each connection's own page
// cache (SQLite's caches are not shared). Four connections keep two cores
// busy with one writing; with 8 connections of the default 2 MiB, the
// 1,000-story run of bench/wrk.sh on the 100,000-story archive read
// about 46 pages a page view from the file, each connection's cache
// seeing an eighth of the traffic. Four of 4 MiB (the same 16 MiB) cost
// 10-35% less CPU a page in four same-run pairs, with resident memory
// 4-13 MiB lower; four of 8 MiB passed 145 MiB, too close to issue 7's
// 150 MiB, and a memory map counts every page each connection maps
// (3.1 GiB resident). See bench/RESULTS.md, sixth session.
const (
	maxConns = 4
	cacheKiB = 4096
)

// dsn sets the pragmas on every connection the pool opens:
//   - journal_mode=WAL: readers never block the writer or each other.
//   - synchronous=NORMAL: in WAL mode a commit survives a process crash;
//     only a power loss can undo the last transactions (not corrupt the
//     file). The fsync per commit that FULL costs is not worth it here.
//   - foreign_keys=ON: SQLite leaves them off by default.
//   - busy_timeout=10000: wait for the writer lock instead of failing at once.
//   - cache_size: cacheKiB of pages per connection (maxConns).
//   - _txlock=immediate: transactions take the write lock at BEGIN, so two
//     writers queue instead of deadlocking on a read-to-write upgrade.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", cacheKiB))
	q.Set("_txlock", "immediate")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// check makes sure the file is a writable SQLite database before anything
// else touches it, so a bad path or a corrupt file fails start clearly.
func (s *Store) check(ctx context.Context) error {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n)
	if err == nil {
		_, err = s.db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS _probe (x INTEGER); DROP TABLE _probe")
	}
	if err == nil {
		return nil
	}
	var se *msqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("open store %q: the file is not a valid Dateline database (corrupt or another format); restore a backup with `dateline restore`", s.path)
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
			return fmt.Errorf("open store %q: cannot open or write the file (check the path and its permissions)", s.path)
		}
	}
	return fmt.Errorf("open store %q: %w", s.path, err)
}

// migrate applies each embedded migration not yet recorded, each in its
// own transaction, in file-name order.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := s.apply(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, name string) error {
	base := filepath.Base(name)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", base, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE name = ?", base).Scan(&n); err != nil {
		return fmt.Errorf("migrate %s: %w", base, err)
	}
	if n > 0 {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migrate %s: %w", base, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", base, micro(s.now())); err != nil {
		return fmt.Errorf("migrate %s: %w", base, err)
	}
	return tx.Commit()
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmts.close()
	return s.db.Close()
}

// DB exposes the handle for tests and maintenance commands (backup,
// integrity checks); handlers never see it.
func (s *Store) DB() *sql.DB { return s.db }

// querier is what both *sql.DB and *sql.Tx offer; helpers take it so a
// public method decides whether they run inside its transaction.
type querier = sqlshare.Querier

// query, queryRow and exec run a statement on q as the shared code does
// (sqlshare.Query): placeholders and arguments through the dialect, and
// counted by store.CountQuery.
func query(ctx context.Context, q querier, sqlText string, args ...any) (*sql.Rows, error) {
	return sqlshare.Query(ctx, dialect{}, q, sqlText, args...)
}

func queryRow(ctx context.Context, q querier, sqlText string, args ...any) *sql.Row {
	return sqlshare.QueryRow(ctx, dialect{}, q, sqlText, args...)
}

func exec(ctx context.Context, q querier, sqlText string, args ...any) (sql.Result, error) {
	return sqlshare.Exec(ctx, dialect{}, q, sqlText, args...)
}

// stmtCache keeps prepared statements by their SQL text: parsing SQL was a
// fifth of a story page's cost. Dynamic statements (IN lists) vary only in
// their number of placeholders, so the cache stays small; it is capped
// anyway, and past the cap statements are simply not cached.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const maxCachedStmts = 512

// lookup returns the cached statement of sqlText, preparing nothing, and
// whether the cache has room for it.
func (c *stmtCache) lookup(sqlText string) (st *sql.Stmt, ok, room bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok = c.m[sqlText]
	return st, ok, len(c.m) < maxCachedStmts
}

func (c *stmtCache) get(ctx context.Context, db *sql.DB, sqlText string) (*sql.Stmt, bool, error) {
	c.mu.Lock()
	st, ok := c.m[sqlText]
	c.mu.Unlock()
	if ok {
		return st, true, nil
	}
	st, err := db.PrepareContext(ctx, sqlText)
	if err != nil {
		return nil, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	if old, ok := c.m[sqlText]; ok {
		st.Close()
		return old, true, nil
	}
	if len(c.m) >= maxCachedStmts {
		return st, false, nil
	}
	c.m[sqlText] = st
	return st, true, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// read runs a read-only query outside a transaction through the cache.
func (s *Store) read(ctx context.Context, sqlText string, args ...any) (*sql.Rows, error) {
	store.CountQuery(ctx)
	st, cached, err := s.stmts.get(ctx, s.db, sqlText)
	if err != nil {
		return nil, err
	}
	if !cached {
		defer st.Close()
	}
	return st.QueryContext(ctx, args...)
}

// readRow is read for one row.
func (s *Store) readRow(ctx context.Context, sqlText string, args ...any) *sql.Row {
	store.CountQuery(ctx)
	st, cached, err := s.stmts.get(ctx, s.db, sqlText)
	if err != nil {
		// Let the error surface from Scan, as QueryRowContext would.
		return s.db.QueryRowContext(ctx, sqlText, args...)
	}
	if !cached {
		defer st.Close()
	}
	return st.QueryRowContext(ctx, args...)
}

// mapErr turns driver errors into the store's sentinels.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	var se *msqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %v", store.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return fmt.Errorf("%w: %v", store.ErrInvalid, err)
		}
		if se.Code()&0xff == sqlite3.SQLITE_FULL {
			return fmt.Errorf("%w: %v", store.ErrNoSpace, err)
		}
	}
	return err
}

// The time encoding and argument helpers are sqlshare's, so that both
// stores encode alike.
func micro(t time.Time) int64   { return sqlshare.Micro(t) }
func placeholders(n int) string { return sqlshare.Placeholders(n) }
