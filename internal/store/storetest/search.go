package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"dateline/internal/search"
	"dateline/internal/store"
	"dateline/internal/story"
)

// The search suite: full-text search, related stories, Explore and view
// counts, as every store must behave.

func hitIDs(hits []store.SearchHit) []int64 {
	out := make([]int64, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

func mustSearch(t *testing.T, s store.Store, q store.SearchQuery) store.SearchResult {
	t.Helper()
	res, err := s.SearchStories(context.Background(), q)
	if err != nil {
		t.Fatalf("search %q: %v", q.Text, err)
	}
	return res
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func testSearchRanking(t *testing.T, s store.Store) {
	sec := mustSection(t, s, "world")
	body := mustStory(t, s, &story.Story{Section: sec, Headline: "Port news", FirstPublishedAt: base,
		Body: story.ParseBody("Freight rates at the harbour rose again.")})
	head := mustStory(t, s, &story.Story{Section: sec, Headline: "Freight rates jump", FirstPublishedAt: base.Add(-48 * time.Hour)})
	older := mustStory(t, s, &story.Story{Section: sec, Headline: "Glacier melt speeds up", FirstPublishedAt: base.Add(-90 * 24 * time.Hour)})
	newer := mustStory(t, s, &story.Story{Section: sec, Headline: "Glacier melt speeds up", FirstPublishedAt: base})
	tagged := mustStory(t, s, &story.Story{Section: sec, Headline: "Quiet week", Tags: []story.Tag{{Name: "Shipyards"}}, FirstPublishedAt: base})
	byline := mustStory(t, s, &story.Story{Section: sec, Headline: "A column", Bylines: []story.Byline{{Name: "Zeynep Kaya"}}, FirstPublishedAt: base})
	for _, tc := range []struct {
		q    string
		want []int64
	}{
		{"freight", []int64{head, body}},        // the headline above the body, though older
		{"glacier melt", []int64{newer, older}}, // equals: the newer first
		{"shipyards", []int64{tagged}},          // tags are searched
		{"zeynep kaya", []int64{byline}},        // and bylines
	} {
		if got := hitIDs(mustSearch(t, s, store.SearchQuery{Text: tc.q}).Hits); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("search %q: %v, want %v", tc.q, got, tc.want)
		}
	}
}

func testSearchMatching(t *testing.T, s store.Store) {
	sec := mustSection(t, s, "world")
	ist := mustStory(t, s, &story.Story{Section: sec, Headline: "İstanbul'da deprem tatbikatı", Language: "tr", FirstPublishedAt: base,
		Body: story.ParseBody("Kadıköy ve Üsküdar'da binlerce kişi tatbikata katıldı.")})
	ar := mustStory(t, s, &story.Story{Section: sec, Headline: "إعادة إعمار المدارس في المغرب", Language: "ar", FirstPublishedAt: base,
		Body: story.ParseBody("قالت الوزارة إنّ المدرسةَ الجديدة ستفتح أبوابها.")})
	en := mustStory(t, s, &story.Story{Section: sec, Headline: "Exporters look to new markets", FirstPublishedAt: base,
		Body: story.ParseBody("Natural gas exports rose, while oil shipments fell. The café reopened.")})
	for _, tc := range []struct {
		q    string
		want int64
	}{
		{"istanbul", ist}, {"ISTANBUL", ist}, {"İSTANBUL", ist}, {"ıstanbul", ist}, {"İstanbul'daki", ist},
		{"kadikoy", ist}, {"USKUDAR", ist}, {"tatbikat", ist},
		{"اعادة الاعمار", ar}, {"إعادة", ar}, {"المدرسة", ar}, {"مدرسه", ar}, {"المغرب", ar}, {"ـالمـغـرب", ar},
		{"export", en}, {"exporter", en}, {"expo*", en}, {`"natural gas"`, en}, {"cafe", en}, {"CAFÉ", en},
		{"oil -gas", 0}, {"exporters -zzz", en}, {"exporters zzzqqq", en}, {"exprots", en},
	} {
		res := mustSearch(t, s, store.SearchQuery{Text: tc.q})
		ids := hitIDs(res.Hits)
		if tc.want == 0 && len(ids) > 0 || tc.want != 0 && !contains(ids, tc.want) {
			t.Errorf("search %q: %v, want %d", tc.q, ids, tc.want)
		}
	}
	if res := mustSearch(t, s, store.SearchQuery{Text: `"gas exports rose"`}); len(res.Hits) != 1 {
		t.Errorf("a phrase in order: %v", hitIDs(res.Hits))
	}
	if res := mustSearch(t, s, store.SearchQuery{Text: `"rose exports gas"`}); len(res.Hits) != 0 {
		t.Errorf("a phrase out of order matched: %v", hitIDs(res.Hits))
	}
	if res := mustSearch(t, s, store.SearchQuery{Text: "exprots"}); !res.Corrected || res.Query.String() != "exports" {
		t.Errorf("typo: corrected %v to %q", res.Corrected, res.Query.String())
	}
	if res := mustSearch(t, s, store.SearchQuery{Text: "exporters zzzqqq"}); !res.Relaxed {
		t.Error("a word no story has: the search should relax to any word")
	}
}

func testSearchSnippets(t *testing.T, s store.Store) {
	sec := mustSection(t, s, "world")
	long := strings.Repeat("Filler words about nothing in particular. ", 60) +
		"The <b>minister</b> said the pipeline would open in spring. " + strings.Repeat("More filler. ", 60)
	mustStory(t, s, &story.Story{Section: sec, Headline: "Energy: the Pipeline question", Standfirst: "A standfirst.",
		Body: story.ParseBody(long), FirstPublishedAt: base})
	res := mustSearch(t, s, store.SearchQuery{Text: "pipeline"})
	if len(res.Hits) != 1 {
		t.Fatalf("%d hits", len(res.Hits))
	}
	h := res.Hits[0]
	if !hasMark(h.Headline, "Pipeline") {
		t.Errorf("headline not highlighted: %+v", h.Headline)
	}
	text := joinFragments(h.Snippet)
	if !hasMark(h.Snippet, "pipeline") || !strings.HasPrefix(text, search.Ellipsis) || !strings.Contains(text, "minister</b> said") {
		t.Errorf("snippet %q: want the passage with the match, cut, its text as written", text)
	}
	if len([]rune(text)) > 400 {
		t.Errorf("snippet of %d characters", len([]rune(text)))
	}
	res = mustSearch(t, s, store.SearchQuery{Text: "energy"})
	if len(res.Hits) != 1 || joinFragments(res.Hits[0].Snippet) != "A standfirst." {
		t.Errorf("a headline-only match shows the standfirst: %+v", res.Hits)
	}
}

func hasMark(fs []search.Fragment, word string) bool {
	for _, f := range fs {
		if f.Hit && f.Text == word {
			return true
		}
	}
	return false
}

func joinFragments(fs []search.Fragment) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Text)
	}
	return b.String()
}

