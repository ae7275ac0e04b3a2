package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
)

// TestListPlans checks that the front page's list and the breaking-news
// banner walk an index in order on a store without planner statistics
// (a new site that grows quickly), never sorting the archive.
func TestListPlans(t *testing.T) {
	s := openPlanStore(t)
	if _, err := s.db.Exec("DROP TABLE IF EXISTS sqlite_stat1"); err != nil {
		t.Fatal(err)
	}
	latest, args := sqlshare.ListSQL(dialect{}, store.ListQuery{Limit: 6, Exclude: []int64{1, 2}, After: store.Cursor{At: time.Now(), ID: 9}})
	breaking := "SELECT " + sqlshare.SummaryCols + strings.Replace(sqlshare.SummaryFrom, "FROM stories s", "FROM stories s INDEXED BY stories_breaking", 1) +
		" WHERE s.status = 'published' AND s.breaking_until > ? ORDER BY s.first_published_at DESC LIMIT 1"
	for name, tc := range map[string]struct {
		sql   string
		args  []any
		index string
	}{
		"latest":   {latest, args, "stories_published"},
		"breaking": {breaking, []any{1}, "stories_breaking"},
	} {
		plan := queryPlan(t, s.db, tc.sql, tc.args...)
		all := strings.Join(plan, "; ")
		if !strings.Contains(all, tc.index) || (name == "latest" && strings.Contains(all, "TEMP B-TREE")) {
			t.Errorf("%s: plan %q, want it to walk %s without sorting", name, all, tc.index)
		}
	}
	// Analyze makes the statistics (an empty store is not analysed at
	// open: figures from empty tables would mislead the planner).
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("statistics table before Analyze: %d, %v", n, err)
	}
	if err := s.Analyze(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").Scan(&n); err != nil || n != 1 {
		t.Errorf("no planner statistics table after Analyze (%d, %v)", n, err)
	}
}
