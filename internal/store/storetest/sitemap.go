package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// testSitemaps checks that the sitemap streams list exactly the published
// stories, each once, in their id blocks, with the dates sitemaps show.
func testSitemaps(t *testing.T, s store.Store) {
	ctx := context.Background()
	world, sport := mustSection(t, s, "world"), mustSection(t, s, "sport")
	mustSection(t, s, "empty")
	aid, _ := s.CreateAuthor(ctx, story.Author{Slug: "ada", Name: "Ada"})
	s.CreateAuthor(ctx, story.Author{Slug: "bob", Name: "Bob"})
	src, _ := s.EnsureSource(ctx, story.Source{Label: "AA"})
	s.EnsureSource(ctx, story.Source{Label: "Idle"})
	mid, _ := s.CreateMedia(ctx, story.Media{Hash: "pic", Mime: "image/jpeg", Width: 2000, Height: 1000, Bytes: 9})
	var published []int64
	for i := range 12 {
		st := &story.Story{Section: world, Headline: fmt.Sprintf("Story %d", i), FirstPublishedAt: base.Add(time.Duration(i) * time.Hour)}
		switch i % 4 {
		case 1:
			st.Status = story.StatusDraft
		case 2:
			st.Section, st.Tags, st.Lead = sport, []story.Tag{{Name: "Gas"}}, &story.Image{MediaID: mid}
		case 3:
			st.Bylines, st.Source = []story.Byline{{AuthorID: aid}}, &src
			st.UpdatedAt = st.FirstPublishedAt.Add(30 * time.Minute)
		}
		id := mustStory(t, s, st)
		if st.Status == story.StatusPublished {
			published = append(published, id)
		}
	}
	s.EnsureTag(ctx, "Unused")

	var got []store.SitemapStory
	collect := func(e store.SitemapStory) error { got = append(got, e); return nil }
	if err := s.EachSitemapStory(ctx, 0, 0, collect); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(published) {
		t.Fatalf("EachSitemapStory listed %d stories, want the %d published", len(got), len(published))
	}
	for i, e := range got {
		if e.ID != published[i] {
			t.Errorf("entry %d is story %d, want %d (published, by id)", i, e.ID, published[i])
		}
	}
	if e := got[1]; e.SectionSlug != "sport" || e.Lead == nil || e.Lead.Hash != "pic" || e.Lead.Width != 2000 || e.Language != "en" {
		t.Errorf("story with a picture: %+v", e)
	}
	if e := got[2]; !e.LastMod().Equal(base.Add(3*time.Hour+30*time.Minute)) || e.Path() != "/world/story-3-"+fmt.Sprint(e.ID) {
		t.Errorf("updated story: lastmod %v path %s", e.LastMod(), e.Path())
	}

	// Blocks of 4 ids: ids 1-4 hold 3 published, 5-8 hold 3, 9-12 hold 3.
	blocks, err := s.SitemapStoryBlocks(ctx, 4)
	if err != nil || len(blocks) != 3 || blocks[2].N != 3 {
		t.Fatalf("SitemapStoryBlocks(4) = %+v, %v; want 3 blocks", blocks, err)
	}
	for _, b := range blocks {
		var in []store.SitemapStory
		lo := int64(b.N-1) * 4
		s.EachSitemapStory(ctx, lo, lo+4, func(e store.SitemapStory) error { in = append(in, e); return nil })
		newest := time.Time{}
		for _, e := range in {
			if e.LastMod().After(newest) {
				newest = e.LastMod()
			}
		}
		if len(in) != 3 || !b.LastMod.Equal(newest) {
			t.Errorf("block %d: %d stories, lastmod %v; want 3 and %v", b.N, len(in), b.LastMod, newest)
		}
	}
	// Blocks of 50,000 (what the site asks for) come from their own index;
	// any other size from range scans. Both give the newest date.
	checkWholeBlock(t, s, base.Add(11*time.Hour+30*time.Minute))
	if _, err := s.SitemapStoryBlocks(ctx, 0); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("blocks of 0: %v, want ErrInvalid", err)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.EachSitemapStory(ctx, 0, 0, func(store.SitemapStory) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("callback error: %v after %d calls, want it back after 1", err, n)
	}

	var news []store.SitemapStory
	if err := s.EachNewsStory(ctx, base.Add(6*time.Hour), 2, func(e store.SitemapStory) error { news = append(news, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(news) != 2 || news[0].Headline != "Story 11" || news[1].Headline != "Story 10" {
		t.Errorf("news since 6h, limit 2: %+v; want stories 11 and 10", news)
	}

	var tags []store.SitemapPage
	if err := s.EachSitemapTag(ctx, 0, 0, func(p store.SitemapPage) error { tags = append(tags, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(tags) != 1 || tags[0].Slug != "gas" || !tags[0].LastMod.Equal(base.Add(10*time.Hour)) {
		t.Errorf("tags %+v, want gas alone (the unused tag has no story) with story 10's time", tags)
	}
	if tb, err := s.SitemapTagBlocks(ctx, 1000); err != nil || len(tb) != 1 || !tb[0].LastMod.Equal(base.Add(10*time.Hour)) {
		t.Errorf("tag blocks %+v %v", tb, err)
	}
	secs, err := s.SitemapSections(ctx)
	if err != nil || len(secs) != 3 {
		t.Fatalf("sections %+v %v", secs, err)
	}
	for _, p := range secs {
		want := map[string]time.Time{"world": base.Add(11 * time.Hour), "sport": base.Add(10 * time.Hour), "empty": {}}[p.Slug]
		if !p.LastMod.Equal(want) {
			t.Errorf("section %s lastmod %v, want %v", p.Slug, p.LastMod, want)
		}
	}
	authors, err := s.SitemapAuthors(ctx)
	if err != nil || len(authors) != 2 || authors[0].Slug != "ada" || !authors[0].LastMod.Equal(base.Add(11*time.Hour)) || !authors[1].LastMod.IsZero() {
		t.Errorf("authors %+v %v", authors, err)
	}
	srcs, err := s.SitemapSources(ctx)
	if err != nil || len(srcs) != 1 || srcs[0].Slug != "aa" {
		t.Errorf("sources %+v %v; want aa alone", srcs, err)
	}

	// A tag's or author's lastmod is its newest first publication, not
	// that of its story with the highest id: a story filed now with an
	// older dateline leaves it where it was.
	late := &story.Story{Section: sport, Headline: "Late filing", FirstPublishedAt: base.Add(5 * time.Hour),
		Tags: []story.Tag{{Name: "Gas"}}, Bylines: []story.Byline{{AuthorID: aid}}}
	late.ID = mustStory(t, s, late)
	tags = tags[:0]
	if err := s.EachSitemapTag(ctx, 0, 0, func(p store.SitemapPage) error { tags = append(tags, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(tags) != 1 || !tags[0].LastMod.Equal(base.Add(10*time.Hour)) {
		t.Errorf("after a late filing, tags %+v; want gas still with story 10's time", tags)
	}
	if tb, err := s.SitemapTagBlocks(ctx, 1000); err != nil || len(tb) != 1 || !tb[0].LastMod.Equal(base.Add(10*time.Hour)) {
		t.Errorf("after a late filing, tag blocks %+v %v", tb, err)
	}
	if authors, err := s.SitemapAuthors(ctx); err != nil || !authors[0].LastMod.Equal(base.Add(11*time.Hour)) {
		t.Errorf("after a late filing, authors %+v %v; want ada still with story 11's time", authors, err)
	}
	late, _ = s.Story(ctx, late.ID)
	late.Status = story.StatusUnpublished
	if err := s.UpdateStory(ctx, late); err != nil {
		t.Fatal(err)
	}

	// Taking a story down takes it off every list.
	gone, _ := s.Story(ctx, published[len(published)-1])
	gone.Status = story.StatusUnpublished
	if err := s.UpdateStory(ctx, gone); err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	s.EachSitemapStory(ctx, 0, 0, collect)
	if len(got) != len(published)-1 || got[len(got)-1].ID == gone.ID {
		t.Errorf("after unpublishing %d: %d stories listed", gone.ID, len(got))
	}
	// The block's newest is now story 10's first publication.
	checkWholeBlock(t, s, base.Add(10*time.Hour))
}

// checkWholeBlock checks that the stories (all in the first 1,000 ids) make
// one block with the newest date want, in blocks of 50,000 and of 1,000.
func checkWholeBlock(t *testing.T, s store.Store, want time.Time) {
	t.Helper()
	for _, size := range []int{50000, 1000} {
		b, err := s.SitemapStoryBlocks(context.Background(), size)
		if err != nil || len(b) != 1 || b[0].N != 1 || !b[0].LastMod.Equal(want) {
			t.Errorf("SitemapStoryBlocks(%d) = %+v, %v; want block 1 with lastmod %v", size, b, err, want)
		}
	}
}