func testSearchFiltersAndPages(t *testing.T, s store.Store) {
	ctx := context.Background()
	world, sport := mustSection(t, s, "world"), mustSection(t, s, "sport")
	var all []int64
	for i := range 25 {
		sec, lang := world, "en"
		if i%5 == 0 {
			sec = sport
		}
		if i%7 == 0 {
			lang = "tr"
		}
		all = append(all, mustStory(t, s, &story.Story{Section: sec, Language: lang, Headline: fmt.Sprintf("Harbour story %d", i),
			Body: story.ParseBody(strings.Repeat("harbour ", i%4+1)), FirstPublishedAt: base.Add(-time.Duration(i) * 24 * time.Hour)}))
	}
	draft := mustStory(t, s, &story.Story{Section: world, Headline: "Harbour draft", Status: story.StatusDraft})
	seen := map[int64]bool{}
	q := store.SearchQuery{Text: "harbour", Limit: 7}
	last := 0.0
	pages := 0
	for {
		res := mustSearch(t, s, q)
		if res.Total != 25 {
			t.Errorf("total %d, want 25", res.Total)
		}
		for _, h := range res.Hits {
			if seen[h.ID] {
				t.Errorf("story %d on two pages", h.ID)
			}
			if pages > 0 || len(seen) > 0 {
				if h.Score > last {
					t.Errorf("score %f after %f: pages out of order", h.Score, last)
				}
			}
			seen[h.ID], last = true, h.Score
		}
		pages++
		if res.Next.IsZero() || pages > 10 {
			break
		}
		q.After = res.Next
	}
	if len(seen) != 25 || pages != 4 || seen[draft] {
		t.Errorf("paged %d stories in %d pages (draft seen %v), want 25 in 4", len(seen), pages, seen[draft])
	}
	count := func(q store.SearchQuery) int {
		q.Text, q.Limit = "harbour", 100
		return len(mustSearch(t, s, q).Hits)
	}
	if n := count(store.SearchQuery{SectionID: sport.ID}); n != 5 {
		t.Errorf("sport: %d, want 5", n)
	}
	if n := count(store.SearchQuery{Language: "tr"}); n != 4 {
		t.Errorf("Turkish: %d, want 4", n)
	}
	if n := count(store.SearchQuery{From: base.Add(-4*24*time.Hour - time.Minute), To: base.Add(time.Minute)}); n != 5 {
		t.Errorf("last five days: %d, want 5", n)
	}
	if n := count(store.SearchQuery{Statuses: []story.Status{story.StatusPublished, story.StatusDraft}}); n != 26 {
		t.Errorf("newsroom search with drafts: %d, want 26", n)
	}
	langs, err := s.Languages(ctx)
	if err != nil || fmt.Sprint(langs) != "[en tr]" {
		t.Errorf("languages %v %v", langs, err)
	}
	_ = all
}

