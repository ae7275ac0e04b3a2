package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
)

// TestListedPlans checks that a tag's and an author's page walk their
// listed index (migration 0023) in page order, first row first, with or
// without planner statistics: no sort of the tag's or author's stories,
// however many it has.
func TestListedPlans(t *testing.T) {
	s := openPlanStore(t)
	ctx := context.Background()
	// One connection: the statistics written below are loaded by the
	// connection that runs ANALYZE sqlite_schema.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	queries := map[string]store.ListQuery{
		"tag":               {TagID: 3, Limit: 13},
		"tag, next page":    {TagID: 3, Limit: 13, Exclude: []int64{1, 2}, After: store.Cursor{At: time.Now(), ID: 9}},
		"author":            {AuthorID: 3, Limit: 13},
		"author, next page": {AuthorID: 3, Limit: 13, Exclude: []int64{1}, After: store.Cursor{At: time.Now(), ID: 9}},
		"tag and section":   {TagID: 3, SectionID: 2, Limit: 13},
	}
	api := map[string]store.APIQuery{
		"API tag":                 {TagID: 3, Limit: 20, Language: "en"},
		"API author, next page":   {AuthorID: 3, Limit: 20, After: store.Cursor{At: time.Now(), ID: 9}},
		"API tag, author, source": {TagID: 3, AuthorID: 4, SourceID: 1, Limit: 20},
	}
	check := func(when string) {
		type statement struct {
			text       string
			args       []any
			tag, after bool
		}
		all := map[string]statement{}
		for name, q := range queries {
			text, args := sqlshare.ListSQL(dialect{}, q)
			all[name] = statement{text, args, q.TagID > 0, q.After.ID != 0}
		}
		for name, q := range api {
			text, args := sqlshare.APIStoriesSQL(dialect{}, q)
			all[name] = statement{text, args, q.TagID > 0, q.After.ID != 0}
		}
		for name, q := range all {
			text, args := q.text, q.args
			index := "story_tags_listed"
			if !q.tag {
				index = "story_bylines_listed"
			}
			plan := queryPlan(t, conn, text, args...)
			all := strings.Join(plan, "; ")
			if len(plan) == 0 || !strings.Contains(plan[0], "INDEX "+index+" (") || strings.Contains(all, "TEMP B-TREE") {
				t.Errorf("%s, %s: plan %q, want it to start by walking %s, with no sort", when, name, all, index)
			}
			if q.after && !strings.Contains(plan[0], "listed_at<") {
				t.Errorf("%s, %s: plan %q, want the cursor to bound the index range", when, name, plan[0])
			}
		}
	}
	check("without statistics")
	// Statistics from a store where one tag and one author have most of
	// the stories: the planner must still not sort them.
	if _, err := conn.ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('story_tags', 'story_tags_listed', '400000 30000 2 1')",
		"INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('story_tags', 'story_tags_tag', '400000 30000 1')",
		"INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('story_bylines', 'story_bylines_listed', '110000 5000 2 1')",
		"INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('story_bylines', 'story_bylines_author', '110000 5000 1')",
		"INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('stories', 'stories_published', '100000 1 1')",
		"INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('stories', 'stories_section_published', '100000 8000 1 1')",
		"ANALYZE sqlite_schema",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_stat1").Scan(&n); err != nil || n < 6 {
		t.Fatalf("statistics rows: %d, %v", n, err)
	}
	check("with statistics")
}
