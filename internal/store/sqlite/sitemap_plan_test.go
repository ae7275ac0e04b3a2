package sqlite

import (
	"slices"
	"strings"
	"testing"
)

// TestSitemapQueryPlans checks that the sitemap queries seek indexes: a
// SCAN of stories would read every story row (and its body's overflow
// pages) on each request for a sitemap.
func TestSitemapQueryPlans(t *testing.T) {
	s := openPlanStore(t)
	queries := map[string]string{
		"stories": "SELECT " + sitemapStoryCols + sitemapStoryFrom + `
			WHERE s.status = 'published' AND s.id > 1 AND s.id <= 9 ORDER BY s.id LIMIT 10`,
		"story last id":         storyLastID,
		"story block":           storyBlockNewest,
		"story block (indexed)": storyBlockNewestIndexed,
		"tag block":             "SELECT max(newest) FROM (" + tagNewest + " WHERE t.id > ? AND t.id <= ?)",
		"news": "SELECT " + sitemapStoryCols + ", s.headline" + newsStoryFrom + `
			WHERE s.status = 'published' AND s.first_published_at >= 5
			ORDER BY s.first_published_at DESC, s.id DESC LIMIT 10`,
		"tags":     tagNewest + " WHERE t.id > 1 AND t.id <= 9 ORDER BY t.id LIMIT 10",
		"sections": sectionsNewest,
		"authors":  authorsNewest,
		"sources":  sourcesNewest,
	}
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
