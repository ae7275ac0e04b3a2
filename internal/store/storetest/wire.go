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

// testWire runs one item through versions, an older repeat, a withhold,
// a release and a kill, and checks the story, its revisions, its events
// and the received versions after each step.
func testWire(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	src, err := s.EnsureSource(ctx, story.Source{Label: "DTW", Name: "Dateline Test Wire"})
	if err != nil {
		t.Fatal(err)
	}
	apply := func(v int, status, headline string, publish bool, at time.Time) store.WireResult {
		t.Helper()
		res, err := s.ApplyWire(ctx, store.WireApply{
			Item: store.WireItem{SourceID: src.ID, GUID: "urn:test:1", Version: v, PubStatus: status, Headline: headline,
				SectionID: sec.ID, Item: []byte(`{}`)},
			Story: &story.Story{Section: sec, Source: &src, Headline: headline, Language: "en", Type: story.TypeNews,
				Slug: story.Slugify(headline, 80), WireID: "urn:test:1", WireVersion: v,
				Body: []story.Block{{Type: story.BlockParagraph, Spans: []story.Span{{Text: headline + " body"}}}}},
			Publish: publish, Now: at,
		})
		if err != nil {
			t.Fatalf("v%d %s: %v", v, status, err)
		}
		return res
	}
	check := func(res store.WireResult, outcome string, status story.Status) *story.Story {
		t.Helper()
		if res.Outcome != outcome {
			t.Fatalf("outcome %s (%s), want %s", res.Outcome, res.Reason, outcome)
		}
		if res.StoryID == 0 {
			return nil
		}
		st, err := s.Story(ctx, res.StoryID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != status {
			t.Fatalf("after %s: status %s, want %s", outcome, st.Status, status)
		}
		return st
	}
	// Queued without --publish: no story, a queued version.
	if res := apply(1, "usable", "Queued first", false, base); res.Outcome != store.WireQueued || res.StoryID != 0 {
		t.Fatalf("queue: %+v", res)
	}
	st := check(apply(2, "usable", "Published second", true, base.Add(time.Minute)), store.WireImported, story.StatusPublished)
	if st.WireVersion != 2 || !st.FirstPublishedAt.Equal(base.Add(time.Minute)) {
		t.Errorf("published: %+v", st)
	}
	check(apply(2, "usable", "Again", true, base.Add(2*time.Minute)), store.WireSkipped, story.StatusPublished)
	if res := apply(1, "usable", "Older", true, base.Add(2*time.Minute)); res.Reason != "version 2 already imported" {
		t.Errorf("older version: %+v", res)
	}
	st = check(apply(3, "usable", "Third", true, base.Add(time.Hour)), store.WireUpdated, story.StatusPublished)
	if st.Headline != "Third" || !st.UpdatedAt.Equal(base.Add(time.Hour)) || !st.Updated() || st.WireVersion != 3 {
		t.Errorf("updated: %+v", st)
	}
	check(apply(4, "withheld", "Fourth", true, base.Add(2*time.Hour)), store.WireWithheld, story.StatusWithheld)
	st = check(apply(5, "usable", "Released", true, base.Add(3*time.Hour)), store.WireUpdated, story.StatusPublished)
	if st.Headline != "Released" {
		t.Errorf("released headline %q", st.Headline)
	}
	st = check(apply(6, "canceled", "Killed", true, base.Add(4*time.Hour)), store.WireKilled, story.StatusKilled)
	if st.Headline != "Released" {
		t.Errorf("a kill changed the headline to %q", st.Headline)
	}
	if res := apply(7, "usable", "After kill", true, base.Add(5*time.Hour)); res.Outcome != store.WireSkipped {
		t.Errorf("after kill: %+v", res)
	}
	revs, err := s.Revisions(ctx, st.ID)
	if err != nil || len(revs) != 5 || revs[0].Kind != "wire" {
		t.Errorf("revisions: %d %v", len(revs), err)
	}
	evs, err := s.StoryEvents(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		if e.StoryID == st.ID {
			kinds = append(kinds, e.Kind)
		}
	}
	if want := "published updated withheld published killed"; join(kinds) != want {
		t.Errorf("events %q, want %q", join(kinds), want)
	}
	items, err := s.WireItems(ctx, store.WireQuery{GUID: "urn:test:1"})
	if err != nil || len(items) != 7 || items[0].State != "ignored" || items[1].State != "killed" || items[len(items)-1].State != "superseded" {
		t.Errorf("wire items: %+v %v", items, err)
	}
	// An embargoed item is held as scheduled until its time.
	res, err := s.ApplyWire(ctx, store.WireApply{
		Item:  store.WireItem{SourceID: src.ID, GUID: "urn:test:emb", Version: 1, PubStatus: "usable", Headline: "Held", EmbargoAt: base.Add(48 * time.Hour), Item: []byte(`{}`)},
		Story: &story.Story{Section: sec, Source: &src, Headline: "Held", Language: "en", Type: story.TypeNews, WireID: "urn:test:emb"}, Publish: true, Now: base,
	})
	if err != nil || res.Outcome != store.WireImported {
		t.Fatalf("embargo: %+v %v", res, err)
	}
	if due, _ := s.DueScheduled(ctx, base.Add(49*time.Hour)); len(due) != 1 || due[0] != res.StoryID {
		t.Errorf("embargoed story not due after its embargo: %v", due)
	}
	if _, err := s.ApplyWire(ctx, store.WireApply{Item: store.WireItem{SourceID: src.ID}, Story: &story.Story{}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty item: %v", err)
	}
	testWireCopies(t, s, sec)
	testWirePush(t, s)
}

// testWireCopies flags an item whose fingerprint another source sent.
func testWireCopies(t *testing.T, s store.Store, sec story.Section) {
	ctx := context.Background()
	var ids []int64
	for _, label := range []string{"One", "Two", "Two"} {
		src, err := s.EnsureSource(ctx, story.Source{Label: label})
		if err != nil {
			t.Fatal(err)
		}
		guid := "urn:copy:" + label + fmt.Sprint(len(ids))
		res, err := s.ApplyWire(ctx, store.WireApply{
			Item:  store.WireItem{SourceID: src.ID, GUID: guid, Version: 1, PubStatus: "usable", Headline: "Copy", Fingerprint: "fp1", Item: []byte(`{}`)},
			Story: &story.Story{Section: sec, Source: &src, Headline: "Copy", Language: "en", Type: story.TypeNews, WireID: guid},
			Now:   base,
		})
		if err != nil {
			t.Fatal(err)
		}
		items, err := s.WireItems(ctx, store.WireQuery{GUID: guid})
		if err != nil || len(items) != 1 || items[0].DuplicateOf != res.DuplicateOf {
			t.Fatalf("%s: %+v %v", guid, items, err)
		}
		ids = append(ids, items[0].ID)
		want := int64(0)
		if len(ids) > 1 {
			want = ids[0] // the first item of another source, for both later ones
		}
		if res.DuplicateOf != want {
			t.Errorf("item %d of %s: duplicate of %d, want %d", len(ids), label, res.DuplicateOf, want)
		}
	}
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

// testWirePush stores, replaces and reads a source's push token.
func testWirePush(t *testing.T, s store.Store) {
	ctx := context.Background()
	src, err := s.EnsureSource(ctx, story.Source{Label: "AA"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.WirePushToken(ctx, src.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("no token yet: %v", err)
	}
	if err := s.SetWirePushToken(ctx, src.ID, "hash1", false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWirePushToken(ctx, src.ID, "hash2", true); err != nil {
		t.Fatal(err)
	}
	if h, pub, err := s.WirePushToken(ctx, src.ID); err != nil || h != "hash2" || !pub {
		t.Errorf("token = %q %v %v", h, pub, err)
	}
	if err := s.SetWirePushToken(ctx, 9999, "x", false); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("token for a missing source: %v", err)
	}
}