func testSearchAnyInput(t *testing.T, s store.Store) {
	sec := mustSection(t, s, "world")
	mustStory(t, s, &story.Story{Section: sec, Headline: "Near and far", FirstPublishedAt: base})
	for _, q := range []string{"", " ", `"`, `""`, `"""`, "*", "**", "-", "--x", "NEAR", "NEAR(a b, 3)", `near/3`, "AND", "OR OR",
		"NOT", "a -", "(", ")", "((a)", "{a}:b", "headline:near", "^near", "near*", "\xff\xfe\xfd", "\x00", "a\x00b",
		strings.Repeat("ab ", 500), strings.Repeat("ğ", 5000), "'", "';DROP TABLE stories;--", "%", "_", "\\", "\u202e"} {
		res, err := s.SearchStories(context.Background(), store.SearchQuery{Text: q})
		if err != nil {
			t.Errorf("search %q: %v", q, err)
		}
		if q == "NEAR" && len(res.Hits) != 1 {
			t.Errorf("NEAR is a word: %d hits", len(res.Hits))
		}
	}
	if res, err := s.Search(context.Background(), "near", 10); err != nil || len(res) != 1 {
		t.Errorf("Search: %v %v", res, err)
	}
}

func testRelated(t *testing.T, s store.Store) {
	ctx := context.Background()
	world, sci := mustSection(t, s, "world"), mustSection(t, s, "science")
	flood := "Heavy rain flooded Nairobi overnight. Rivers burst their banks in the Kenyan capital and rescue teams searched for survivors."
	a := mustStory(t, s, &story.Story{Section: world, Headline: "Floods hit Nairobi", Tags: []story.Tag{{Name: "Kenya"}, {Name: "Floods"}},
		Body: story.ParseBody(flood), FirstPublishedAt: base.Add(-3 * time.Hour)})
	b := mustStory(t, s, &story.Story{Section: world, Headline: "Nairobi counts the cost of the floods", Tags: []story.Tag{{Name: "Kenya"}},
		Body: story.ParseBody(flood + " Officials in Nairobi promised aid."), FirstPublishedAt: base.Add(-2 * time.Hour)})
	c := mustStory(t, s, &story.Story{Section: sci, Headline: "Chipmaker posts record profit", Tags: []story.Tag{{Name: "Technology"}},
		Body: story.ParseBody("Memory chip demand from data centres lifted quarterly profit."), FirstPublishedAt: base.Add(-time.Hour)})
	d := mustStory(t, s, &story.Story{Section: world, Headline: "Draft: Nairobi floods latest", Status: story.StatusDraft,
		Tags: []story.Tag{{Name: "Kenya"}, {Name: "Floods"}}, Body: story.ParseBody(flood)})
	rel := func(id int64) []int64 {
		t.Helper()
		list, err := s.Related(ctx, id, 5)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, len(list))
		for i, v := range list {
			ids[i] = v.ID
		}
		return ids
	}
	if got := rel(a); len(got) == 0 || got[0] != b || contains(got, a) || contains(got, d) || contains(got, c) {
		t.Errorf("related to a: %v, want b first, never a, the draft or the unrelated c", got)
	}
	if got := rel(d); len(got) != 0 {
		t.Errorf("a draft has related stories: %v", got)
	}
	// Publishing the draft makes it related to a; killing b removes it.
	st, _ := s.Story(ctx, d)
	st.Status, st.FirstPublishedAt = story.StatusPublished, base
	if err := s.UpdateStory(ctx, st); err != nil {
		t.Fatal(err)
	}
	if got := rel(a); !contains(got, d) {
		t.Errorf("after publishing d, related to a: %v", got)
	}
	bs, _ := s.Story(ctx, b)
	bs.Status = story.StatusKilled
	if err := s.UpdateStory(ctx, bs); err != nil {
		t.Fatal(err)
	}
	if got := rel(a); contains(got, b) {
		t.Errorf("after killing b, related to a: %v", got)
	}
	if got := rel(b); len(got) != 0 {
		t.Errorf("a killed story has related stories: %v", got)
	}
	n, err := s.RebuildRelated(ctx)
	if err != nil || n != 3 {
		t.Errorf("rebuild: %d stories, %v; want 3 published", n, err)
	}
	if stale, err := s.RelatedStale(ctx); err != nil || stale {
		t.Errorf("stale after a rebuild: %v %v", stale, err)
	}
	if got := rel(a); len(got) == 0 || got[0] != d || contains(got, b) {
		t.Errorf("after rebuild, related to a: %v", got)
	}
	// The editor's own choices come first, in their order, once each.
	as, _ := s.Story(ctx, a)
	as.Related = []int64{c, b, d}
	if err := s.UpdateStory(ctx, as); err != nil {
		t.Fatal(err)
	}
	if got := rel(a); fmt.Sprint(got) != fmt.Sprint([]int64{c, d}) {
		t.Errorf("with the editor's links (c, killed b, d), related to a: %v, want [c d]", got)
	}
}

