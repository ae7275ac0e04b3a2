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

// testContentAPI checks the content API's lists: filters, keyset pages,
// the change list with stories taken down, the tag list and the keys.
func testContentAPI(t *testing.T, s store.Store) {
	ctx := context.Background()
	world, sport := mustSection(t, s, "world"), mustSection(t, s, "sport")
	var ids []int64
	for i := range 9 {
		st := &story.Story{Section: world, Headline: fmt.Sprintf("API story %d", i), Tags: []story.Tag{{Name: "Harbour"}},
			FirstPublishedAt: base.Add(time.Duration(i/2) * time.Hour)}
		if i%3 == 0 {
			st.Section, st.Language, st.Tags = sport, "tr", []story.Tag{{Name: "Liman"}}
		}
		ids = append(ids, mustStory(t, s, st))
	}
	draft := mustStory(t, s, &story.Story{Section: world, Headline: "API draft", Status: story.StatusDraft})

	// Every published story once, newest first, children loaded.
	var got []*story.Story
	var after store.Cursor
	for {
		page, err := s.APIStories(ctx, store.APIQuery{After: after, Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		if len(page) < 4 {
			break
		}
		last := page[len(page)-1]
		after = store.Cursor{At: last.FirstPublishedAt, ID: last.ID}
	}
	if len(got) != 9 {
		t.Fatalf("paged through %d stories, want 9", len(got))
	}
	for i, st := range got {
		if i > 0 && (st.FirstPublishedAt.After(got[i-1].FirstPublishedAt) ||
			st.FirstPublishedAt.Equal(got[i-1].FirstPublishedAt) && st.ID > got[i-1].ID) {
			t.Errorf("story %d out of order after %d", st.ID, got[i-1].ID)
		}
		if len(st.Tags) != 1 || len(st.Body) == 0 || st.Status != story.StatusPublished || st.ModifiedAt.IsZero() {
			t.Errorf("story %d incomplete: tags %v, %d blocks, status %q", st.ID, st.Tags, len(st.Body), st.Status)
		}
	}
	tr, _ := s.APIStories(ctx, store.APIQuery{Language: "tr", SectionID: sport.ID, Limit: 100})
	if len(tr) != 3 {
		t.Errorf("sport in tr: %d stories, want 3", len(tr))
	}
	harbour, _ := s.TagBySlug(ctx, "harbour")
	if tagged, _ := s.APIStories(ctx, store.APIQuery{TagID: harbour.ID, Limit: 100}); len(tagged) != 6 {
		t.Errorf("tagged harbour: %d, want 6", len(tagged))
	}
	drafts, _ := s.APIStories(ctx, store.APIQuery{Statuses: []story.Status{story.StatusDraft}, Limit: 100})
	if len(drafts) != 1 || drafts[0].ID != draft {
		t.Errorf("drafts %v, want story %d", drafts, draft)
	}

	// The change list: a killed story comes back after the time, a draft
	// never public does not, and the order is modification time.
	since := time.Now().Add(-time.Second)
	killed, err := s.Story(ctx, ids[4])
	if err != nil {
		t.Fatal(err)
	}
	killed.Status = story.StatusKilled
	if err := s.UpdateStory(ctx, killed); err != nil {
		t.Fatal(err)
	}
	changed, err := s.APIStories(ctx, store.APIQuery{ChangedSince: killed.ModifiedAt.Add(-time.Microsecond), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 1 || changed[0].ID != killed.ID || changed[0].Status != story.StatusKilled {
		t.Errorf("changes since the kill: %v, want the killed story", changed)
	}
	all, _ := s.APIStories(ctx, store.APIQuery{ChangedSince: since.Add(-time.Hour), Limit: 100})
	if len(all) != 9 || all[len(all)-1].ID != killed.ID {
		t.Errorf("changes: %d stories (want 9, the killed one last)", len(all))
	}
	rest, _ := s.APIStories(ctx, store.APIQuery{ChangedSince: since.Add(-time.Hour), Limit: 100,
		After: store.Cursor{At: all[6].ModifiedAt, ID: all[6].ID}})
	if len(rest) != 2 || rest[0].ID != all[7].ID {
		t.Errorf("changes after the 7th: %d", len(rest))
	}

	// Tags: only those on published stories, by slug, paged.
	s.EnsureTag(ctx, "Unused")
	tags, _ := s.APITags(ctx, "", 1)
	more, _ := s.APITags(ctx, tags[0].Slug, 10)
	if len(tags) != 1 || tags[0].Slug != "harbour" || len(more) != 1 || more[0].Slug != "liman" {
		t.Errorf("tags %v then %v, want harbour then liman", tags, more)
	}

	testAPIKeys(t, s)
}

func testAPIKeys(t *testing.T, s store.Store) {
	ctx := context.Background()
	uid, err := s.CreateUser(ctx, store.User{Email: "keys@example.com", Name: "Kim Keys", Role: store.RoleAdmin, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.CreateAPIKey(ctx, store.APIKey{Name: "Partner", Hash: "abc123", CreatedBy: uid, CreatedAt: base})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAPIKey(ctx, store.APIKey{Name: "Again", Hash: "abc123"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate hash: %v, want ErrConflict", err)
	}
	if _, err := s.CreateAPIKey(ctx, store.APIKey{Name: "", Hash: "def"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("no name: %v, want ErrInvalid", err)
	}
	k, err := s.APIKeyByHash(ctx, "abc123")
	if err != nil || k.ID != id || k.CreatedByName != "Kim Keys" || !k.CreatedAt.Equal(base) || !k.LastUsedAt.IsZero() {
		t.Fatalf("by hash: %+v %v", k, err)
	}
	if _, err := s.APIKeyByHash(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown hash: %v", err)
	}
	s.TouchAPIKey(ctx, id, base.Add(time.Hour))
	if err := s.RevokeAPIKey(ctx, id, base.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	s.RevokeAPIKey(ctx, id, base.Add(3*time.Hour))
	if err := s.RevokeAPIKey(ctx, 9999, base); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoke unknown: %v", err)
	}
	list, err := s.APIKeys(ctx)
	if err != nil || len(list) != 1 || !list[0].LastUsedAt.Equal(base.Add(time.Hour)) || !list[0].RevokedAt.Equal(base.Add(2*time.Hour)) {
		t.Errorf("keys %+v %v", list, err)
	}
}
