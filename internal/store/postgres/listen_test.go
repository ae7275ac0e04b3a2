package postgres_test

import (
	"context"
	"dateline/internal/testutil"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/postgres"
	"dateline/internal/story"
)

// TestContentVersionListens: with Listen running, a cached page's
// version check costs no query; a change by another process on the
// database is seen within a second, this process's own at once, and one
// made while the listening connection was lost is seen after it
// reconnects.
func TestContentVersionListens(t *testing.T) {
	u := testutil.PostgresSchema(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := postgres.Open(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := postgres.Open(ctx, u, nil) // another instance, or dateline ingest
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	listened := make(chan struct{})
	go func() { defer close(listened); a.Listen(ctx, nil) }()
	defer func() { cancel(); <-listened }()
	waitFor(t, "the listener to connect", a.Listening)

	version := func() (int64, int64) {
		t.Helper()
		qctx, n := store.WithQueryCounter(ctx)
		v, err := a.ContentVersion(qctx)
		if err != nil {
			t.Fatal(err)
		}
		return v, n.Load()
	}
	v0, _ := version()
	if v, q := version(); v != v0 || q != 0 {
		t.Errorf("an unchanged version: %d after %d, with %d queries; want the same with none", v, v0, q)
	}

	if _, err := b.CreateSection(ctx, story.Section{Slug: "world", Name: "World"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	waitFor(t, "another process's change", func() bool { v, _ := version(); return v != v0 })
	if d := time.Since(start); d > time.Second {
		t.Errorf("another process's change was seen after %v, want within a second", d)
	}

	v1, _ := version()
	if err := a.SetSetting(ctx, "site_tagline", "News"); err != nil {
		t.Fatal(err)
	}
	if v, _ := version(); v == v1 {
		t.Error("this process's own change did not move the version at once")
	}
	v2, _ := version()
	if err := a.Audit(ctx, store.AuditEntry{At: time.Now(), Actor: "test", Action: "check"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := version(); v != v2 {
		t.Errorf("a write no page shows moved the version from %d to %d", v2, v)
	}

	// The listening connection is cut; a change made before it is back
	// must still be seen.
	var killed int
	if err := b.DB().QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = 'dateline listener' AND pid <> pg_backend_pid()`).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed == 0 {
		t.Fatal("no listening connection found in pg_stat_activity")
	}
	waitFor(t, "the listener to notice", func() bool { return !a.Listening() })
	before, _ := version() // remembered while the listener is away
	if _, err := b.CreateSection(ctx, story.Section{Slug: "sport", Name: "Sport"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the listener to reconnect", a.Listening)
	if v, _ := version(); v == before {
		t.Error("after reconnecting, the version remembered before is still believed")
	}
	var n int64
	if err := b.DB().QueryRowContext(ctx, "SELECT n FROM content_version").Scan(&n); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the version to match the database's", func() bool { v, _ := version(); return v == n })
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
