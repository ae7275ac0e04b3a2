package sqlite

import (
	"strings"
	"testing"

	"dateline/internal/store"
)

// TestExplorePlanRelatedInScoreOrder: a story page's related stories are
// read in score order from story_auto_related_rank, so the statement
// stops after the few it shows instead of reading and sorting every
// candidate with its story's row.
func TestExplorePlanRelatedInScoreOrder(t *testing.T) {
	s := openPlanStore(t)
	sqlText, args := s.ExploreStatement(store.ExploreQuery{StoryID: 7, Exclude: []int64{8}, Related: 4})
	plan := queryPlan(t, s.db, sqlText, args...)
	all := strings.Join(plan, "\n")
	if !strings.Contains(all, "story_auto_related_rank") || strings.Contains(all, "TEMP B-TREE FOR ORDER BY") {
		t.Errorf("the related part does not walk story_auto_related_rank in order:\n%s", all)
	}
}
