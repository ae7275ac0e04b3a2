package storetest

import (
	"context"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// testContentVersion checks that the content version moves with every
// write a public page shows, and only with those.
func testContentVersion(t *testing.T, s store.Store) {
	ctx := context.Background()
	version := func() int64 {
		t.Helper()
		v, err := s.ContentVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	moves := func(what string, f func() error) {
		t.Helper()
		before := version()
		if err := f(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if version() == before {
			t.Errorf("%s did not move the content version", what)
		}
	}
	stays := func(what string, f func() error) {
		t.Helper()
		before := version()
		if err := f(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if v := version(); v != before {
			t.Errorf("%s moved the content version (%d to %d)", what, before, v)
		}
	}
	var sec story.Section
	moves("a new section", func() error { sec = mustSection(t, s, "world"); return nil })
	var st *story.Story
	moves("a new story", func() error {
		st = &story.Story{Section: sec, Headline: "First"}
		mustStory(t, s, st)
		return nil
	})
	moves("a story edit", func() error {
		got, err := s.Story(ctx, st.ID)
		if err != nil {
			return err
		}
		got.Headline = "Second"
		return s.UpdateStory(ctx, got)
	})
	moves("a setting", func() error { return s.SetSetting(ctx, "site_tagline", "News") })
	moves("a breaking-news mark", func() error { return s.SetBreaking(ctx, st.ID, base.Add(time.Hour)) })
	stays("a reader's message", func() error {
		_, err := s.AddMessage(ctx, store.Message{Kind: "contact", Name: "A", Email: "a@b.example", Body: "hi", CreatedAt: base})
		return err
	})
	stays("a revision", func() error {
		_, err := s.AddRevision(ctx, store.Revision{StoryID: st.ID, Kind: "save", Snapshot: *st})
		return err
	})
}
