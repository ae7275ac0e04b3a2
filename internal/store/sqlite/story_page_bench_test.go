package sqlite_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"dateline/internal/store"
	"dateline/internal/store/sqlite"
	"dateline/internal/story"
)

// BenchmarkStoryPageReads is the store's share of an uncached story page:
// the story, then Explore's editor's and related stories, as the site's
// storyShow asks for them (the newest and most-read lists come from the
// site's shared lists). It runs on a copy of a real archive, named by
// DATELINE_BENCH_DB (bench-data's output; it is migrated like any store
// serve opens), and DATELINE_BENCH_STORIES stories of it in turn (1 by
// default: one story's pages stay in SQLite's cache; 1000 is bench/wrk.sh's
// many-stories run). Skipped without it.
//
//	DATELINE_BENCH_DB=/tmp/copy/d.db go test ./internal/store/sqlite -run XXX -bench StoryPageReads -benchmem
func BenchmarkStoryPageReads(b *testing.B) {
	path := os.Getenv("DATELINE_BENCH_DB")
	if path == "" {
		b.Skip("DATELINE_BENCH_DB names no archive to read")
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n := 1
	if v := os.Getenv("DATELINE_BENCH_STORIES"); v != "" {
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("DATELINE_BENCH_STORIES=%q: want a positive number", v)
		}
	}
	ids, err := benchStoryIDs(ctx, s, n)
	if err != nil {
		b.Fatal(err)
	}
	qctx, counter := store.WithQueryCounter(ctx)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := s.Story(qctx, ids[i%len(ids)])
		if err != nil {
			b.Fatal(err)
		}
		var editor []int64
		for _, blk := range st.Body {
			if blk.Type == story.BlockRelated {
				editor = append(editor, blk.StoryID)
			}
		}
		if _, err := s.Explore(qctx, store.ExploreQuery{StoryID: st.ID, Editor: editor, Related: 8}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(counter.Load())/float64(b.N), "stmts/op")
}

// benchStoryIDs are the n published stories written last (by id: a walk
// of the table from its end, where an order by publication time would
// sort the archive).
func benchStoryIDs(ctx context.Context, s *sqlite.Store, n int) ([]int64, error) {
	rows, err := s.DB().QueryContext(ctx, "SELECT id FROM stories WHERE status = 'published' ORDER BY id DESC LIMIT ?", n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
