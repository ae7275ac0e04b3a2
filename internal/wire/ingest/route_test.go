package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
	"dateline/internal/wire/ingest"
)

func mustSection(t *testing.T, st store.Store, slug, name string) story.Section {
	t.Helper()
	sec := story.Section{Slug: slug, Name: name, Position: 5}
	id, err := st.CreateSection(context.Background(), sec)
	if err != nil {
		t.Fatal(err)
	}
	sec.ID = id
	return sec
}

func mustRoute(t *testing.T, st store.Store, r store.WireRoute) int64 {
	t.Helper()
	id, err := st.CreateWireRoute(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func importWith(t *testing.T, o ingest.Options, path string, edit func(string) string) ingest.Result {
	t.Helper()
	im, err := ingest.New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		data = []byte(edit(string(data)))
	}
	res, err := im.Import(context.Background(), data)
	if err != nil || len(res) != 1 {
		t.Fatalf("%s: %+v %v", path, res, err)
	}
	return res[0]
}

// TestRoutingRules routes real agency samples: a dpa item by its IPTC
// media topic qcode to Politics, published; an IPTC ninjs 3 item whose
// subjects are NewsCodes URIs by the same kind of qcode; a NewsML-G2 item
// by a keyword of its body to Business, queued even for a source that
// publishes on arrival, and published with --publish; the first matching
// rule wins, and keywords match whole words only.
func TestRoutingRules(t *testing.T) {
	site := newSite(t)
	ctx := context.Background()
	st := site.Store
	politics := mustSection(t, st, "politics", "Politics")
	business := mustSection(t, st, "business", "Business")
	sport := mustSection(t, st, "sport", "Sport")
	dpa, _ := st.EnsureSource(ctx, story.Source{Label: "dpa", Name: "dpa"})
	shared := testutil.SharedTestdata(t)

	// Tried in order: a keyword that only occurs inside a word never
	// matches; the dpa rule comes before a catch-all subject rule.
	mustRoute(t, st, store.WireRoute{Keyword: "rotter", SectionID: sport.ID, Publish: true})
	polRule := mustRoute(t, st, store.WireRoute{SourceID: dpa.ID, Subject: "medtop:11000000", SectionID: politics.ID, Publish: true})
	mustRoute(t, st, store.WireRoute{Subject: "Politik", SectionID: business.ID})
	mustRoute(t, st, store.WireRoute{Subject: "medtop:15000000", SectionID: sport.ID, Publish: true})
	strikeRule := mustRoute(t, st, store.WireRoute{Keyword: "Container Traffic", SectionID: business.ID})

	r := importWith(t, ingest.Options{Store: st, Source: "dpa"}, filepath.Join(shared, "wire/newsml-g2/real-world/dpa/tvo_pol.xml"), nil)
	s, err := st.Story(ctx, r.StoryID)
	if r.Outcome != store.WireImported || r.Rule != polRule || err != nil || s.Section.ID != politics.ID || s.Source.Label != "dpa" ||
		s.Status != story.StatusPublished {
		t.Fatalf("dpa politics item: %+v, story %+v (%v)", r, s, err)
	}
	if page := testutil.NewClient(site.Handler).Get(s.Path()); page.Code != 200 || !strings.Contains(page.Body.String(), "dpa") {
		t.Errorf("the routed story's page: %d", page.Code)
	}

	r = importWith(t, ingest.Options{Store: st, Source: "Cycling Wire"},
		filepath.Join(shared, "wire/ninjs/examples/3.0/20231008-anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever-addb-ninjs-nitf.json"), nil)
	if s, err := st.Story(ctx, r.StoryID); r.Outcome != store.WireImported || err != nil || s.Section.ID != sport.ID {
		t.Errorf("ninjs sport item by URI: %+v (%v)", r, err)
	}

	// The harbour item's standfirst says "Container traffic halted": the
	// keyword rule queues it although its source publishes on arrival.
	harbour := "../testdata/g2_harbour_v1.xml"
	r = importWith(t, ingest.Options{Store: st, Source: "DTW", PublishUnrouted: true}, harbour, nil)
	if r.Outcome != store.WireQueued || r.Rule != strikeRule || r.Section != "business" {
		t.Fatalf("harbour item: %+v", r)
	}
	items, err := st.WireQueue(ctx, store.WireQueueQuery{SectionID: business.ID})
	if err != nil || len(items) != 1 || items[0].SectionID != business.ID {
		t.Errorf("business queue = %+v (%v)", items, err)
	}
	// --publish publishes whatever the rule says.
	r = importWith(t, ingest.Options{Store: st, Source: "DTW2", Publish: true}, harbour, nil)
	if s, err := st.Story(ctx, r.StoryID); r.Outcome != store.WireImported || err != nil || s.Section.ID != business.ID {
		t.Errorf("--publish: %+v (%v)", r, err)
	}
}

// TestRoutingDefaultSection: an item no rule matches goes to its
// source's default section, which the first such item creates; without
// a default the section its subject names, then --section; a source's
// "publish on arrival" publishes it.
func TestRoutingDefaultSection(t *testing.T) {
	site := newSite(t)
	ctx := context.Background()
	st := site.Store
	aa, _ := st.EnsureSource(ctx, story.Source{Label: "AA", Name: "Anadolu Agency"})
	if err := st.SetWireSourceSection(ctx, aa.ID, "News"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SectionBySlug(ctx, "news"); err == nil {
		t.Fatal("the test needs a store without a News section")
	}
	business := mustSection(t, st, "business", "Business")
	// A rule for another source does not catch AA's items.
	other, _ := st.EnsureSource(ctx, story.Source{Label: "XX", Name: "XX"})
	mustRoute(t, st, store.WireRoute{SourceID: other.ID, SectionID: business.ID})

	r := importWith(t, ingest.Options{Store: st, Source: "AA", PublishUnrouted: true}, "../testdata/g2_harbour_v1.xml", nil)
	news, err := st.SectionBySlug(ctx, "news")
	if err != nil || news.Name != "News" {
		t.Fatalf("the default section was not made: %+v %v", news, err)
	}
	s, err := st.Story(ctx, r.StoryID)
	if r.Outcome != store.WireImported || r.Rule != 0 || err != nil || s.Section.ID != news.ID {
		t.Fatalf("AA item: %+v, story section %+v (%v)", r, s.Section, err)
	}
	if w := testutil.NewClient(site.Handler).Get("/news"); w.Code != 200 || !strings.Contains(w.Body.String(), "Harbour workers strike") {
		t.Errorf("/news: %d, the story is not listed", w.Code)
	}
	// The next item finds the section made; no second one appears.
	importWith(t, ingest.Options{Store: st, Source: "AA"}, "../testdata/g2_court_v1.xml", nil)
	secs, _ := st.Sections(ctx)
	n := 0
	for _, sec := range secs {
		if sec.Slug == "news" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d News sections", n)
	}

	// Without a default: the subject "Business" names a section.
	r = importWith(t, ingest.Options{Store: st, Source: "DTW", Section: "world"}, "../testdata/g2_harbour_v1.xml", nil)
	if r.Outcome != store.WireQueued || r.Section != "business" {
		t.Errorf("DTW item: %+v, want queued in business", r)
	}
	// No subject names a section: --section.
	r = importWith(t, ingest.Options{Store: st, Source: "DTW", Section: "business"}, "../testdata/ninjs3_picture.json", nil)
	if r.Section != "business" {
		t.Errorf("ninjs item: %+v, want --section's business", r)
	}
}

// TestCorrectionNote: a version the agency flags as a correction updates
// the published story with a public correction note: the dpa correction
// sample carries its own edNote, a ninjs correction its ednote, and a
// dpa correction with no public correction note gets a line naming the
// agency; the notes the agency keeps for the receiver never show.
func TestCorrectionNote(t *testing.T) {
	site := newSite(t)
	ctx := context.Background()
	shared := testutil.SharedTestdata(t)
	o := ingest.Options{Store: site.Store, Source: "dpa", Publish: true}
	// Version 1 of each dpa sample is the sample itself, numbered 1 and
	// without its correction signal.
	v1 := func(s string) string {
		s = strings.Replace(s, `version="2"`, `version="1"`, 1)
		return strings.Replace(s, `<signal qcode="sig:correction"/>`, "", 1)
	}
	for _, tc := range []struct {
		file, want, never string
	}{
		{"tvo_pol.xml", "Uhrzeit korrigiert", "dpa s5"},
		{"dw-1.xml", "In einer früheren Version dieses Textes hieß es, Vergewaltigung in der Ehe sei bis 1992 nicht strafbar gewesen.", "vogler@schlag-agentur.de"},
	} {
		path := filepath.Join(shared, "wire/newsml-g2/real-world/dpa", tc.file)
		r1 := importWith(t, o, path, v1)
		if r1.Outcome != store.WireImported {
			t.Fatalf("%s v1: %+v", tc.file, r1)
		}
		s, _ := site.Store.Story(ctx, r1.StoryID)
		if len(s.Notes) != 0 {
			t.Errorf("%s v1 has notes %+v", tc.file, s.Notes)
		}
		r2 := importWith(t, o, path, nil)
		if r2.Outcome != store.WireUpdated || r2.StoryID != r1.StoryID {
			t.Fatalf("%s v2: %+v", tc.file, r2)
		}
		s, _ = site.Store.Story(ctx, r1.StoryID)
		if len(s.Notes) != 1 || s.Notes[0].Kind != "correction" || !strings.Contains(s.Notes[0].Text, tc.want) {
			t.Fatalf("%s notes = %+v", tc.file, s.Notes)
		}
		page := testutil.NewClient(site.Handler).Get(s.Path()).Body.String()
		if !strings.Contains(page, `class="note note-correction"`) || !strings.Contains(page, tc.want) ||
			tc.never != "" && strings.Contains(page, tc.never) {
			t.Errorf("%s: the page does not carry the correction note (or shows a receiver's note)", tc.file)
		}
	}

	// A correction whose only edNote is for the receiver: a line naming
	// the agency, and never the note.
	harbour := func(s string) string {
		return strings.Replace(s, `<pubStatus qcode="stat:usable"/>`, `<pubStatus qcode="stat:usable"/>
		<edNote pubconstraint="ex:nonpublic">Call the desk on +31 10 555 0100</edNote><signal qcode="sig:correction"/>`, 1)
	}
	o.Source = "DTW"
	r1 := importWith(t, o, "../testdata/g2_harbour_v1.xml", nil)
	importWith(t, o, "../testdata/g2_harbour_v2_update.xml", harbour)
	s, _ := site.Store.Story(ctx, r1.StoryID)
	page := testutil.NewClient(site.Handler).Get(s.Path()).Body.String()
	if len(s.Notes) != 1 || s.Notes[0].Text != "DTW corrected this story." || strings.Contains(page, "555 0100") {
		t.Errorf("harbour correction notes %+v", s.Notes)
	}

	// ninjs: a correction signal and an ednote; a first version flagged
	// as a correction adds no note (readers never saw the error).
	r1 = importWith(t, o, "../testdata/ninjs2_correction_v1.json", nil)
	r2 := importWith(t, o, "../testdata/ninjs2_correction_v2.json", nil)
	s, _ = site.Store.Story(ctx, r1.StoryID)
	if r2.Outcome != store.WireUpdated || len(s.Notes) != 1 || s.Notes[0].Text != "Corrects the new toll to 15 euros, not 12 euros, in the first paragraph." {
		t.Fatalf("ninjs correction: %+v, notes %+v", r2, s.Notes)
	}
	page = testutil.NewClient(site.Handler).Get(s.Path()).Body.String()
	if !strings.Contains(page, "Corrects the new toll to 15 euros") || !strings.Contains(page, "rise to 15 euros") {
		t.Error("the ninjs correction is not on the page")
	}
	o.Source = "Other"
	r := importWith(t, o, "../testdata/ninjs2_correction_v2.json", nil)
	if s, _ := site.Store.Story(ctx, r.StoryID); r.Outcome != store.WireImported || len(s.Notes) != 0 {
		t.Errorf("a new story from a correction: %+v, notes %+v", r, s.Notes)
	}
}

// TestDeferRelated: a bulk import leaves related stories to Finish, which
// rebuilds them once; until then the store says they are stale.
func TestDeferRelated(t *testing.T) {
	site := newSite(t)
	ctx := context.Background()
	st := site.Store
	im, err := ingest.New(ctx, ingest.Options{Store: st, Source: "BW", Publish: true, DeferRelated: true})
	if err != nil {
		t.Fatal(err)
	}
	var first int64
	for i := range 12 {
		res, err := im.Import(ctx, g2Item(i))
		if err != nil || len(res) != 1 || res[0].Outcome != store.WireImported {
			t.Fatalf("item %d: %+v %v", i, res, err)
		}
		if i == 0 {
			first = res[0].StoryID
		}
	}
	if rel, err := st.Related(ctx, first, 5); err != nil || len(rel) != 0 {
		t.Errorf("related before Finish: %d (%v), want none", len(rel), err)
	}
	if stale, err := st.RelatedStale(ctx); err != nil || !stale {
		t.Errorf("stale before Finish: %v %v", stale, err)
	}
	if n, err := im.Finish(ctx); err != nil || n != 12 {
		t.Fatalf("finish: %d %v", n, err)
	}
	if rel, err := st.Related(ctx, first, 5); err != nil || len(rel) == 0 {
		t.Errorf("related after Finish: %d (%v)", len(rel), err)
	}
	if stale, _ := st.RelatedStale(ctx); stale {
		t.Error("still stale after Finish")
	}
	if n, err := im.Finish(ctx); err != nil || n != 0 {
		t.Errorf("a second Finish rebuilt %d (%v)", n, err)
	}
	// A run that stopped before Finish left them stale: the next run's
	// Finish rebuilds though it published nothing new.
	im2, _ := ingest.New(ctx, ingest.Options{Store: st, Source: "BW", Publish: true, DeferRelated: true})
	if res, err := im2.Import(ctx, g2Item(12)); err != nil || res[0].Outcome != store.WireImported {
		t.Fatal(res, err)
	}
	im3, _ := ingest.New(ctx, ingest.Options{Store: st, Source: "BW", Publish: true, DeferRelated: true})
	if res, err := im3.Import(ctx, g2Item(12)); err != nil || res[0].Outcome != store.WireSkipped {
		t.Fatal(res, err)
	}
	if n, err := im3.Finish(ctx); err != nil || n != 13 {
		t.Errorf("the re-run's Finish rebuilt %d (%v), want 13", n, err)
	}
}
