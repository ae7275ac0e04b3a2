package sqlite

import (
	"slices"
	"strings"
	"testing"

	"dateline/internal/store/sqlshare"
)

// TestSitemapQueryPlans checks that the sitemap queries seek indexes: a
// SCAN of stories would read every story row (and its body's overflow
// pages) on each request for a sitemap.
func TestSitemapQueryPlans(t *testing.T) {
	s := openPlanStore(t)
	queries := sqlshare.SitemapQueries(dialect{})
	for name, q := range queries {
		plan := queryPlan(t, s.db, q, make([]any, strings.Count(q, "?"))...)
		all := strings.Join(plan, "; ")
		t.Logf("%s: %s", name, all)
		for _, d := range plan {
			f := strings.Fields(d)
			// Sections, authors and sources are small tables read whole;
			// story tables must be sought, never scanned or sorted.
			if f[0] == "SCAN" && !slices.Contains([]string{"sec", "a", "src", "CONSTANT"}, f[1]) ||
				strings.Contains(d, "TEMP B-TREE") && name != "sections" {
				t.Errorf("%s scans or sorts: %s", name, all)
			}
		}
	}
}
