package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// TestRelatedIncremental exercises the path large archives take: each
// publication updates its own list and offers itself to its neighbours,
// a kill refills the lists it leaves. The lists it keeps must agree with
// a full rebuild on the best matches, and never hold the story itself or
// a story that is not published.
func TestRelatedIncremental(t *testing.T) {
	old := sqlshare.SmallArchive
	sqlshare.SmallArchive = 0
	t.Cleanup(func() { sqlshare.SmallArchive = old })
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "rel.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := newBenchArchive(s, 0)
	for i, name := range []string{"World", "Sport"} {
		id, err := s.CreateSection(ctx, story.Section{Slug: story.Slugify(name, 20), Name: name, Position: i})
		if err != nil {
			t.Fatal(err)
		}
		a.secs = append(a.secs, story.Section{ID: id, Slug: story.Slugify(name, 20), Name: name})
	}
	var ids []int64
	for i := range 120 {
		st := a.story(i%12, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Hour))
		if i%10 == 9 {
			st.Status = story.StatusDraft
		}
		id, err := s.CreateStory(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// Kill a few published stories.
	killed := map[int64]bool{}
	for _, id := range ids[:30:30] {
		if id%7 != 0 {
			continue
		}
		st, err := s.Story(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != story.StatusPublished {
			continue
		}
		st.Status = story.StatusKilled
		if err := s.UpdateStory(ctx, st); err != nil {
			t.Fatal(err)
		}
		killed[id] = true
	}
	lists := func() map[int64][]int64 {
		out := map[int64][]int64{}
		for _, id := range ids {
			list, err := s.Related(ctx, id, 5)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range list {
				out[id] = append(out[id], v.ID)
			}
		}
		return out
	}
	inc := lists()
	var rows int
	if err := s.db.QueryRow(`SELECT count(*) FROM story_auto_related r JOIN stories s ON s.id = r.related_id
		WHERE s.status <> 'published' OR r.story_id = r.related_id`).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("%d related rows point at a story that is not published, or at itself (%v)", rows, err)
	}
	if _, err := s.RebuildRelated(ctx); err != nil {
		t.Fatal(err)
	}
	full := lists()
	var agree, total, short int
	for id, want := range full {
		got := inc[id]
		if len(got) < len(want) {
			short++
		}
		for _, w := range want {
			total++
			for _, g := range got {
				if g == w {
					agree++
				}
			}
		}
	}
	share := float64(agree) / float64(total)
	t.Logf("incremental lists hold %.0f%% of the rebuilt top five (%d of %d); %d lists shorter", share*100, agree, total, short)
	if share < 0.8 {
		t.Errorf("incremental and rebuilt related lists agree on %.0f%%, want at least 80%%", share*100)
	}
	for id := range killed {
		if len(full[id]) != 0 || len(inc[id]) != 0 {
			t.Errorf("killed story %d has related stories", id)
		}
	}
}
