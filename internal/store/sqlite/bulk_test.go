package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// TestBulkLoadDeferred loads stories with the story tables' indexes and
// foreign keys off, and checks that Finish puts every index back, that
// the stories read, list and search as saved ones do, and that a row
// pointing at nothing is refused at the end.
func TestBulkLoadDeferred(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "bulk.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	indexes := func() []string {
		var out []string
		eachRow(ctx, s.db, func(r *sql.Rows) error {
			var n string
			err := r.Scan(&n)
			out = append(out, n)
			return err
		}, "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
		return out
	}
	before := indexes()
	secID, err := s.CreateSection(ctx, story.Section{Slug: "world", Name: "World"})
	if err != nil {
		t.Fatal(err)
	}
	aid, _ := s.CreateAuthor(ctx, story.Author{Slug: "ada", Name: "Ada Byline"})
	tag, _ := s.EnsureTag(ctx, "Harbour")
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	mk := func(i int, section int64) *story.Story {
		first := at.Add(time.Duration(i) * time.Hour)
		return &story.Story{Language: "en", Type: story.TypeNews, Status: story.StatusPublished,
			Section: story.Section{ID: section}, Headline: "Cranes return to the harbour", Slug: "cranes",
			Body:             []story.Block{{Type: story.BlockParagraph, Spans: []story.Span{{Text: "Dockers counted forty cranes."}}}},
			FirstPublishedAt: first, PublishedAt: first, UpdatedAt: first,
			Bylines: []story.Byline{{AuthorID: aid}}, Tags: []story.Tag{tag},
			Notes: []story.Note{{Kind: "update", Text: "Updated.", At: first}}}
	}

	b, err := s.BeginBulkLoad(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := indexes(); len(got) >= len(before) || slices.Contains(got, "stories_published") {
		t.Errorf("indexes during a deferred load: %v; want the story tables' dropped", got)
	}
	var batch []*story.Story
	for i := range 700 { // more than one multi-row statement of each kind
		batch = append(batch, mk(i, secID))
	}
	if err := b.Add(ctx, batch[:400]); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(ctx, batch[400:]); err != nil {
		t.Fatal(err)
	}
	if err := b.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	if got := indexes(); !slices.Equal(got, before) {
		t.Errorf("indexes after Finish: %v, want %v", got, before)
	}
	if batch[0].ID == 0 || batch[699].ID != batch[0].ID+699 {
		t.Fatalf("ids %d … %d, want 700 in a row", batch[0].ID, batch[699].ID)
	}
	got, err := s.Story(ctx, batch[699].ID)
	if err != nil || got.Headline != "Cranes return to the harbour" || len(got.Tags) != 1 || len(got.Bylines) != 1 || len(got.Notes) != 1 {
		t.Fatalf("story %d after the load: %+v, %v", batch[699].ID, got, err)
	}
	list, err := s.ListStories(ctx, store.ListQuery{TagID: tag.ID, Limit: 5})
	if err != nil || len(list) != 5 || list[0].ID != batch[699].ID {
		t.Errorf("tag list after the load: %d stories, %v; want the newest, %d, first", len(list), err, batch[699].ID)
	}
	// Found by the author's name, which only the search row holds.
	res, err := s.SearchStories(ctx, store.SearchQuery{Text: "byline dockers", Limit: 5})
	if err != nil || res.Total != 700 {
		t.Errorf("search after the load: %d hits, %v; want all 700", res.Total, err)
	}
	var foreignKeys int
	s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&foreignKeys)
	if foreignKeys != 1 {
		t.Errorf("foreign_keys = %d after Finish, want it back on", foreignKeys)
	}

	// A story in a section that does not exist is refused by Finish, and
	// the indexes are back all the same.
	b, err = s.BeginBulkLoad(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Add(ctx, []*story.Story{mk(0, secID+99)}); err != nil {
		t.Fatal(err)
	}
	if err := b.Finish(ctx); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Finish after a story in a missing section: %v, want ErrInvalid", err)
	}
	if got := indexes(); !slices.Equal(got, before) {
		t.Errorf("indexes after a refused load: %v, want %v", got, before)
	}
}