func testExplore(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	var ids []int64
	for i := range 8 {
		ids = append(ids, mustStory(t, s, &story.Story{Section: sec, Headline: fmt.Sprintf("Port strike day %d", i),
			Tags: []story.Tag{{Name: "Ports"}}, Body: story.ParseBody("Dock workers at the port strike over pay and shifts."),
			FirstPublishedAt: base.Add(time.Duration(i) * time.Hour)}))
	}
	draft := mustStory(t, s, &story.Story{Section: sec, Headline: "Port strike draft", Status: story.StatusDraft})
	if err := s.AddViews(ctx, []store.ViewCount{{StoryID: ids[1], Hour: base, Views: 9}, {StoryID: ids[2], Hour: base, Views: 4},
		{StoryID: draft, Hour: base, Views: 99}}); err != nil {
		t.Fatal(err)
	}
	ex, err := s.Explore(ctx, store.ExploreQuery{StoryID: ids[0], Editor: []int64{ids[3], draft, ids[2]},
		Related: 3, Fresh: 4, MostRead: 5, Since: base.Add(-time.Hour), Exclude: []int64{ids[7]}})
	if err != nil {
		t.Fatal(err)
	}
	summaryIDs := func(list []story.Summary) []int64 {
		out := make([]int64, len(list))
		for i, v := range list {
			out[i] = v.ID
		}
		return out
	}
	if got := summaryIDs(ex.Editor); fmt.Sprint(got) != fmt.Sprint([]int64{ids[3], ids[2]}) {
		t.Errorf("editor's: %v, want the published ones in order", got)
	}
	if got := summaryIDs(ex.MostRead); fmt.Sprint(got) != fmt.Sprint([]int64{ids[1], ids[2]}) {
		t.Errorf("most read: %v", got)
	}
	if got := summaryIDs(ex.Fresh); fmt.Sprint(got) != fmt.Sprint([]int64{ids[6], ids[5], ids[4], ids[3]}) {
		t.Errorf("fresh: %v, want newest first without the story and the excluded", got)
	}
	if got := summaryIDs(ex.Related); len(got) != 3 || contains(got, ids[0]) || contains(got, ids[7]) {
		t.Errorf("related: %v", got)
	}
}

