package newsroom_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// TestNewsroomSearchUsesTheEngine finds stories by words anywhere in them,
// drafts included on the desk, published only in the related picker.
func TestNewsroomSearchUsesTheEngine(t *testing.T) {
	site := newSite(t)
	site.MustUser("ed@example.com", "Eda", store.RoleEditor, pw)
	c := testutil.NewClient(site.Handler)
	c.Login("ed@example.com", pw)
	ctx := context.Background()
	sec, _ := site.Store.SectionBySlug(ctx, "world")
	now := time.Now()
	mk := func(headline, body string, status story.Status) int64 {
		st := &story.Story{Section: sec, Headline: headline, Slug: story.Slugify(headline, 80), Language: "en",
			Type: story.TypeNews, Status: status, Body: story.ParseBody(body)}
		if status == story.StatusPublished {
			st.FirstPublishedAt, st.PublishedAt, st.UpdatedAt = now, now, now
		}
		id, err := site.Store.CreateStory(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	draft := mk("Port talks resume", "Negotiators met at the Zeppelinmarkt hall on Monday.", story.StatusDraft)
	live := mk("Harbour reopens", "Trade through the Zeppelinmarkt quay resumed.", story.StatusPublished)

	desk := c.Get("/newsroom/stories?q=zeppelinmarkt").Body.String()
	for _, id := range []int64{draft, live} {
		if !strings.Contains(desk, `href="/newsroom/stories/`+itoa64(id)+`"`) {
			t.Errorf("the desk search misses story %d", id)
		}
	}
	var hits []struct {
		ID int64 `json:"id"`
	}
	w := c.Get("/newsroom/stories/search?q=zeppelinmarkt")
	if err := json.Unmarshal(w.Body.Bytes(), &hits); err != nil {
		t.Fatalf("picker: %v %s", err, w.Body.String())
	}
	if len(hits) != 1 || hits[0].ID != live {
		t.Errorf("picker found %+v, want only the published story %d", hits, live)
	}
	// A word still being typed falls back to headline words.
	if !strings.Contains(c.Get("/newsroom/stories?q=Harbo").Body.String(), "Harbour reopens") {
		t.Error("a partial headline word finds nothing")
	}
}

func itoa64(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
