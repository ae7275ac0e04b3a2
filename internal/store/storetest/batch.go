package storetest

import (
	"context"
	"reflect"
	"strconv"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// testStoriesByID checks that the batch read returns exactly what Story
// returns for each published story, in the order asked, leaving out the
// unpublished and the missing, in a number of statements that does not
// grow with the number of stories.
func testStoriesByID(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	src, _ := s.EnsureSource(ctx, story.Source{Label: "AFP"})
	aid, _ := s.CreateAuthor(ctx, story.Author{Slug: "ada", Name: "Ada Lovelace"})
	mid, err := s.CreateMedia(ctx, story.Media{Hash: "0123456789abcdef0123456789abcdef", Mime: "image/jpeg", Width: 1600, Height: 900, Bytes: 5})
	if err != nil {
		t.Fatal(err)
	}
	a := &story.Story{Section: sec, Headline: "First story", FirstPublishedAt: base}
	mustStory(t, s, a)
	draft := &story.Story{Section: sec, Headline: "Draft", Status: story.StatusDraft}
	mustStory(t, s, draft)
	c := &story.Story{Section: sec, Headline: "Full story", Standfirst: "All of it.",
		Body:    story.ParseBody("Text with **bold**.\n\n[[related:" + itoa(a.ID) + "]]"),
		Lead:    &story.Image{MediaID: mid, Caption: "A caption", Credit: "Photo: Ada", Alt: "A view"},
		Bylines: []story.Byline{{AuthorID: aid}, {Name: "Free Text"}}, Source: &src,
		Tags:             []story.Tag{{Name: "Climate"}, {Name: "Energy"}},
		Related:          []int64{a.ID},
		Notes:            []story.Note{{Kind: "update", Text: "Added a quote.", At: base.Add(2 * time.Hour)}},
		FirstPublishedAt: base.Add(time.Hour), PublishedAt: base.Add(time.Hour), UpdatedAt: base.Add(2 * time.Hour)}
	mustStory(t, s, c)

	got, err := s.StoriesByID(ctx, []int64{c.ID, draft.ID, 99999, a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != c.ID || got[1].ID != a.ID {
		t.Fatalf("got %d stories %v, want [%d %d]", len(got), storyIDs(got), c.ID, a.ID)
	}
	for _, g := range got {
		one, err := s.Story(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, one) {
			t.Errorf("story %d from the batch differs from Story:\n%+v\nwant\n%+v", g.ID, g, one)
		}
	}
	if g := got[0]; len(g.Bylines) != 2 || len(g.Tags) != 2 || len(g.Notes) != 1 || len(g.Related) != 1 ||
		g.Lead == nil || g.Lead.Hash == "" || g.Source == nil || len(g.Body) != 2 {
		t.Errorf("the full story came back incomplete: %+v", g)
	}
	if twice, err := s.StoriesByID(ctx, []int64{a.ID, a.ID}); err != nil || len(twice) != 1 {
		t.Errorf("a repeated id: %v %v", storyIDs(twice), err)
	}
	if none, err := s.StoriesByID(ctx, nil); err != nil || len(none) != 0 {
		t.Errorf("no ids: %v %v", none, err)
	}

	// The statement count is the same for one story as for many.
	counted := func(ids []int64) int64 {
		cctx, n := store.WithQueryCounter(ctx)
		if _, err := s.StoriesByID(cctx, ids); err != nil {
			t.Fatal(err)
		}
		return n.Load()
	}
	for i := 0; i < 10; i++ {
		mustStory(t, s, &story.Story{Section: sec, Headline: "More " + itoa(int64(i)), FirstPublishedAt: base,
			Bylines: []story.Byline{{Name: "Someone"}}, Tags: []story.Tag{{Name: "Climate"}}})
	}
	list, err := s.ListStories(ctx, store.ListQuery{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	var all []int64
	for _, sum := range list {
		all = append(all, sum.ID)
	}
	if one, many := counted([]int64{a.ID}), counted(all); one != many || one == 0 {
		t.Errorf("%d statements for one story, %d for %d", one, many, len(all))
	}
}

func storyIDs(list []*story.Story) []int64 {
	out := make([]int64, len(list))
	for i, s := range list {
		out[i] = s.ID
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
