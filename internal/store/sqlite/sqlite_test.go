package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"dateline/internal/store"
	"dateline/internal/store/sqlite"
	"dateline/internal/store/storetest"
)

func mustOpen(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return mustOpen(t) })
}

func TestPragmas(t *testing.T) {
	s := mustOpen(t)
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "synchronous": "1", "cache_size": "-4096"} {
		var got string
		if err := s.DB().QueryRow("PRAGMA " + pragma).Scan(&got); err != nil || got != want {
			t.Errorf("PRAGMA %s = %q (%v), want %q", pragma, got, err, want)
		}
	}
	// The page caches are per connection: the pool's size bounds their sum.
	if n := s.DB().Stats().MaxOpenConnections; n != 4 {
		t.Errorf("pool of %d connections, want 4", n)
	}
}

func TestMigrationsAreRecordedOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	for i := 0; i < 2; i++ {
		s, err := sqlite.Open(context.Background(), path, nil)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		s.DB().QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n)
		if n < 2 {
			t.Errorf("open %d: %d migrations recorded", i, n)
		}
		s.Close()
	}
}
