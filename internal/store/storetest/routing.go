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

// testWireRouting checks the routing rules (order, changes, refusals),
// the sources' default sections and the queue's section filter. s holds
// the wire desk test's items, all in section world.
func testWireRouting(t *testing.T, s store.Store, world story.Section, aa, dpa story.Source) {
	ctx := context.Background()
	sport := mustSection(t, s, "sport")
	if got, err := s.WireRoutes(ctx); err != nil || len(got) != 0 {
		t.Fatalf("rules of a new store: %+v %v", got, err)
	}
	var ids []int64
	for _, r := range []store.WireRoute{
		{SourceID: aa.ID, SectionID: world.ID},
		{Subject: "medtop:15000000", SectionID: sport.ID, Publish: true},
		{Keyword: "cup final", SourceID: dpa.ID, SectionID: sport.ID},
	} {
		id, err := s.CreateWireRoute(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for name, bad := range map[string]store.WireRoute{
		"no condition":    {SectionID: sport.ID, Publish: true},
		"no section":      {Keyword: "x"},
		"unknown section": {Keyword: "x", SectionID: 999999},
		"unknown source":  {SourceID: 999999, SectionID: sport.ID},
	} {
		if _, err := s.CreateWireRoute(ctx, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("create with %s: %v, want ErrInvalid", name, err)
		}
	}
	got, err := s.WireRoutes(ctx)
	if err != nil || len(got) != 3 || got[0].ID != ids[0] || got[1].Subject != "medtop:15000000" || !got[1].Publish ||
		got[2].Keyword != "cup final" || got[2].SourceID != dpa.ID || got[0].SourceID != aa.ID || got[1].SourceID != 0 {
		t.Fatalf("rules = %+v (%v)", got, err)
	}
	// Update keeps the place; a missing rule is ErrNotFound.
	upd := got[0]
	upd.SourceID, upd.Subject, upd.Publish = 0, "subj:04*", true
	if err := s.UpdateWireRoute(ctx, upd); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateWireRoute(ctx, store.WireRoute{ID: 999999, Keyword: "x", SectionID: sport.ID}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update a missing rule: %v", err)
	}
	if err := s.UpdateWireRoute(ctx, store.WireRoute{ID: upd.ID, SectionID: sport.ID}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("update to no condition: %v", err)
	}
	// Reorder: exactly the rules there are, each once.
	if err := s.ReorderWireRoutes(ctx, []int64{ids[2], ids[0], ids[1]}); err != nil {
		t.Fatal(err)
	}
	if err := s.ReorderWireRoutes(ctx, []int64{ids[2], ids[2], ids[1]}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("reorder naming a rule twice: %v", err)
	}
	if err := s.ReorderWireRoutes(ctx, []int64{ids[2], ids[0]}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("reorder leaving a rule out: %v", err)
	}
	if err := s.ReorderWireRoutes(ctx, []int64{ids[2], ids[0], 999999}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("reorder naming a missing rule: %v", err)
	}
	got, _ = s.WireRoutes(ctx)
	if len(got) != 3 || got[0].ID != ids[2] || got[1].ID != ids[0] || got[1].Subject != "subj:04*" || got[1].SourceID != 0 || got[2].ID != ids[1] {
		t.Errorf("after update and reorder: %+v", got)
	}
	if err := s.DeleteWireRoute(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteWireRoute(ctx, ids[2]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
	// A rule added after a reorder goes last.
	last, err := s.CreateWireRoute(ctx, store.WireRoute{Keyword: "last", SectionID: sport.ID})
	if got, _ := s.WireRoutes(ctx); err != nil || len(got) != 3 || got[2].ID != last || got[0].ID != ids[0] {
		t.Errorf("rules after delete and add: %+v (%v)", got, err)
	}

	// Default sections, by name: set, change, clear; unknown sources refused.
	if err := s.SetWireSourceSection(ctx, aa.ID, "News"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWireSourceSection(ctx, dpa.ID, "Nachrichten"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWireSourceSection(ctx, dpa.ID, "Welt"); err != nil {
		t.Fatal(err)
	}
	if defs, err := s.WireSourceSections(ctx); err != nil || len(defs) != 2 || defs[aa.ID] != "News" || defs[dpa.ID] != "Welt" {
		t.Errorf("default sections %v (%v)", defs, err)
	}
	if err := s.SetWireSourceSection(ctx, aa.ID, ""); err != nil {
		t.Fatal(err)
	}
	if defs, _ := s.WireSourceSections(ctx); len(defs) != 1 || defs[aa.ID] != "" {
		t.Errorf("after clearing: %v", defs)
	}
	for _, name := range []string{"News", ""} {
		if err := s.SetWireSourceSection(ctx, 999999, name); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("default section %q of a missing source: %v", name, err)
		}
	}

	// The queue's section filter, alone and with the source filter.
	for i, src := range []story.Source{aa, dpa} {
		h := fmt.Sprintf("Cup final report %d", i)
		_, err := s.ApplyWire(ctx, store.WireApply{
			Item: store.WireItem{SourceID: src.ID, GUID: "urn:sport:" + h, Version: 1, PubStatus: "usable", Headline: h,
				SectionID: sport.ID, Item: []byte(`{}`)},
			Story: &story.Story{Section: sport, Source: &src, Headline: h, Language: "en", Slug: story.Slugify(h, 80)},
			Now:   base.Add(time.Duration(i) * time.Minute),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	inSport, err := s.WireQueue(ctx, store.WireQueueQuery{SectionID: sport.ID})
	if err != nil || len(inSport) != 2 || inSport[0].Headline != "Cup final report 1" || inSport[0].SectionID != sport.ID {
		t.Errorf("sport queue = %+v (%v)", inSport, err)
	}
	if got, _ := s.WireQueue(ctx, store.WireQueueQuery{SectionID: sport.ID, SourceID: aa.ID}); len(got) != 1 || got[0].SourceID != aa.ID {
		t.Errorf("sport queue of AA = %+v", got)
	}
	inWorld, _ := s.WireQueue(ctx, store.WireQueueQuery{SectionID: world.ID})
	for _, w := range inWorld {
		if w.SectionID != world.ID {
			t.Errorf("the world filter let through %q", w.Headline)
		}
	}
	if len(inWorld) == 0 {
		t.Error("the world filter found nothing")
	}
}

// testWireNotes checks that notes a version carries (an agency's
// correction) are added to the story it updates, with the import's time,
// and that a new story starts without them.
func testWireNotes(t *testing.T, s store.Store, sec story.Section, src story.Source) {
	ctx := context.Background()
	apply := func(v int, notes []story.Note, at time.Time) store.WireResult {
		t.Helper()
		h := "Bridge toll to rise"
		res, err := s.ApplyWire(ctx, store.WireApply{
			Item: store.WireItem{SourceID: src.ID, GUID: "urn:notes:1", Version: v, PubStatus: "usable", Headline: h,
				SectionID: sec.ID, Item: []byte(`{}`)},
			Story: &story.Story{Section: sec, Source: &src, Headline: h, Language: "en", Slug: story.Slugify(h, 80),
				Body: story.ParseBody(fmt.Sprintf("Version %d of the toll story.", v))},
			Publish: true, Notes: notes, Now: at,
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	fix := []story.Note{{Kind: "correction", Text: "Corrects the toll to 15 euros."}}
	r1 := apply(1, fix, base)
	if st, _ := s.Story(ctx, r1.StoryID); len(st.Notes) != 0 {
		t.Errorf("a new story carries notes %+v", st.Notes)
	}
	r2 := apply(2, fix, base.Add(time.Hour))
	r3 := apply(3, nil, base.Add(2*time.Hour))
	st, err := s.Story(ctx, r1.StoryID)
	if err != nil || r2.Outcome != store.WireUpdated || r3.StoryID != r1.StoryID || len(st.Notes) != 1 ||
		st.Notes[0].Kind != "correction" || st.Notes[0].Text != fix[0].Text || !st.Notes[0].At.Equal(base.Add(time.Hour)) {
		t.Errorf("notes after a correction and an update: %+v (%v)", st.Notes, err)
	}
}
