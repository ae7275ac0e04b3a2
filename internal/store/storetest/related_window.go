package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// Related stories at scale: each story is scored only against its
// sqlshare.RelatedWindow neighbours in each shared term's postings. These
// tests set a window of 2, so a handful of stories puts a term above it,
// and SmallArchive to 0, so saves take the incremental path a large
// archive takes.

func smallRelatedWindow(t *testing.T) {
	t.Helper()
	oldWindow, oldSmall := sqlshare.RelatedWindow, sqlshare.SmallArchive
	sqlshare.RelatedWindow, sqlshare.SmallArchive = 2, 0
	t.Cleanup(func() { sqlshare.RelatedWindow, sqlshare.SmallArchive = oldWindow, oldSmall })
}

var syllables = []string{"ka", "lo", "mi", "ru", "te", "vo", "ne", "sa", "di", "po", "gu", "fe"}

// ownWords are five made-up words no other story of the test has.
func ownWords(i int) string {
	var w []string
	for j := range 5 {
		w = append(w, syllables[i%len(syllables)]+syllables[j]+syllables[(i+j+3)%len(syllables)]+"n")
	}
	return strings.Join(w, " ")
}

func relatedIDs(t *testing.T, s store.Store, id int64) []int64 {
	t.Helper()
	list, err := s.Related(context.Background(), id, 20)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(list))
	for i, v := range list {
		ids[i] = v.ID
	}
	return ids
}

// resave saves a story unchanged: its list is computed again by the
// per-save path.
func resave(t *testing.T, s store.Store, id int64) {
	t.Helper()
	st, err := s.Story(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateStory(context.Background(), st); err != nil {
		t.Fatal(err)
	}
}

// testRelatedWindow: nine stories share one word and nothing else, so
// the word is in more stories than the window takes; each story is still
// related to the stories nearest it in time (two before, two after), and
// to no other, both as the stories are saved one by one and after a
// rebuild.
func testRelatedWindow(t *testing.T, s store.Store) {
	smallRelatedWindow(t)
	ctx := context.Background()
	sec := mustSection(t, s, "climate")
	ids := make([]int64, 9)
	for i := range ids {
		ids[i] = mustStory(t, s, &story.Story{Section: sec, Headline: "Glacier report " + ownWords(i),
			Body: story.ParseBody("The glacier was measured again. " + ownWords(i) + "."), FirstPublishedAt: base.Add(time.Duration(i) * time.Hour)})
	}
	want := func(i int) []int64 {
		var out []int64
		for j := max(0, i-2); j <= min(len(ids)-1, i+2); j++ {
			if j != i {
				out = append(out, ids[j])
			}
		}
		return out
	}
	check := func(when string) {
		t.Helper()
		for i, id := range ids {
			got := relatedIDs(t, s, id)
			slices.Sort(got)
			if !slices.Equal(got, want(i)) {
				t.Errorf("%s: story %d of 9 related to %v, want its neighbours %v", when, i+1, got, want(i))
			}
		}
	}
	check("saved one by one")
	if _, err := s.RebuildRelated(ctx); err != nil {
		t.Fatal(err)
	}
	check("after a rebuild")
	resave(t, s, ids[4])
	check("after saving the middle story again")
}

// testRelatedSaveAgreesWithRebuild: on an archive whose common words are
// above the window, a story's list computed by its own save (the SQL
// candidates) is the one the rebuild (in memory) gave it, in order.
func testRelatedSaveAgreesWithRebuild(t *testing.T, s store.Store) {
	smallRelatedWindow(t)
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	vocab := []string{"harbour", "strike", "ferry", "minister", "budget", "drought", "wheat", "railway",
		"tariff", "election", "protest", "vaccine", "satellite", "pipeline", "copper", "tourism"}
	rnd := rand.New(rand.NewPCG(7, 11))
	ids := make([]int64, 14)
	var firstWords []string
	for i := range ids {
		var words []string
		for range 6 {
			words = append(words, vocab[rnd.IntN(len(vocab))])
		}
		if i == 0 {
			firstWords = words
		} else if i == len(ids)-1 {
			words = firstWords // the last story is about what the first was
		}
		lang := "en"
		if i%5 == 4 {
			lang = "fr"
		}
		ids[i] = mustStory(t, s, &story.Story{Section: sec, Language: lang, Headline: strings.Join(words[:3], " ") + " " + ownWords(i),
			Body:             story.ParseBody(strings.Join(words, " ") + ". " + ownWords(i) + "."),
			FirstPublishedAt: base.Add(time.Duration(i) * time.Hour)})
	}
	if _, err := s.RebuildRelated(ctx); err != nil {
		t.Fatal(err)
	}
	rebuilt := map[int64][]int64{}
	some := 0
	for _, id := range ids {
		rebuilt[id] = relatedIDs(t, s, id)
		some += len(rebuilt[id])
	}
	if some == 0 {
		t.Fatal("the rebuild related no story: the test archive shares no words")
	}
	for i, id := range ids {
		resave(t, s, id)
		if got := relatedIDs(t, s, id); fmt.Sprint(got) != fmt.Sprint(rebuilt[id]) {
			t.Errorf("story %d of %d: saved, related to %v; the rebuild gave %v", i+1, len(ids), got, rebuilt[id])
		}
	}
	// Far apart in time, two stories sharing only common words are not
	// scored against each other: neither of the first and the last lists
	// the other, though with a window that takes every story they do.
	first, last := ids[0], ids[len(ids)-1]
	if contains(relatedIDs(t, s, first), last) || contains(relatedIDs(t, s, last), first) {
		t.Errorf("the first and last stories, 13 apart, relate to each other through words above the window")
	}
	sqlshare.RelatedWindow = len(ids)
	if _, err := s.RebuildRelated(ctx); err != nil {
		t.Fatal(err)
	}
	if !contains(relatedIDs(t, s, first), last) {
		t.Errorf("with every story in the window, the first is not related to the last: the test shows nothing")
	}
}
