package testutil

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/postgres"
	"dateline/internal/store/sqlite"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for making schemas
)

// StoreEnv chooses the store every fixture of this package runs on:
// unset or "sqlite" for a SQLite file, "postgres" for a schema of its own
// on the server in DATELINE_TEST_DATABASE_URL. scripts/test.sh runs the
// packages whose tests use these fixtures a second time with "postgres",
// so the site, newsroom, API and wire tests hold on both stores.
const StoreEnv = "DATELINE_TEST_STORE"

// DatabaseURLEnv names the PostgreSQL server the tests may use (a role
// that can create schemas and databases).
const DatabaseURLEnv = "DATELINE_TEST_DATABASE_URL"

// OnPostgres reports whether the fixtures run on PostgreSQL.
func OnPostgres() bool { return os.Getenv(StoreEnv) == "postgres" }

// SkipOnPostgres skips a test that is about the SQLite file itself (its
// WAL, its pragmas, copying it, filling its disk) when the fixtures run
// on PostgreSQL, where the test has no subject; the PostgreSQL store's own
// tests cover its equivalent.
func SkipOnPostgres(tb testing.TB, why string) {
	tb.Helper()
	if OnPostgres() {
		tb.Skip("about the SQLite store: " + why)
	}
}

// PostgresServer returns the URL of the PostgreSQL server the tests may
// use (DATELINE_TEST_DATABASE_URL; scripts/test.sh starts a throw-away
// one). Without it the test is skipped locally and fails in CI, where
// PostgreSQL must be tested.
func PostgresServer(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(DatabaseURLEnv)
	if u == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal(DatabaseURLEnv + " is not set: CI must test PostgreSQL (scripts/test.sh starts a server)")
		}
		tb.Skip(DatabaseURLEnv + " is not set; run scripts/pg-test-server.sh start and export its URL to test PostgreSQL")
	}
	return u
}

// PostgresSchema makes an empty schema on the test server, dropped when
// the test ends, and returns a URL whose connections use it alone
// (search_path): tests never see each other's rows. A schema costs
// milliseconds where a database costs a second.
func PostgresSchema(tb testing.TB) string {
	tb.Helper()
	u, drop, err := postgresSchema(context.Background(), PostgresServer(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := drop(); err != nil {
			tb.Error(err)
		}
	})
	return u
}

// PostgresDatabase makes an empty database on the test server, dropped
// (with its connections) when the test ends, and returns its URL: for
// tests of what a schema cannot show, such as `serve` making its tables
// in a database of its own.
func PostgresDatabase(tb testing.TB) string {
	tb.Helper()
	admin := PostgresServer(tb)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	name := randomName("dateline_db_")
	if _, err := db.Exec("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		db.Close()
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		defer db.Close()
		for i := 0; ; i++ { // an autovacuum worker may linger a moment
			_, err := db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			if err == nil || i == 50 {
				if err != nil {
					tb.Errorf("drop test database: %v", err)
				}
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// postgresSchema makes an empty schema on the server at admin and
// returns a URL whose connections use it alone and a function that
// drops it.
func postgresSchema(ctx context.Context, admin string) (string, func() error, error) {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", nil, err
	}
	name := randomName("dateline_test_")
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create test schema: %w", err)
	}
	drop := func() error {
		defer db.Close()
		if _, err := db.Exec("DROP SCHEMA " + name + " CASCADE"); err != nil {
			return fmt.Errorf("drop test schema %s: %w", name, err)
		}
		return nil
	}
	u, err := url.Parse(admin)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// DB is the database under the site's store, for tests that must set a
// state no handler makes (a session aged past its limit). Write queries
// with ? placeholders and pass them through Rebind.
func (s *Site) DB() *sql.DB {
	return s.Store.(interface{ DB() *sql.DB }).DB()
}

// Rebind turns a query's ? placeholders into PostgreSQL's $1, $2, … when
// the site runs on PostgreSQL. It does not look inside string literals:
// keep ? out of them.
func (s *Site) Rebind(query string) string {
	if s.drop == nil && !OnPostgres() {
		return query
	}
	var b []byte
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b = append(b, '$')
			b = fmt.Appendf(b, "%d", n)
			continue
		}
		b = append(b, query[i])
	}
	return string(b)
}

// StorePlace makes a place for one test's store, gone when the test
// ends: the SQLite file path itself, or, when the fixtures run on
// PostgreSQL, the URL of a fresh schema. Open it (several times, as
// restarted or concurrent instances would) with OpenStoreAt.
func StorePlace(tb testing.TB, path string) string {
	tb.Helper()
	if !OnPostgres() {
		return path
	}
	return PostgresSchema(tb)
}

// OpenStoreAt opens the store at a place from StorePlace, closed when
// the test ends (before the place goes).
func OpenStoreAt(tb testing.TB, place string) store.Store {
	tb.Helper()
	ctx := context.Background()
	var st store.Store
	var err error
	if postgres.IsURL(place) {
		st, err = postgres.Open(ctx, place, nil)
	} else {
		st, err = sqlite.Open(ctx, place, nil)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// OpenStore opens an empty, migrated store for one test: a SQLite file at
// path, or a fresh PostgreSQL schema when the fixtures run on PostgreSQL.
// It is closed (and the schema dropped) when the test ends.
func OpenStore(tb testing.TB, path string) store.Store {
	tb.Helper()
	return OpenStoreAt(tb, StorePlace(tb, path))
}

// OpenOther opens a second store on the site's database, as another
// process (`dateline ingest`, a second instance) would. The caller
// closes it.
func (s *Site) OpenOther(ctx context.Context) (store.Store, error) {
	if s.Config.DatabaseURL != "" {
		return postgres.Open(ctx, s.Config.DatabaseURL, nil)
	}
	return sqlite.Open(ctx, s.Config.DB, nil)
}

// StoreFlags are the command-line flags that point a `dateline` command
// at the site's store: --db FILE, or --database-url on PostgreSQL.
func (s *Site) StoreFlags() []string {
	if s.Config.DatabaseURL != "" {
		return []string{"--database-url", s.Config.DatabaseURL}
	}
	return []string{"--db", s.Config.DB}
}
