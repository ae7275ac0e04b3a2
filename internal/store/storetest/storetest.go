// Package storetest is the behaviour every store.Store must have, as a
// test suite each implementation runs against a real database of its own.
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

// Run runs the suite; open returns a new, empty, migrated store.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Catalog", testCatalog},
		{"StoryRoundTrip", testStoryRoundTrip},
		{"StoryChildrenExact", testStoryChildrenExact},
		{"OptimisticLocking", testOptimisticLocking},
		{"StoryChangeAllOrNothing", testStoryChangeAllOrNothing},
		{"ListKeyset", testListKeyset},
		{"ListedLists", testListedLists},
		{"ListedWrittenAround", testListedWrittenAround},
		{"ListedBulk", testListedBulk},
		{"SectionFronts", testSectionFronts},
		{"SummariesAndRelated", testSummariesAndRelated},
		{"Search", testSearch},
		{"SearchRanking", testSearchRanking},
		{"SearchMatching", testSearchMatching},
		{"SearchSnippets", testSearchSnippets},
		{"SearchFiltersAndPages", testSearchFiltersAndPages},
		{"SearchAnyInput", testSearchAnyInput},
		{"Related", testRelated},
		{"RelatedWindow", testRelatedWindow},
		{"RelatedSaveAgreesWithRebuild", testRelatedSaveAgreesWithRebuild},
		{"RelatedRebuildRows", testRelatedRebuildRows},
		{"Explore", testExplore},
		{"ExploreBylines", testExploreBylines},
		{"Views", testViews},
		{"MessagesAndSettings", testMessagesAndSettings},
		{"Events", testEvents},
		{"ContentVersion", testContentVersion},
		{"Webhooks", testWebhooks},
		{"Sitemaps", testSitemaps},
		{"ContentAPI", testContentAPI},
		{"StoriesByID", testStoriesByID},
		{"Wire", testWire},
		{"WireDesk", testWireDesk},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var base = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func mustSection(t *testing.T, s store.Store, slug string) story.Section {
	t.Helper()
	sec := story.Section{Slug: slug, Name: "Section " + slug}
	id, err := s.CreateSection(context.Background(), sec)
	if err != nil {
		t.Fatal(err)
	}
	sec.ID = id
	return sec
}

