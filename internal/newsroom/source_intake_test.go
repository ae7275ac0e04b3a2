package newsroom_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

func TestSourceIntakeSettings(t *testing.T) {
	site := newSite(t)
	site.MustUser("admin@example.com", "Ada Admin", store.RoleAdmin, pw)
	site.MustUser("ed@example.com", "Eda Editor", store.RoleEditor, pw)
	admin, editor := testutil.NewClient(site.Handler), testutil.NewClient(site.Handler)
	admin.Login("admin@example.com", pw)
	editor.Login("ed@example.com", pw)
	ctx := context.Background()
	src, err := site.Store.EnsureSource(ctx, story.Source{Label: "AA", Name: "Anadolu Agency"})
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("/newsroom/sources/%d", src.ID)
	folder := t.TempDir()
	good := url.Values{"folder": {folder}, "feed_url": {"https://agency.example/feed.xml"}, "poll_minutes": {"10"}, "arrival": {"publish"}}
	if w := editor.PostForm(base+"/intake", good); w.Code != http.StatusForbidden {
		t.Errorf("editor sets intake: %d, want 403", w.Code)
	}
	if w := editor.PostForm(base+"/push-token", nil); w.Code != http.StatusForbidden {
		t.Errorf("editor makes a token: %d, want 403", w.Code)
	}
	for name, bad := range map[string]url.Values{
		"relative folder": {"folder": {"wire/aa"}},
		"missing folder":  {"folder": {folder + "/nope"}},
		"ftp feed":        {"feed_url": {"ftp://agency.example/feed"}, "poll_minutes": {"5"}},
		"no interval":     {"feed_url": {"https://agency.example/feed"}, "poll_minutes": {"0"}},
	} {
		if w := admin.PostForm(base+"/intake", bad); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, w.Code)
		}
	}
	if w := admin.PostForm("/newsroom/sources/99999/intake", url.Values{}); w.Code != http.StatusNotFound {
		t.Errorf("missing source: %d, want 404", w.Code)
	}
	if w := admin.PostForm(base+"/intake", good); w.Code != http.StatusSeeOther {
		t.Fatalf("save intake: %d %s", w.Code, w.Body.String())
	}
	got, err := site.Store.WireIntakes(ctx)
	if err != nil || len(got) != 1 || got[0].Folder != folder || got[0].FeedURL != "https://agency.example/feed.xml" ||
		got[0].PollInterval != 10*time.Minute || !got[0].Publish {
		t.Fatalf("stored intake %+v %v", got, err)
	}
	page := admin.Get("/newsroom/sources").Body.String()
	if !strings.Contains(page, `value="`+folder+`"`) || !strings.Contains(page, "no token yet") {
		t.Error("the sources page does not show the intake")
	}

	// A new push token is shown once, stored hashed, and works.
	w := admin.PostForm(base+"/push-token", nil)
	m := regexp.MustCompile(`<code class="token">([^<]+)</code>`).FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || m == nil {
		t.Fatalf("push token: %d", w.Code)
	}
	hash, publish, err := site.Store.WirePushToken(ctx, src.ID)
	if err != nil || hash != auth.TokenID(m[1]) || !publish {
		t.Errorf("stored token %q publish=%v (%v)", hash, publish, err)
	}
	if page := admin.Get("/newsroom/sources").Body.String(); strings.Contains(page, m[1]) || !strings.Contains(page, "a token is set") {
		t.Error("the token is shown again, or not reported as set")
	}
	if w := admin.PostForm(base+"/intake", url.Values{"arrival": {"queue"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("queue: %d", w.Code)
	}
	if _, publish, _ := site.Store.WirePushToken(ctx, src.ID); publish {
		t.Error("the push token still publishes on arrival")
	}
	log, _ := site.Store.AuditLog(ctx, 0, 3)
	if len(log) < 3 || log[0].Action != "source_intake" || log[1].Action != "source_push_token" {
		t.Errorf("audit %+v", log)
	}
}
