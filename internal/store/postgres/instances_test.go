package postgres_test

import (
	"context"
	"dateline/internal/testutil"
	"fmt"
	"sync"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/postgres"
	"dateline/internal/story"
)

// TestWireIntakeLeaseAcrossInstances: instances asking for a source's
// intake lease at the same instant get it once between them: the
// conditional UPDATE is re-checked on the row the winner committed.
func TestWireIntakeLeaseAcrossInstances(t *testing.T) {
	u := testutil.PostgresSchema(t)
	ctx := context.Background()
	var stores []*postgres.Store
	for range 2 {
		s, err := postgres.Open(ctx, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	now := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	for round := range 10 {
		src, err := stores[0].EnsureSource(ctx, story.Source{Label: fmt.Sprintf("Agency %d", round)})
		if err != nil {
			t.Fatal(err)
		}
		if err := stores[0].SetWireIntake(ctx, store.WireIntake{SourceID: src.ID, Folder: "/srv/in"}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		start := make(chan struct{})
		for i := range 8 {
			s := stores[i%2]
			wg.Go(func() {
				<-start
				ok, err := s.LeaseWireIntake(ctx, src.ID, fmt.Sprintf("instance-%d", i), now, now.Add(time.Minute))
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					won++
					mu.Unlock()
				}
			})
		}
		close(start)
		wg.Wait()
		if won != 1 {
			t.Errorf("round %d: %d holders got the lease at once, want 1", round, won)
		}
	}
}