func mustStory(t *testing.T, s store.Store, st *story.Story) int64 {
	t.Helper()
	if st.Language == "" {
		st.Language = "en"
	}
	if st.Type == "" {
		st.Type = story.TypeNews
	}
	if st.Status == "" {
		st.Status = story.StatusPublished
	}
	if st.Body == nil {
		st.Body = story.ParseBody("Some words for the body of " + st.Headline + ".")
	}
	st.Slug = story.Slugify(st.Headline, 80)
	id, err := s.CreateStory(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func testCatalog(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	if _, err := s.CreateSection(ctx, story.Section{Slug: "world", Name: "Again"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate section: %v, want ErrConflict", err)
	}
	if _, err := s.CreateSection(ctx, story.Section{Slug: "Bad Slug", Name: "x"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad slug: %v, want ErrInvalid", err)
	}
	got, err := s.SectionBySlug(ctx, "world")
	if err != nil || got.ID != sec.ID {
		t.Errorf("SectionBySlug: %+v %v", got, err)
	}
	if _, err := s.SectionBySlug(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing section: %v", err)
	}
	t1, err := s.EnsureTag(ctx, "Türkiye")
	if err != nil || t1.Slug != "turkiye" {
		t.Fatalf("EnsureTag: %+v %v", t1, err)
	}
	t2, err := s.EnsureTag(ctx, "Türkiye")
	if err != nil || t2.ID != t1.ID {
		t.Errorf("EnsureTag twice: %+v %v", t2, err)
	}
	if _, err := s.TagBySlug(ctx, "turkiye"); err != nil {
		t.Error(err)
	}
	src, err := s.EnsureSource(ctx, story.Source{Label: "AA", Name: "Anadolu Agency"})
	if err != nil || src.Slug != "aa" || src.ID == 0 {
		t.Fatalf("EnsureSource: %+v %v", src, err)
	}
	mid, err := s.CreateMedia(ctx, story.Media{Hash: "abc", Mime: "image/jpeg", Width: 10, Height: 10, Bytes: 5})
	if err != nil {
		t.Fatal(err)
	}
	aid, err := s.CreateAuthor(ctx, story.Author{Slug: "ada", Name: "Ada", Bio: "Writes.", Portrait: &story.Image{MediaID: mid}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.AuthorBySlug(ctx, "ada")
	if err != nil || a.ID != aid || a.Portrait == nil || a.Portrait.Hash != "abc" {
		t.Errorf("AuthorBySlug: %+v %v", a, err)
	}
	if _, err := s.AuthorBySlug(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing author: %v", err)
	}
}

func testStoryRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	src, _ := s.EnsureSource(ctx, story.Source{Label: "AFP"})
	aid, _ := s.CreateAuthor(ctx, story.Author{Slug: "ada", Name: "Ada Lovelace"})
	in := &story.Story{Section: sec, Headline: "A round trip", Standfirst: "Everything comes back.",
		Body:             story.ParseBody("## Heading\n\nText with **bold** and a [link](https://example.com).\n\n> Quoted.\n> — Someone"),
		Bylines:          []story.Byline{{AuthorID: aid}, {Name: "Free Text"}},
		Source:           &src,
		Tags:             []story.Tag{{Name: "Climate"}, {Name: "Energy"}},
		Notes:            []story.Note{{Kind: "correction", Text: "Fixed a name.", At: base.Add(time.Hour)}},
		FirstPublishedAt: base, PublishedAt: base, UpdatedAt: base.Add(time.Hour), WireID: "urn:x:1", WireVersion: 2}
	id := mustStory(t, s, in)
	got, err := s.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Headline != in.Headline || got.Standfirst != in.Standfirst || got.Section.Slug != "world" || got.Version != 1 {
		t.Errorf("got %+v", got)
	}
	if len(got.Body) != len(in.Body) || story.FormatBody(got.Body) != story.FormatBody(in.Body) {
		t.Errorf("body changed:\n%s\nwant\n%s", story.FormatBody(got.Body), story.FormatBody(in.Body))
	}
	if len(got.Bylines) != 2 || got.Bylines[0].Name != "" && got.Bylines[0].AuthorSlug != "ada" || got.Bylines[1].Name != "Free Text" {
		t.Errorf("bylines %+v", got.Bylines)
	}
	if got.Source == nil || got.Source.Label != "AFP" {
		t.Errorf("source %+v", got.Source)
	}
	if len(got.Tags) != 2 || got.Tags[0].Slug != "climate" || got.Tags[1].Slug != "energy" {
		t.Errorf("tags %+v", got.Tags)
	}
	if len(got.Notes) != 1 || !got.Notes[0].At.Equal(base.Add(time.Hour)) {
		t.Errorf("notes %+v", got.Notes)
	}
	if !got.FirstPublishedAt.Equal(base) || !got.UpdatedAt.Equal(base.Add(time.Hour)) || got.WireID != "urn:x:1" || got.WireVersion != 2 {
		t.Errorf("times or wire fields: %+v", got)
	}
	if _, err := s.Story(ctx, id+1000); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing story: %v", err)
	}
	bad := &story.Story{Section: story.Section{ID: 9999}, Headline: "x", Language: "en", Type: story.TypeNews, Status: story.StatusDraft, Body: []story.Block{}}
	if _, err := s.CreateStory(ctx, bad); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown section: %v, want ErrInvalid", err)
	}
	if n, _ := s.CountStories(ctx); n != 1 {
		t.Errorf("%d stories after a refused insert, want 1", n)
	}
}

func testOptimisticLocking(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	id := mustStory(t, s, &story.Story{Section: sec, Headline: "Locked", FirstPublishedAt: base})
	a, _ := s.Story(ctx, id)
	b, _ := s.Story(ctx, id)
	a.Headline = "First save"
	if err := s.UpdateStory(ctx, a); err != nil {
		t.Fatal(err)
	}
	b.Headline = "Second save"
	if err := s.UpdateStory(ctx, b); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale save: %v, want ErrConflict", err)
	}
	got, _ := s.Story(ctx, id)
	if got.Headline != "First save" || got.Version != 2 {
		t.Errorf("after conflict: %q v%d", got.Headline, got.Version)
	}
	missing := &story.Story{ID: id + 99, Section: sec, Headline: "x", Language: "en", Type: story.TypeNews, Status: story.StatusDraft}
	if err := s.UpdateStory(ctx, missing); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing story: %v, want ErrNotFound", err)
	}
}

// testStoryChangeAllOrNothing: a workflow step (the story, its workflow
// fields, the end of its staged edit and a revision) is stored whole or
// not at all. The failure is a real one at the step's last write: a
// revision by a user the store does not know (a foreign key).
func testStoryChangeAllOrNothing(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	uid, err := s.CreateUser(ctx, store.User{Email: "desk@example.com", Name: "Dee Desk", Role: store.RoleEditor, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	nobody := uid + 999
	draft := func(headline string) *story.Story {
		return &story.Story{Section: sec, Headline: headline, Slug: story.Slugify(headline, 80), Language: "en", Type: story.TypeNews,
			Status: story.StatusDraft, Version: 1, Body: story.ParseBody("Words.")}
	}
	revisions := func(id int64) []store.Revision {
		t.Helper()
		revs, err := s.Revisions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return revs
	}

	// A new story with its owner and first revision.
	st := draft("Created")
	id, err := s.ApplyStoryChange(ctx, store.StoryChange{Story: st, Meta: &store.StoryMeta{OwnerID: uid},
		Revision: &store.Revision{UserID: uid, Kind: "save"}})
	if err != nil || id == 0 || st.ID != id {
		t.Fatalf("create: id %d, story's id %d, %v", id, st.ID, err)
	}
	if m, _ := s.StoryMeta(ctx, id); m.OwnerID != uid {
		t.Errorf("owner %d, want %d", m.OwnerID, uid)
	}
	if revs := revisions(id); len(revs) != 1 || revs[0].Kind != "save" || revs[0].UserID != uid {
		t.Fatalf("revisions after create: %+v", revs)
	}
	if _, err := s.AddRevision(ctx, store.Revision{StoryID: id, UserID: uid, Kind: "save", Pending: true, Snapshot: *st}); err != nil {
		t.Fatal(err)
	}

	// A change whose revision cannot be written stores nothing.
	next, err := s.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	next.Headline = "Changed"
	meta := store.StoryMeta{OwnerID: uid, ScheduledAt: base}
	_, err = s.ApplyStoryChange(ctx, store.StoryChange{Story: next, Meta: &meta, ClearPending: true,
		Revision: &store.Revision{UserID: nobody, Kind: "save"}})
	if err == nil {
		t.Fatal("a revision by an unknown user was stored")
	}
	if next.Version != 1 {
		t.Errorf("the caller's story is at version %d after a failed change, want 1", next.Version)
	}
	got, err := s.Story(ctx, id)
	if err != nil || got.Headline != "Created" || got.Version != 1 {
		t.Errorf("after the failed change: %q v%d (%v), want the story as it was", got.Headline, got.Version, err)
	}
	if m, _ := s.StoryMeta(ctx, id); !m.ScheduledAt.IsZero() {
		t.Errorf("the failed change set the schedule: %v", m.ScheduledAt)
	}
	if _, err := s.PendingRevision(ctx, id); err != nil {
		t.Errorf("the failed change ended the staged edit: %v", err)
	}
	if n := len(revisions(id)); n != 2 {
		t.Errorf("%d revisions after the failed change, want 2", n)
	}

	// The same change by a known user: all of it, the revision holding
	// the story as written.
	if _, err := s.ApplyStoryChange(ctx, store.StoryChange{Story: next, Meta: &meta, ClearPending: true,
		Revision: &store.Revision{UserID: uid, Kind: "save"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Story(ctx, id); got.Headline != "Changed" || got.Version != 2 {
		t.Errorf("after the change: %q v%d", got.Headline, got.Version)
	}
	if m, _ := s.StoryMeta(ctx, id); !m.ScheduledAt.Equal(base) {
		t.Errorf("schedule %v, want %v", m.ScheduledAt, base)
	}
	if _, err := s.PendingRevision(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the staged edit: %v, want it ended", err)
	}
	revs := revisions(id)
	if len(revs) != 3 {
		t.Fatalf("%d revisions, want 3", len(revs))
	}
	if r, err := s.Revision(ctx, revs[0].ID); err != nil || r.Snapshot.Headline != "Changed" || r.Snapshot.Version != 2 {
		t.Errorf("newest revision: %q v%d (%v), want the story as written", r.Snapshot.Headline, r.Snapshot.Version, err)
	}

	// A stale version: ErrConflict, and no revision.
	stale := *next
	stale.Version = 1
	if _, err := s.ApplyStoryChange(ctx, store.StoryChange{Story: &stale, Revision: &store.Revision{UserID: uid, Kind: "save"}}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale change: %v, want ErrConflict", err)
	}
	if n := len(revisions(id)); n != 3 {
		t.Errorf("%d revisions after a refused change, want 3", n)
	}

	// A new story whose revision fails is not created.
	lost := draft("Never stored")
	if _, err := s.ApplyStoryChange(ctx, store.StoryChange{Story: lost, Revision: &store.Revision{UserID: nobody, Kind: "save"}}); err == nil {
		t.Fatal("a new story with a revision by an unknown user was stored")
	}
	if lost.ID != 0 {
		t.Errorf("the failed story keeps id %d", lost.ID)
	}
	items, err := s.DeskStories(ctx, store.DeskQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Headline == "Never stored" {
			t.Errorf("the failed story is on the desk as %d", it.ID)
		}
	}
}

func testListKeyset(t *testing.T, s store.Store) {
	ctx := context.Background()
	world, sport := mustSection(t, s, "world"), mustSection(t, s, "sport")
	for i := 0; i < 25; i++ {
		sec := world
		if i%5 == 0 {
			sec = sport
		}
		// Two stories share each time, so ties on time are ordered by id.
		mustStory(t, s, &story.Story{Section: sec, Headline: fmt.Sprintf("Story %d", i), Tags: []story.Tag{{Name: "Tag"}},
			FirstPublishedAt: base.Add(time.Duration(i/2) * time.Hour)})
	}
	mustStory(t, s, &story.Story{Section: world, Headline: "Draft", Status: story.StatusDraft, FirstPublishedAt: base.Add(99 * time.Hour)})
	var all []int64
	var after store.Cursor
	for {
		page, err := s.ListStories(ctx, store.ListQuery{After: after, Limit: 7})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page {
			all = append(all, v.ID)
		}
		if len(page) < 7 {
			break
		}
		last := page[len(page)-1]
		after = store.Cursor{At: last.FirstPublishedAt, ID: last.ID}
	}
	if len(all) != 25 {
		t.Fatalf("paged through %d stories, want 25 published", len(all))
	}
	seen := map[int64]bool{}
	for _, id := range all {
		if seen[id] {
			t.Errorf("story %d twice", id)
		}
		seen[id] = true
	}
	sp, _ := s.ListStories(ctx, store.ListQuery{SectionID: sport.ID, Limit: 100})
	if len(sp) != 5 {
		t.Errorf("sport has %d, want 5", len(sp))
	}
	tag, _ := s.TagBySlug(ctx, "tag")
	tagged, _ := s.ListStories(ctx, store.ListQuery{TagID: tag.ID, Limit: 100, Exclude: []int64{all[0]}})
	if len(tagged) != 24 {
		t.Errorf("tag lists %d, want 24", len(tagged))
	}
}

func testSectionFronts(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, b := mustSection(t, s, "a"), mustSection(t, s, "b")
	var first int64
	for i := 0; i < 6; i++ {
		id := mustStory(t, s, &story.Story{Section: a, Headline: fmt.Sprintf("A%d", i), FirstPublishedAt: base.Add(time.Duration(i) * time.Minute)})
		if i == 5 {
			first = id
		}
		mustStory(t, s, &story.Story{Section: b, Headline: fmt.Sprintf("B%d", i), FirstPublishedAt: base.Add(time.Duration(i) * time.Minute)})
	}
	fronts, err := s.SectionFronts(ctx, []int64{a.ID, b.ID}, 3, []int64{first})
	if err != nil {
		t.Fatal(err)
	}
	if len(fronts[a.ID]) != 3 || len(fronts[b.ID]) != 3 {
		t.Fatalf("fronts %d and %d, want 3 each", len(fronts[a.ID]), len(fronts[b.ID]))
	}
	if fronts[a.ID][0].Headline != "A4" || fronts[b.ID][0].Headline != "B5" {
		t.Errorf("newest first, excluded left out: %q %q", fronts[a.ID][0].Headline, fronts[b.ID][0].Headline)
	}
}

func testSummariesAndRelated(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec, other := mustSection(t, s, "world"), mustSection(t, s, "sport")
	x := mustStory(t, s, &story.Story{Section: sec, Headline: "X", Tags: []story.Tag{{Name: "Energy"}, {Name: "Gas"}}, FirstPublishedAt: base})
	y := mustStory(t, s, &story.Story{Section: other, Headline: "Y shares two tags", Tags: []story.Tag{{Name: "Energy"}, {Name: "Gas"}}, FirstPublishedAt: base.Add(-time.Hour)})
	z := mustStory(t, s, &story.Story{Section: sec, Headline: "Z same section", FirstPublishedAt: base.Add(-2 * time.Hour)})
	d := mustStory(t, s, &story.Story{Section: sec, Headline: "Draft", Status: story.StatusDraft, Tags: []story.Tag{{Name: "Energy"}}, FirstPublishedAt: base})
	sums, err := s.Summaries(ctx, []int64{z, d, y})
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 2 || sums[0].ID != z || sums[1].ID != y {
		t.Errorf("Summaries: %+v, want z then y, no draft", sums)
	}
	st, _ := s.Story(ctx, x)
	rel, err := s.AutoRelated(ctx, st, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(rel) != 2 || rel[0].ID != y || rel[1].ID != z {
		t.Errorf("AutoRelated: %+v, want y (shared tags) then z (section)", rel)
	}
}

func testSearch(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	body := mustStory(t, s, &story.Story{Section: sec, Headline: "Harbour news", Body: story.ParseBody("The ministry in Ankara said exports rose."), FirstPublishedAt: base})
	head := mustStory(t, s, &story.Story{Section: sec, Headline: "Exports surge in Türkiye", FirstPublishedAt: base.Add(-time.Hour)})
	mustStory(t, s, &story.Story{Section: sec, Headline: "Exports draft", Status: story.StatusDraft, FirstPublishedAt: base})
	res, err := s.Search(ctx, "exports", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].ID != head || res[1].ID != body {
		t.Errorf("search exports: %+v, want the headline match first and no draft", res)
	}
	for _, q := range []string{"turkiye", "TÜRKİYE", "export"} {
		if res, err := s.Search(ctx, q, 10); err != nil || len(res) == 0 {
			t.Errorf("search %q: %v %d results", q, err, len(res))
		}
	}
	for _, q := range []string{`"`, `NEAR(`, `-x*`, `((`, "\xff\xfe", `""`, "a OR", "^"} {
		if _, err := s.Search(ctx, q, 10); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
	}
}

func testMessagesAndSettings(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Setting(ctx, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing setting: %v", err)
	}
	if err := s.SetSetting(ctx, "x", "1"); err != nil {
		t.Fatal(err)
	}
	s.SetSetting(ctx, "x", "2")
	if v, _ := s.Setting(ctx, "x"); v != "2" {
		t.Errorf("setting %q, want 2", v)
	}
	for i, kind := range []string{"contact", "feedback"} {
		if _, err := s.AddMessage(ctx, store.Message{Kind: kind, Body: "hello", CreatedAt: base.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddMessage(ctx, store.Message{Kind: "spam", Body: "x"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad kind: %v, want ErrInvalid", err)
	}
	m, err := s.Messages(ctx, 10)
	if err != nil || len(m) != 2 || m[0].Kind != "feedback" {
		t.Errorf("messages %+v %v", m, err)
	}
}
