package storetest

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"dateline/internal/search"
	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// testRelatedRebuildRows: on a seeded archive, RebuildRelated writes
// exactly the rows of the rebuild as it was first written, which held
// every story's terms in memory and scored in one pass: the term counts,
// each story's profile, its signature (weights to the last bit) and its
// list (scores to the last bit), here computed again plainly from the
// stories. The archive is read in several pages and written in several
// chunks, its common words are above a small window, and it is rebuilt
// twice, the second time over lists that saves have moved.
func testRelatedRebuildRows(t *testing.T, s store.Store) {
	h, ok := s.(sqlDB)
	if !ok {
		t.Skip("the store does not offer its database")
	}
	oldWindow, oldSmall, oldChunk, oldPage := sqlshare.RelatedWindow, sqlshare.SmallArchive, sqlshare.RebuildChunk, sqlshare.RebuildPage
	sqlshare.RelatedWindow, sqlshare.SmallArchive, sqlshare.RebuildChunk, sqlshare.RebuildPage = 4, 0, 17, 7
	t.Cleanup(func() {
		sqlshare.RelatedWindow, sqlshare.SmallArchive, sqlshare.RebuildChunk, sqlshare.RebuildPage = oldWindow, oldSmall, oldChunk, oldPage
	})
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	vocab := []string{"harbour", "strike", "ferry", "minister", "budget", "drought", "wheat", "railway",
		"tariff", "election", "protest", "vaccine", "satellite", "pipeline", "copper", "tourism",
		"Lisbon", "Nairobi", "Okonkwo", "glacier", "refinery", "orchard", "verdict", "monsoon"}
	tags := []string{"Climate", "Energy", "Courts", "Trade", "Health"}
	langs := []string{"en", "en", "en", "fr", "ar-EG", "ar"}
	rnd := rand.New(rand.NewPCG(17, 29))
	var ids []int64
	for i := range 70 {
		words := func(n int) string {
			var w []string
			for range n {
				w = append(w, vocab[rnd.IntN(len(vocab))])
			}
			return strings.Join(w, " ")
		}
		st := &story.Story{Section: sec, Language: langs[rnd.IntN(len(langs))],
			Headline:         words(3) + " " + ownWords(i),
			Standfirst:       words(4) + ".",
			Body:             story.ParseBody(words(8) + ". " + words(6) + ", " + ownWords(i+1) + "."),
			FirstPublishedAt: base.Add(time.Duration(i) * time.Hour)}
		for _, tag := range tags {
			if rnd.IntN(3) == 0 {
				st.Tags = append(st.Tags, story.Tag{Name: tag})
			}
		}
		if i%9 == 8 {
			st.Status = story.StatusDraft // never counted nor related
		}
		ids = append(ids, mustStory(t, s, st))
	}
	check := func(when string) {
		t.Helper()
		n, err := s.RebuildRelated(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := referenceRebuild(t, s, ids)
		if n != len(want.stories) {
			t.Fatalf("%s: rebuilt %d stories, want %d", when, n, len(want.stories))
		}
		got := storedRebuild(t, h)
		for _, part := range []struct {
			name      string
			got, want map[string]bool
		}{{"search_terms", got.counts, want.counts}, {"story_profiles", got.profiles, want.profiles},
			{"story_terms", got.terms, want.terms}, {"story_auto_related", got.lists, want.lists}} {
			if len(part.want) == 0 {
				t.Fatalf("%s: the reference has no %s rows: the test shows nothing", when, part.name)
			}
			for _, r := range slices.Sorted(maps.Keys(part.want)) {
				if !part.got[r] {
					t.Errorf("%s: %s lacks %s", when, part.name, r)
				}
			}
			for _, r := range slices.Sorted(maps.Keys(part.got)) {
				if !part.want[r] {
					t.Errorf("%s: %s has %s, which the reference has not", when, part.name, r)
				}
			}
		}
	}
	check("first rebuild")
	// Saves move lists and terms one story at a time (with the counts of
	// their moment); a story leaves, one comes back with other words.
	for _, i := range []int{3, 30, 31, 55} {
		st, err := s.Story(ctx, ids[i])
		if err != nil {
			t.Fatal(err)
		}
		st.Headline = "Orchard verdict " + st.Headline
		if i == 30 {
			st.Status = story.StatusDraft
		}
		if err := s.UpdateStory(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	check("second rebuild")
}

// rebuildRows are a rebuild's rows, each written as text with its
// floating-point values in full.
type rebuildRows struct {
	stories                        map[int64]bool
	counts, profiles, terms, lists map[string]bool
}

// referenceRebuild computes the rows a rebuild writes from the published
// stories among ids, the plain way: every profile and count in memory,
// then every pair of stories scored where a shared term's window takes
// them both.
func referenceRebuild(t *testing.T, s store.Store, ids []int64) rebuildRows {
	t.Helper()
	type doc struct {
		id    int64
		lang  string
		p     search.Profile
		keys  []string
		sig   []search.Weighted
		place map[string]int // term → the story's place among the stories with it
	}
	var docs []*doc
	df := map[string]int{}
	for _, id := range slices.Sorted(slices.Values(ids)) {
		st, err := s.Story(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != story.StatusPublished {
			continue
		}
		d := &doc{id: id, lang: st.Language, p: search.NewProfile(st.Headline, st.Standfirst, story.BodyText(st.Body))}
		for _, tag := range st.Tags {
			d.keys = append(d.keys, search.TagKey(tag.Slug))
		}
		d.keys = append(d.keys, search.LangKey(st.Language))
		for _, term := range append(slices.Clone(d.p.Terms), d.keys...) {
			df[term]++
		}
		docs = append(docs, d)
	}
	n := len(docs)
	out := rebuildRows{stories: map[int64]bool{}, counts: map[string]bool{fmt.Sprintf("%q %d", "", n): true},
		profiles: map[string]bool{}, terms: map[string]bool{}, lists: map[string]bool{}}
	for term, c := range df {
		out.counts[fmt.Sprintf("%q %d", term, c)] = true
	}
	seen := map[string]int{} // term → stories with it in their signature so far
	for _, d := range docs {
		out.stories[d.id] = true
		counts := make([]int, len(d.p.Terms))
		for i, term := range d.p.Terms {
			counts[i] = df[term]
		}
		var keys []search.Key
		for _, k := range d.keys {
			keys = append(keys, search.Key{Term: k, DF: df[k]})
		}
		d.sig = search.Signature(d.p, counts, sqlshare.KeepKeys(keys, n), n)
		d.place = map[string]int{}
		for _, w := range d.sig {
			d.place[w.Term] = seen[w.Term]
			seen[w.Term]++
			out.terms[fmt.Sprintf("%d %q %v", d.id, w.Term, w.Weight)] = true
		}
		profile := append(slices.Clone(d.p.Terms), d.keys...)
		slices.Sort(profile)
		out.profiles[fmt.Sprintf("%d %q", d.id, slices.Compact(profile))] = true
	}
	for _, d := range docs {
		var list []sqlshare.Scored
		for _, o := range docs {
			if o == d {
				continue
			}
			var score float64
			for _, a := range d.sig {
				for _, b := range o.sig {
					if a.Term == b.Term && abs(d.place[a.Term]-o.place[a.Term]) <= sqlshare.RelatedWindow {
						score += a.Weight * b.Weight
					}
				}
			}
			if score == 0 {
				continue
			}
			if search.BaseLang(o.lang) != search.BaseLang(d.lang) {
				score *= search.CrossLanguage
			}
			list = append(list, sqlshare.Scored{ID: o.id, Score: score})
		}
		sqlshare.SortScored(list)
		for _, c := range list[:min(len(list), 12)] {
			out.lists[fmt.Sprintf("%d %d %v", d.id, c.ID, c.Score)] = true
		}
	}
	return out
}

func abs(n int) int { return max(n, -n) }

// storedRebuild reads a rebuild's rows back from the database.
func storedRebuild(t *testing.T, h sqlDB) rebuildRows {
	t.Helper()
	db := h.DB()
	out := rebuildRows{counts: map[string]bool{}, profiles: map[string]bool{}, terms: map[string]bool{}, lists: map[string]bool{}}
	termOf := map[int64]string{}
	rows, err := db.Query("SELECT id, term, docs FROM search_terms")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var term string
		var docs int
		if err := rows.Scan(&id, &term, &docs); err != nil {
			t.Fatal(err)
		}
		termOf[id] = term
		if docs != 0 {
			out.counts[fmt.Sprintf("%q %d", term, docs)] = true
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	each := func(q string, row func(scan func(...any))) {
		t.Helper()
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			row(func(v ...any) {
				if err := rows.Scan(v...); err != nil {
					t.Fatal(err)
				}
			})
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	each("SELECT story_id, terms FROM story_profiles", func(scan func(...any)) {
		var id int64
		var blob []byte
		scan(&id, &blob)
		var terms []string
		for _, t := range sqlshare.DecodeIDs(blob) {
			terms = append(terms, termOf[t])
		}
		sort.Strings(terms)
		out.profiles[fmt.Sprintf("%d %q", id, terms)] = true
	})
	each("SELECT story_id, term, weight FROM story_terms", func(scan func(...any)) {
		var id int64
		var term string
		var w float64
		scan(&id, &term, &w)
		out.terms[fmt.Sprintf("%d %q %v", id, term, w)] = true
	})
	each("SELECT story_id, related_id, score FROM story_auto_related", func(scan func(...any)) {
		var id, rel int64
		var score float64
		scan(&id, &rel, &score)
		out.lists[fmt.Sprintf("%d %d %v", id, rel, score)] = true
	})
	return out
}
