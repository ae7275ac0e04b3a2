package storetest

import (
	"context"
	"testing"

	"dateline/internal/store"
	"dateline/internal/story"
)

// testEvents checks that every public change of a story, and only those,
// lands in the event log in order.
func testEvents(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	draft := &story.Story{Section: sec, Headline: "Quiet draft", Status: story.StatusDraft}
	mustStory(t, s, draft)
	live := &story.Story{Section: sec, Headline: "Live story", FirstPublishedAt: base}
	mustStory(t, s, live)

	change := func(st *story.Story, to story.Status) {
		t.Helper()
		got, err := s.Story(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.Status = to
		if err := s.UpdateStory(ctx, got); err != nil {
			t.Fatal(err)
		}
		*st = *got
	}
	change(draft, story.StatusSubmitted) // not public: no event
	change(draft, story.StatusPublished) // published
	change(live, story.StatusPublished)  // updated
	change(live, story.StatusKilled)     // killed
	change(draft, story.StatusWithheld)  // withheld
	change(draft, story.StatusPublished) // published again
	change(draft, story.StatusUnpublished)

	want := []struct {
		id   int64
		kind string
	}{
		{live.ID, store.EventPublished},
		{draft.ID, store.EventPublished},
		{live.ID, store.EventUpdated},
		{live.ID, store.EventKilled},
		{draft.ID, store.EventWithheld},
		{draft.ID, store.EventPublished},
		{draft.ID, store.EventUnpublished},
	}
	all, err := s.StoryEvents(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(want) {
		t.Fatalf("got %d events %+v, want %d", len(all), all, len(want))
	}
	for i, w := range want {
		if all[i].StoryID != w.id || all[i].Kind != w.kind {
			t.Errorf("event %d = story %d %s, want story %d %s", i, all[i].StoryID, all[i].Kind, w.id, w.kind)
		}
		if i > 0 && all[i].ID <= all[i-1].ID {
			t.Errorf("event ids not increasing: %d after %d", all[i].ID, all[i-1].ID)
		}
	}
	if last := all[len(all)-1]; last.Version != draft.Version {
		t.Errorf("last event version %d, story version %d", last.Version, draft.Version)
	}
	rest, err := s.StoryEvents(ctx, all[3].ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rest) != 2 || rest[0].ID != all[4].ID {
		t.Errorf("events after %d limit 2 = %+v", all[3].ID, rest)
	}
	if n, err := s.LastStoryEvent(ctx); err != nil || n != all[len(all)-1].ID {
		t.Errorf("LastStoryEvent = %d, %v; want %d", n, err, all[len(all)-1].ID)
	}
}
