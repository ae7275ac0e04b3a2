package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// TestWireQueuePlans checks that the wire desk's queue walks its partial
// index in order, with or without filters and a page position, so a
// page never sorts every item ever received.
func TestWireQueuePlans(t *testing.T) {
	s := openPlanStore(t)
	for name, q := range map[string]store.WireQueueQuery{
		"all":      {Limit: 51},
		"filtered": {SourceID: 1, Urgency: 3, Language: "en", Text: "port", Limit: 51},
		"page 2":   {After: store.Cursor{At: time.Now(), ID: 9}, Limit: 51},
		"section":  {SectionID: 2, SourceID: 1, After: store.Cursor{At: time.Now(), ID: 9}, Limit: 51},
	} {
		sqlText, args := sqlshare.WireQueueSQL(dialect{}, q)
		plan := queryPlan(t, s.db, sqlText, args...)
		got := strings.Join(plan, "; ")
		if !strings.Contains(got, "wire_items_desk") || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("%s: plan %s, want a walk of wire_items_desk without a sort", name, got)
		}
	}
}

// BenchmarkWireQueue reads the first page of a desk of 2,000 queued
// items among 10,000 received, filtered by source and headline text.
func BenchmarkWireQueue(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	secID, err := s.CreateSection(ctx, story.Section{Slug: "world", Name: "World"})
	if err != nil {
		b.Fatal(err)
	}
	var srcs []story.Source
	for _, l := range []string{"AA", "DPA", "AFP", "TT"} {
		src, err := s.EnsureSource(ctx, story.Source{Label: l, Name: l})
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	now := time.Now()
	for i := range 10000 {
		src := srcs[i%len(srcs)]
		h := fmt.Sprintf("Item %d about ports and harbours", i)
		_, err := s.ApplyWire(ctx, store.WireApply{
			Item:  store.WireItem{SourceID: src.ID, GUID: fmt.Sprint(i), Version: 1, PubStatus: "usable", Headline: h, SectionID: secID, Item: []byte(`{}`)},
			Story: &story.Story{Section: story.Section{ID: secID}, Source: &src, Headline: h, Language: "en"},
			// Four in five are published on arrival, so 2,000 wait on the desk.
			Publish: i%5 != 0, Now: now.Add(time.Duration(i) * time.Second),
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		items, err := s.WireQueue(ctx, store.WireQueueQuery{SourceID: srcs[1].ID, Text: "harbours", Limit: 51})
		if err != nil || len(items) != 51 {
			b.Fatalf("%d items, %v", len(items), err)
		}
	}
}