func testViews(t *testing.T, s store.Store) {
	ctx := context.Background()
	world, sport := mustSection(t, s, "world"), mustSection(t, s, "sport")
	a := mustStory(t, s, &story.Story{Section: world, Headline: "A", FirstPublishedAt: base})
	b := mustStory(t, s, &story.Story{Section: sport, Headline: "B", FirstPublishedAt: base})
	c := mustStory(t, s, &story.Story{Section: world, Headline: "C", FirstPublishedAt: base})
	if err := s.AddViews(ctx, []store.ViewCount{
		{StoryID: a, Hour: base, Views: 3}, {StoryID: a, Hour: base.Add(time.Hour), Views: 3},
		{StoryID: b, Hour: base, Views: 5}, {StoryID: c, Hour: base.Add(-72 * time.Hour), Views: 50},
		{StoryID: 999999, Hour: base, Views: 1}, // no such story: skipped, not an error
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddViews(ctx, []store.ViewCount{{StoryID: b, Hour: base, Views: 2}}); err != nil {
		t.Fatal(err)
	}
	most := func(q store.MostReadQuery) string {
		list, err := s.MostRead(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var hs []string
		for _, v := range list {
			hs = append(hs, v.Headline)
		}
		return strings.Join(hs, ",")
	}
	if got := most(store.MostReadQuery{Since: base.Add(-time.Hour), Limit: 5}); got != "B,A" {
		t.Errorf("most read: %s, want B (7) then A (6); C's views are too old", got)
	}
	if got := most(store.MostReadQuery{SectionID: world.ID, Since: base.Add(-96 * time.Hour), Limit: 5}); got != "C,A" {
		t.Errorf("most read in world over four days: %s", got)
	}
	if got := most(store.MostReadQuery{Since: base.Add(-time.Hour), Exclude: []int64{b}, Limit: 5}); got != "A" {
		t.Errorf("most read without b: %s", got)
	}
	// A buffered store counts in memory and writes on Flush.
	buf := store.NewViewBuffer(s, store.ViewBufferOptions{Interval: time.Hour, Now: func() time.Time { return base.Add(2 * time.Hour) }})
	for range 10 {
		if err := buf.CountView(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if buf.Pending() != 10 {
		t.Errorf("pending %d, want 10", buf.Pending())
	}
	if got := most(store.MostReadQuery{Since: base.Add(-time.Hour), Limit: 5}); got != "B,A" {
		t.Errorf("before the flush: %s", got)
	}
	if err := buf.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if got := most(store.MostReadQuery{Since: base.Add(-time.Hour), Limit: 5}); got != "C,B,A" {
		t.Errorf("after the flush: %s, want C (10) first", got)
	}
	if buf.Pending() != 0 {
		t.Errorf("pending %d after Stop", buf.Pending())
	}
	if err := s.CountView(ctx, a); err != nil {
		t.Errorf("CountView: %v", err)
	}
}
