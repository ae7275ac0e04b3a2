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

// testWireDesk queues items from two sources and checks the queue's
// filters and keyset pages, taking an item as a draft and as a published
// story, spiking, the intake settings and the intake lease.
func testWireDesk(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	aa, _ := s.EnsureSource(ctx, story.Source{Label: "AA", Name: "AA"})
	dpa, err := s.EnsureSource(ctx, story.Source{Label: "DPA", Name: "DPA"})
	if err != nil {
		t.Fatal(err)
	}
	queue := func(src story.Source, n int, lang string, urgency int, at time.Time, embargo time.Time) {
		t.Helper()
		h := fmt.Sprintf("%s item %d", src.Label, n)
		guid := fmt.Sprintf("urn:%s:%d", src.Label, n)
		_, err := s.ApplyWire(ctx, store.WireApply{
			Item: store.WireItem{SourceID: src.ID, GUID: guid, Version: 1, PubStatus: "usable", Headline: h,
				SectionID: sec.ID, Urgency: urgency, Language: lang, EmbargoAt: embargo, Item: []byte(`{}`)},
			Story: &story.Story{Section: sec, Source: &src, Headline: h, Language: lang, Type: story.TypeNews,
				Slug: story.Slugify(h, 80), WireID: guid, WireVersion: 1},
			Now: at,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		queue(aa, i, "en", 1+i%3, base.Add(time.Duration(i)*time.Minute), time.Time{})
	}
	queue(dpa, 0, "de", 3, base.Add(10*time.Minute), base.Add(time.Hour))

	all, err := s.WireQueue(ctx, store.WireQueueQuery{Limit: 100})
	if err != nil || len(all) != 6 || all[0].Headline != "DPA item 0" || all[5].Headline != "AA item 0" {
		t.Fatalf("queue = %d items (%v)", len(all), err)
	}
	for name, q := range map[string]store.WireQueueQuery{
		"source": {SourceID: dpa.ID}, "urgency": {Urgency: 3}, "language": {Language: "DE"}, "text": {Text: "dpa ITEM"},
	} {
		got, err := s.WireQueue(ctx, q)
		if err != nil || len(got) == 0 {
			t.Fatalf("%s filter: %d items, %v", name, len(got), err)
		}
		for _, w := range got {
			if name != "urgency" && w.SourceID != dpa.ID || w.Urgency != 3 && name == "urgency" {
				t.Errorf("%s filter let through %q", name, w.Headline)
			}
		}
	}
	page1, _ := s.WireQueue(ctx, store.WireQueueQuery{Limit: 4})
	last := page1[len(page1)-1]
	page2, err := s.WireQueue(ctx, store.WireQueueQuery{Limit: 4, After: store.Cursor{At: last.ReceivedAt, ID: last.ID}})
	if err != nil || len(page1) != 4 || len(page2) != 2 || page2[1].ID != all[5].ID {
		t.Fatalf("pages %d + %d (%v)", len(page1), len(page2), err)
	}

	// Use: a draft of the item, owned, linked to its GUID.
	w := all[1]
	draft := &story.Story{Section: sec, Source: &aa, Headline: w.Headline, Language: "en", Type: story.TypeNews,
		Slug: story.Slugify(w.Headline, 80), WireID: w.GUID, WireVersion: 1}
	id, err := s.TakeWireItem(ctx, store.WireTake{ItemID: w.ID, Story: draft, Now: base.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Story(ctx, id)
	if err != nil || st.Status != story.StatusDraft || st.WireID != w.GUID || st.Source == nil || st.Source.Label != "AA" {
		t.Fatalf("used story %+v %v", st, err)
	}
	if _, err := s.TakeWireItem(ctx, store.WireTake{ItemID: w.ID, Story: draft}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("taking a used item again: %v, want ErrConflict", err)
	}
	if got, _ := s.WireItem(ctx, w.ID); got.State != "used" || got.StoryID != id {
		t.Errorf("used item %+v", got)
	}
	// Its next version is offered to the draft on the desk, and can be spiked.
	v2 := *draft
	v2.WireVersion = 2
	res, err := s.ApplyWire(ctx, store.WireApply{Item: store.WireItem{SourceID: aa.ID, GUID: w.GUID, Version: 2,
		PubStatus: "usable", Headline: w.Headline + " (2)", SectionID: sec.ID, Item: []byte(`{}`)}, Story: &v2, Now: base.Add(2 * time.Hour)})
	if err != nil || res.StoryID != id {
		t.Fatalf("v2 of a used item: %+v %v", res, err)
	}
	if desk, _ := s.WireQueue(ctx, store.WireQueueQuery{Limit: 1}); len(desk) != 1 || desk[0].State != "offered" || desk[0].StoryID != id {
		t.Fatalf("the offered version is not first on the desk: %+v", desk)
	}
	if desk, _ := s.WireQueue(ctx, store.WireQueueQuery{Limit: 1}); s.SpikeWireItem(ctx, desk[0].ID) != nil {
		t.Error("an offered version cannot be spiked")
	}
	// Publish now, embargo ahead: scheduled for the embargo.
	emb := all[0]
	held := &story.Story{Section: sec, Source: &dpa, Headline: emb.Headline, Language: "de", Type: story.TypeNews,
		Slug: story.Slugify(emb.Headline, 80), WireID: emb.GUID, WireVersion: 1}
	id, err = s.TakeWireItem(ctx, store.WireTake{ItemID: emb.ID, Story: held, Publish: true, Now: base.Add(20 * time.Minute)})
	if st, _ := s.Story(ctx, id); err != nil || st.Status != story.StatusScheduled {
		t.Fatalf("publish of an embargoed item: %v %v", st.Status, err)
	}
	if err := s.SpikeWireItem(ctx, all[2].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.SpikeWireItem(ctx, all[2].ID); !errors.Is(err, store.ErrConflict) {
		t.Errorf("spike twice: %v", err)
	}
	if err := s.SpikeWireItem(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("spike a missing item: %v", err)
	}
	if left, _ := s.WireQueue(ctx, store.WireQueueQuery{}); len(left) != 3 {
		t.Errorf("%d items left in the queue, want 3", len(left))
	}
	testWireIntake(t, s, aa)
	t.Run("Routing", func(t *testing.T) { testWireRouting(t, s, sec, aa, dpa) })
	t.Run("CorrectionNotes", func(t *testing.T) { testWireNotes(t, s, sec, dpa) })
}

func testWireIntake(t *testing.T, s store.Store, src story.Source) {
	ctx := context.Background()
	in := store.WireIntake{SourceID: src.ID, Folder: "/srv/aa", FeedURL: "https://example.org/feed", PollInterval: 5 * time.Minute, Publish: true}
	if err := s.SetWireIntake(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWireIntake(ctx, store.WireIntake{SourceID: 999999}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("intake of a missing source: %v", err)
	}
	if err := s.SetWireFeedState(ctx, src.ID, `"v1"`, "Mon, 02 Jan 2006 15:04:05 GMT", "", base); err != nil {
		t.Fatal(err)
	}
	got, err := s.WireIntakes(ctx)
	if err != nil || len(got) != 1 || got[0].Folder != "/srv/aa" || got[0].PollInterval != 5*time.Minute ||
		!got[0].Publish || got[0].ETag != `"v1"` || !got[0].PolledAt.Equal(base) {
		t.Fatalf("intakes %+v %v", got, err)
	}
	in.FeedURL = "https://example.org/other"
	if err := s.SetWireIntake(ctx, in); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.WireIntakes(ctx); got[0].ETag != "" {
		t.Errorf("a new feed URL kept the old ETag %q", got[0].ETag)
	}
	ok1, err1 := s.LeaseWireIntake(ctx, src.ID, "a", base, base.Add(time.Minute))
	ok2, err2 := s.LeaseWireIntake(ctx, src.ID, "b", base.Add(time.Second), base.Add(time.Minute))
	ok3, err3 := s.LeaseWireIntake(ctx, src.ID, "b", base.Add(2*time.Minute), base.Add(3*time.Minute))
	if !ok1 || ok2 || !ok3 || errors.Join(err1, err2, err3) != nil {
		t.Errorf("leases: a %v, b while a holds %v, b after expiry %v (%v)", ok1, ok2, ok3, errors.Join(err1, err2, err3))
	}
}
