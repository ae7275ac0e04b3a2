package workflow_test

import (
	"context"
	"dateline/internal/testutil"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"dateline/internal/store"
	"dateline/internal/store/postgres"
	"dateline/internal/story"
	"dateline/internal/workflow"
)

// TestTickOnceAcrossInstances: two instances whose schedulers tick at the
// same moment on one store publish each due story exactly once: one
// publish between them, one published event in the story event log (what
// webhooks follow), one publish revision, one audit entry. The publish
// is UpdateStory's conditional UPDATE … WHERE version = the version
// loaded: of two instances that loaded the same story, the second
// matches no row (PostgreSQL re-checks the condition on the row the
// first committed) and gets store.ErrConflict, which Tick skips.
func TestTickOnceAcrossInstances(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(t *testing.T) (store.Store, store.Store)
	}{
		{"sqlite", func(t *testing.T) (store.Store, store.Store) {
			path := filepath.Join(t.TempDir(), "d.db")
			return mustOpen(t, path), mustOpen(t, path)
		}},
		{"postgres", func(t *testing.T) (store.Store, store.Store) {
			u := testutil.PostgresSchema(t)
			return mustOpenPostgres(t, u), mustOpenPostgres(t, u)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := tc.open(t)
			testTickOnce(t, a, b)
		})
	}
}

func testTickOnce(t *testing.T, a, b store.Store) {
	ctx := context.Background()
	secID, err := a.CreateSection(ctx, story.Section{Slug: "world", Name: "World"})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 9, 14, 8, 0, 0, 0, time.UTC)
	editor := store.User{Email: "ed@dateline.test", Name: "Ed", Role: store.RoleEditor, PasswordHash: "x", CreatedAt: t0, PasswordChangedAt: t0}
	if editor.ID, err = a.CreateUser(ctx, editor); err != nil {
		t.Fatal(err)
	}
	wf := workflow.New(a, clock(t0), nil)
	const n = 30
	want := map[int64]bool{}
	for i := range n {
		headline := fmt.Sprintf("Embargoed report %d", i)
		st := &story.Story{Language: "en", Type: story.TypeNews, Section: story.Section{ID: secID}, Headline: headline,
			Slug: story.Slugify(headline, 80), BodySource: "Body.", Body: story.ParseBody("Body.")}
		id, err := wf.Create(ctx, editor, st)
		if err != nil {
			t.Fatal(err)
		}
		if err := wf.Schedule(ctx, editor, id, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		want[id] = true
	}
	last, err := a.LastStoryEvent(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// Both instances tick together, a few times each, after the time.
	due := t0.Add(time.Hour + time.Minute)
	var mu sync.Mutex
	published := map[int64]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, s := range []store.Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := workflow.New(s, clock(due), nil)
			<-start
			for range 3 {
				done, err := svc.Tick(ctx)
				if err != nil {
					t.Errorf("tick: %v", err)
				}
				mu.Lock()
				for _, id := range done {
					published[id]++
				}
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()

	for id := range want {
		if published[id] != 1 {
			t.Errorf("story %d published %d times by the schedulers, want 1", id, published[id])
		}
	}
	events, err := a.StoryEvents(ctx, last, 1000)
	if err != nil {
		t.Fatal(err)
	}
	perStory := map[int64]int{}
	for _, e := range events {
		if e.Kind == store.EventPublished {
			perStory[e.StoryID]++
		}
	}
	for id := range want {
		if perStory[id] != 1 {
			t.Errorf("story %d has %d published events, want 1", id, perStory[id])
		}
		revs, err := a.Revisions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var publishes int
		for _, r := range revs {
			if r.Kind == "publish" {
				publishes++
			}
		}
		if publishes != 1 {
			t.Errorf("story %d has %d publish revisions, want 1", id, publishes)
		}
	}
	audits := 0
	for before := int64(0); ; {
		page, err := a.AuditLog(ctx, before, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			if e.Actor == "system" && e.Action == "publish" {
				audits++
			}
		}
		before = page[len(page)-1].ID
	}
	if audits != n {
		t.Errorf("%d audit entries for scheduled publishes, want %d", audits, n)
	}
}

func mustOpenPostgres(t *testing.T, u string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), u, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
