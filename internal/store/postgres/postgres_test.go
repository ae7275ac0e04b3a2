package postgres_test

import (
	"context"
	"dateline/internal/testutil"
	"strconv"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"dateline/internal/store"
	"dateline/internal/store/postgres"
	"dateline/internal/store/storetest"
)

func mustOpen(t *testing.T) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), testutil.PostgresSchema(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return mustOpen(t) })
}

// TestMigrationsOnceAcrossInstances: two instances starting together on an
// empty database both open it (the advisory lock makes them take turns),
// and every migration is recorded once.
func TestMigrationsOnceAcrossInstances(t *testing.T) {
	u := testutil.PostgresSchema(t)
	ctx := context.Background()
	errs := make(chan error, 2)
	stores := make(chan *postgres.Store, 2)
	for range 2 {
		go func() {
			s, err := postgres.Open(ctx, u, nil)
			errs <- err
			stores <- s
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("open: %v", err)
		}
		s := <-stores
		t.Cleanup(func() { s.Close() })
	}
	s, err := postgres.Open(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n, distinct int
	if err := s.DB().QueryRow("SELECT count(*), count(DISTINCT name) FROM schema_migrations").Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	if n < 10 || n != distinct {
		t.Errorf("%d migrations recorded (%d distinct)", n, distinct)
	}
}

// TestWebhookClaimsAcrossInstances: two instances claiming deliveries at
// the same time never lease the same one (FOR UPDATE SKIP LOCKED), and
// between them they claim all.
func TestWebhookClaimsAcrossInstances(t *testing.T) {
	u := testutil.PostgresSchema(t)
	ctx := context.Background()
	a, err := postgres.Open(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := postgres.Open(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	const endpoints = 40
	for i := range endpoints {
		id, err := a.CreateWebhookEndpoint(ctx, store.WebhookEndpoint{URL: "https://partner.example/" + strconv.Itoa(i),
			Secret: "s", Enabled: true, Events: []string{store.EventPublished}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.QueueWebhookTest(ctx, id, []byte(`{}`), now); err != nil {
			t.Fatal(err)
		}
	}
	claimed := make(chan []int64, 2)
	for _, s := range []*postgres.Store{a, b} {
		go func() {
			var ids []int64
			for {
				got, err := s.ClaimWebhookDeliveries(ctx, now, time.Minute, 3)
				if err != nil {
					t.Error(err)
				}
				if len(got) == 0 {
					break
				}
				for _, d := range got {
					ids = append(ids, d.ID)
				}
			}
			claimed <- ids
		}()
	}
	seen := map[int64]int{}
	for range 2 {
		for _, id := range <-claimed {
			seen[id]++
		}
	}
	if len(seen) != endpoints {
		t.Errorf("%d deliveries claimed, want %d", len(seen), endpoints)
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("delivery %d claimed %d times", id, n)
		}
	}
}

// TestAnalyze refreshes the statistics of the store's tables as an
// ordinary role (the test server's is not a superuser). Other tests'
// schemas on the same server hold tables named stories too: only this
// store's counts.
func TestAnalyze(t *testing.T) {
	s := mustOpen(t)
	if err := s.Analyze(context.Background()); err != nil {
		t.Fatal(err)
	}
	var analysed int
	if err := s.DB().QueryRow("SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'stories' AND last_analyze IS NOT NULL").Scan(&analysed); err != nil {
		t.Fatal(err)
	}
	if analysed != 1 {
		t.Error("stories was not analysed")
	}
}
