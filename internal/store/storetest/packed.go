package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// Names a packed column must carry through untouched: separators of the
// packing, digits after them, multi-byte letters, a newline.
var awkwardNames = []string{"Smith, J.: 3:x", "Çağrı Öztürk", "12:34,\n56", ""}

// testStoryChildrenExact reads back a story whose children have awkward
// text, in one statement, with the stored word count; the word count
// follows every save.
func testStoryChildrenExact(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	aid, err := s.CreateAuthor(ctx, story.Author{Slug: "ada", Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	other := mustStory(t, s, &story.Story{Section: sec, Headline: "Another story", FirstPublishedAt: base})
	third := mustStory(t, s, &story.Story{Section: sec, Headline: "A third story", FirstPublishedAt: base})
	in := &story.Story{Section: sec, Headline: "Awkward children", FirstPublishedAt: base,
		Body:    story.ParseBody("One two three four five.\n\nSix seven."),
		Bylines: []story.Byline{{AuthorID: aid}, {Name: awkwardNames[0]}, {Name: awkwardNames[1]}, {Name: awkwardNames[2]}},
		Tags:    []story.Tag{{Name: "Energy: 2:policy"}, {Name: "Türkiye"}},
		Related: []int64{third, other},
		Notes: []story.Note{{Kind: "correction", Text: "Line one,\n2:two", At: base.Add(time.Hour)},
			{Kind: "update", Text: "", At: base.Add(2 * time.Hour)}}}
	id := mustStory(t, s, in)
	if want := story.WordCount(in.Body); want != 7 || in.WordCount != want {
		t.Errorf("after create: WordCount %d, counted %d, want 7", in.WordCount, want)
	}
	qctx, n := store.WithQueryCounter(ctx)
	got, err := s.Story(qctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != 1 {
		t.Errorf("Story took %d statements, want 1", n.Load())
	}
	wantBylines := []story.Byline{{AuthorID: aid, AuthorSlug: "ada"}, {Name: awkwardNames[0]}, {Name: awkwardNames[1]}, {Name: awkwardNames[2]}}
	if !reflect.DeepEqual(got.Bylines, wantBylines) {
		t.Errorf("bylines %+v, want %+v", got.Bylines, wantBylines)
	}
	if len(got.Tags) != 2 || got.Tags[0].Name != "Energy: 2:policy" || got.Tags[0].Slug != "energy-2-policy" ||
		got.Tags[1].Name != "Türkiye" || got.Tags[1].Slug != "turkiye" || got.Tags[0].ID == 0 {
		t.Errorf("tags %+v", got.Tags)
	}
	if fmt.Sprint(got.Related) != fmt.Sprint([]int64{third, other}) {
		t.Errorf("related %v, want %v in the editor's order", got.Related, []int64{third, other})
	}
	if len(got.Notes) != 2 || got.Notes[0].Kind != "correction" || got.Notes[0].Text != "Line one,\n2:two" ||
		!got.Notes[0].At.Equal(base.Add(time.Hour)) || got.Notes[1].Kind != "update" || got.Notes[1].Text != "" {
		t.Errorf("notes %+v", got.Notes)
	}
	if got.WordCount != 7 {
		t.Errorf("read WordCount %d, want 7", got.WordCount)
	}
	// A story without children reads as one with none.
	bare, err := s.Story(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	if bare.Bylines != nil || bare.Tags != nil || bare.Related != nil || bare.Notes != nil {
		t.Errorf("a story without children: %+v %+v %v %+v", bare.Bylines, bare.Tags, bare.Related, bare.Notes)
	}
	got.Body = story.ParseBody("Only three words.")
	if err := s.UpdateStory(ctx, got); err != nil {
		t.Fatal(err)
	}
	if got.WordCount != 3 {
		t.Errorf("after update: WordCount %d, want 3", got.WordCount)
	}
	again, err := s.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if again.WordCount != 3 {
		t.Errorf("read after update: WordCount %d, want 3", again.WordCount)
	}
	api, err := s.StoriesByID(ctx, []int64{id})
	if err != nil || len(api) != 1 || api[0].WordCount != 3 {
		t.Errorf("StoriesByID: %v, want WordCount 3: %v", api, err)
	}
}

// testExploreBylines: every list Explore returns carries each story's
// bylines, in order, awkward names intact, from one statement.
func testExploreBylines(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	aid, err := s.CreateAuthor(ctx, story.Author{Slug: "ada", Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	want := map[int64][]story.Byline{}
	for i := range 8 {
		var bylines []story.Byline
		if i%2 == 0 {
			bylines = append(bylines, story.Byline{AuthorID: aid})
		}
		for j := range i % 4 {
			bylines = append(bylines, story.Byline{Name: awkwardNames[(i+j)%len(awkwardNames)]})
		}
		id := mustStory(t, s, &story.Story{Section: sec, Headline: fmt.Sprintf("Port strike day %d", i),
			Bylines: bylines, Body: story.ParseBody("Dock workers at the port strike over pay and shifts."),
			FirstPublishedAt: base.Add(time.Duration(i) * time.Hour)})
		ids = append(ids, id)
		st, err := s.Story(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want[id] = st.Bylines
	}
	if err := s.AddViews(ctx, []store.ViewCount{{StoryID: ids[1], Hour: base, Views: 9}, {StoryID: ids[2], Hour: base, Views: 4}}); err != nil {
		t.Fatal(err)
	}
	qctx, n := store.WithQueryCounter(ctx)
	ex, err := s.Explore(qctx, store.ExploreQuery{StoryID: ids[0], Editor: []int64{ids[3], ids[5]},
		Related: 4, Fresh: 4, MostRead: 5, Since: base.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != 1 {
		t.Errorf("Explore took %d statements, want 1", n.Load())
	}
	lists := map[string][]story.Summary{"editor": ex.Editor, "related": ex.Related, "fresh": ex.Fresh, "most read": ex.MostRead}
	for name, list := range lists {
		if len(list) == 0 {
			t.Errorf("%s: empty", name)
		}
		for _, v := range list {
			if !reflect.DeepEqual(v.Bylines, want[v.ID]) {
				t.Errorf("%s: story %d has bylines %+v, want %+v", name, v.ID, v.Bylines, want[v.ID])
			}
		}
	}
	if len(want[ids[3]]) != 3 || len(want[ids[6]]) != 3 || want[ids[6]][0].AuthorSlug != "ada" {
		t.Errorf("the test's own stories: %+v %+v", want[ids[3]], want[ids[6]])
	}
}
