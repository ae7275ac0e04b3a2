package sqlshare

import (
	"slices"
	"testing"

	"dateline/internal/search"
)

func TestKeepKeysDropsCommonLanguage(t *testing.T) {
	keys := []search.Key{{Term: "#tag", DF: 90}, {Term: "@en", DF: 30}, {Term: "@ar", DF: 2}}
	got := KeepKeys(keys, 100)
	want := []search.Key{{Term: "#tag", DF: 90}, {Term: "@ar", DF: 2}}
	if !slices.Equal(got, want) {
		t.Fatalf("KeepKeys = %v, want %v", got, want)
	}
}

func TestSortScoredBestFirstTiesToNewer(t *testing.T) {
	list := []Scored{{ID: 1, Score: 0.5}, {ID: 3, Score: 0.9}, {ID: 2, Score: 0.5}}
	SortScored(list)
	want := []Scored{{ID: 3, Score: 0.9}, {ID: 2, Score: 0.5}, {ID: 1, Score: 0.5}}
	if !slices.Equal(list, want) {
		t.Fatalf("SortScored = %v, want %v", list, want)
	}
}

func TestJoinUnion(t *testing.T) {
	if got := JoinUnion([]string{"SELECT 1", "SELECT 2", "SELECT 3"}); got != "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3" {
		t.Fatalf("JoinUnion = %q", got)
	}
}
