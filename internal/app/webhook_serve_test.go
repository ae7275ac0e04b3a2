package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/internal/store/sqlite"
	"dateline/internal/story"
	"dateline/internal/webhook"
)

// TestServeSendsWebhooks: `dateline serve` runs the dispatcher and sender,
// so a story published while it runs reaches a partner and the WebSub hub.
func TestServeSendsWebhooks(t *testing.T) {
	var mu sync.Mutex
	got := map[string]string{} // path → body
	partner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got[r.URL.Path] = string(b)
		mu.Unlock()
	}))
	defer partner.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "site.db")
	_, _, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--allow-private-targets", "--websub-hub", partner.URL + "/hub"},
		map[string]string{"DATELINE_DB": db, "DATELINE_MEDIA_DIR": filepath.Join(dir, "media")})

	ctx := context.Background()
	st, err := sqlite.Open(ctx, db, nil) // a second handle on the running server's file
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := webhook.Register(ctx, st, webhook.Targets{AllowPrivate: true}, partner.URL+"/hook", []string{"published"}); err != nil {
		t.Fatal(err)
	}
	sid, err := st.CreateSection(ctx, story.Section{Slug: "world", Name: "World"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := st.CreateStory(ctx, &story.Story{Section: story.Section{ID: sid}, Headline: "Live from serve", Slug: "live-from-serve",
		Language: "en", Type: story.TypeNews, Status: story.StatusPublished, Body: story.ParseBody("Words."),
		FirstPublishedAt: now, PublishedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		hook, hub := got["/hook"], got["/hub"]
		mu.Unlock()
		if hook != "" && hub != "" {
			if !strings.Contains(hook, `"kind":"published"`) || !strings.Contains(hook, "Live from serve") || !strings.Contains(hub, "hub.mode=publish") {
				t.Errorf("webhook %s, hub %s", hook, hub)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve sent no webhook and no hub ping: %v", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
}
