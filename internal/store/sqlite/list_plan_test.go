package sqlite

import (
	"context"
	"path/filepath"
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
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "plan.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.db.Exec("DROP TABLE IF EXISTS sqlite_stat1"); err != nil {
		t.Fatal(err)
	}
	latest, args := sqlshare.ListSQL(dialect{}, store.ListQuery{Limit: 6, Exclude: []int64{1, 2}, After: store.Cursor{At: time.Now(), ID: 9}})
	breaking := "SELECT " + summaryCols + strings.Replace(summaryFrom, "FROM stories s", "FROM stories s INDEXED BY stories_breaking", 1) +
		" WHERE s.status = 'published' AND s.breaking_until > ? ORDER BY s.first_published_at DESC LIMIT 1"
	for name, tc := range map[string]struct {
		sql   string
		args  []any
		index string
	}{
		"latest":   {latest, args, "stories_published"},
		"breaking": {breaking, []any{1}, "stories_breaking"},
	} {
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+tc.sql, tc.args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
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
