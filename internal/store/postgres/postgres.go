package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a store.Store on one PostgreSQL database.
type Store struct {
	sqlshare.Core // what both SQL stores share
	db            *sql.DB
	now           func() time.Time
	// listenCfg is the configuration Listen connects with: the pool's,
	// without the write tracer.
	listenCfg *pgx.ConnConfig
	cv        versionCache // cache.go
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at url (postgres:// or postgresql://) and
// applies pending migrations. Errors name the host and database, never
// the password.
func Open(ctx context.Context, url string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open store: the database URL does not parse (expected postgres://user:password@host:port/database)")
	}
	where := describe(cfg)
	if cfg.ConnectTimeout == 0 {
		// An unreachable host fails start in seconds, not after the
		// operating system's TCP timeout.
		cfg.ConnectTimeout = 10 * time.Second
	}
	s := &Store{now: now, listenCfg: cfg.Copy()}
	if s.listenCfg.RuntimeParams["application_name"] == "" {
		// So that pg_stat_activity tells the listener from the pool.
		s.listenCfg.RuntimeParams["application_name"] = "dateline listener"
	}
	// The tracer counts what this process commits, so that its own
	// writes show at once on its cached pages (cache.go).
	cfg.Tracer = writeTracer{&s.cv.writes}
	db := stdlib.OpenDB(*cfg)
	s.db = db
	s.Core = sqlshare.NewCore(db, now, dialect{s}, indexText)
	// Every request holds a connection only for its few statements; a
	// pool this size serves a busy site and leaves the server's default
	// max_connections room for several instances and the command line.
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store: cannot reach PostgreSQL at %s: %s", where, redact(err, cfg.Password))
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", where, err)
	}
	return s, nil
}

// IsURL reports whether a --database-url value selects PostgreSQL.
func IsURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// describe names the server and database of cfg for error messages.
func describe(cfg *pgx.ConnConfig) string {
	host := cfg.Host
	if !strings.HasPrefix(host, "/") {
		host = net.JoinHostPort(host, strconv.Itoa(int(cfg.Port)))
	}
	return fmt.Sprintf("%s (database %q, user %q)", host, cfg.Database, cfg.User)
}

// redact returns err's text with the password taken out, in case a driver
// message ever quotes the connection string.
func redact(err error, password string) string {
	msg := err.Error()
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && ce.Unwrap() != nil {
		msg = ce.Unwrap().Error()
	}
	// With sslmode=prefer the driver tries twice and reports both; the
	// first says it.
	msg, _, _ = strings.Cut(msg, "\n")
	if password != "" {
		msg = strings.ReplaceAll(msg, password, "xxxxx")
	}
	return msg
}

// migrate applies each embedded migration not yet recorded, each in its
// own transaction, in file-name order. An advisory lock makes instances
// that start together take turns.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	const lockKey = 0x646174656c696e65 // "dateline"
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(lockKey)); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", int64(lockKey))
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := s.apply(ctx, conn, name); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, conn *sql.Conn, name string) error {
	base := path.Base(name)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", base, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE name = $1", base).Scan(&n); err != nil {
		return fmt.Errorf("migrate %s: %w", base, err)
	}
	if n > 0 {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	// The simple protocol runs a file of several statements in one go.
	if _, err := tx.ExecContext(ctx, string(body), pgx.QueryExecModeSimpleProtocol); err != nil {
		return fmt.Errorf("migrate %s: %w", base, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", base, micro(s.now())); err != nil {
		return fmt.Errorf("migrate %s: %w", base, err)
	}
	return tx.Commit()
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the handle for tests and maintenance; handlers never see it.
func (s *Store) DB() *sql.DB { return s.db }

// Analyze refreshes the planner's statistics. PostgreSQL's autovacuum
// does this by itself; an explicit run after a bulk fill (the demo, an
// import) spares the first pages a guessed plan.
// Only the store's own tables: a bare ANALYZE would also visit the
// system catalogs, which only a superuser may analyse.
func (s *Store) Analyze(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("analyze: %w", err)
		}
		tables = append(tables, pgx.Identifier{t}.Sanitize())
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	if len(tables) == 0 {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, "ANALYZE "+strings.Join(tables, ", ")); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

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

// read runs a read-only query outside a transaction. pgx prepares and
// caches each statement per connection, so no cache of our own is needed.
func (s *Store) read(ctx context.Context, sqlText string, args ...any) (*sql.Rows, error) {
	return query(ctx, s.db, sqlText, args...)
}

// readRow is read for one row.
func (s *Store) readRow(ctx context.Context, sqlText string, args ...any) *sql.Row {
	return queryRow(ctx, s.db, sqlText, args...)
}

// rebind turns the ? and ?N placeholders the SQL here is written with
// into PostgreSQL's $N, leaving quoted strings alone.
func rebind(q string) string {
	if !strings.ContainsRune(q, '?') {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inStr := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inStr = !inStr
			b.WriteByte(c)
		case c == '?' && !inStr:
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(q[i+1 : j])
				i = j - 1
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// noNUL drops NUL characters from string arguments: PostgreSQL text
// cannot hold them (SQLite can), no page or feed may show them, and a
// hostile headline must not turn a save into a server error.
func noNUL(args []any) []any {
	for i, a := range args {
		if s, ok := a.(string); ok && strings.IndexByte(s, 0) >= 0 {
			args[i] = strings.ReplaceAll(s, "\x00", "")
		}
	}
	return args
}

// mapErr turns driver errors into the store's sentinels.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %v", store.ErrConflict, err)
		case "23503", "23514", "23502", "22001", "22003", "22P02", "22021": // foreign key, check, not null, too long, out of range, bad text, bad encoding
			return fmt.Errorf("%w: %v", store.ErrInvalid, err)
		}
	}
	return err
}

// The time encoding and argument helpers are sqlshare's, so that both
// stores encode alike.
func micro(t time.Time) int64 { return sqlshare.Micro(t) }
