package sqlite

import (
	"context"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
)

// TestPublishedListsUnderSampledStatistics gives the planner the
// statistics a sampled ANALYZE makes of a large archive (status =
// 'published' looks like a thousand rows) and checks that the API's list
// and a list read through publishedFrom still walk the index in page
// order instead of sorting the archive.
func TestPublishedListsUnderSampledStatistics(t *testing.T) {
	s := openPlanStore(t)
	conn, err := s.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		"ANALYZE",
		"DELETE FROM sqlite_stat1",
		`INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
			('stories', 'stories_status_modified', '100000 1001 1'),
			('stories', 'stories_published', '100000 1 1'),
			('stories', 'stories_section_published', '100000 16667 1 1'),
			('stories', 'stories_language', '100000 1001')`,
		"ANALYZE sqlite_schema", // reload the statistics
	} {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	api, apiArgs := sqlshare.APIStoriesSQL(dialect{}, store.APIQuery{Limit: 20})
	apiSec, apiSecArgs := sqlshare.APIStoriesSQL(dialect{}, store.APIQuery{Limit: 20, SectionID: 1})
	for name, tc := range map[string]struct {
		sql   string
		args  []any
		index string
	}{
		"api":         {api, apiArgs, "stories_published"},
		"api section": {apiSec, apiSecArgs, "stories_section_published"},
		"newest": {"SELECT s.id" + publishedFrom(0, 0) + " WHERE s.status = 'published' AND s.id NOT IN (?)" +
			" ORDER BY s.first_published_at DESC, s.id DESC LIMIT 5", []any{1}, "stories_published"},
	} {
		plan := queryPlan(t, conn, tc.sql, tc.args...)
		all := strings.Join(plan, "; ")
		if !strings.Contains(all, tc.index) || strings.Contains(all, "TEMP B-TREE") {
			t.Errorf("%s: plan %q, want a walk of %s without a sort", name, all, tc.index)
		}
	}
}
