package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// TestBodyLimits sends a body over its limit to every state-changing
// route of the site, the newsroom and the API, signed in as an admin,
// once with its length announced and once streamed without one: each is
// refused with 413 and words saying why, never a 500, and nothing is
// changed. A form of ordinary size still goes through.
func TestBodyLimits(t *testing.T) {
	s, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Store.Close()
	ctx := context.Background()
	admin := s.MustUser("admin@dateline.test", "Admin", store.RoleAdmin, crashPassword)
	c := testutil.NewClient(s.Handler)
	if !c.Login("admin@dateline.test", crashPassword) {
		t.Fatal("login failed")
	}
	sec, _ := s.Store.SectionBySlug(ctx, "world")
	id, err := s.Store.CreateStory(ctx, &story.Story{Language: "en", Type: story.TypeNews, Status: story.StatusDraft,
		Section: sec, Headline: "Limits", Body: story.ParseBody("Text.")})
	if err != nil {
		t.Fatal(err)
	}
	rev, err := s.Store.AddRevision(ctx, store.Revision{StoryID: id, Kind: "save", Snapshot: story.Story{ID: id, Headline: "Limits"}})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := s.Store.AddMessage(ctx, store.Message{Kind: "feedback", Body: "Hello", CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	sid, rid, uid, mid := strconv.FormatInt(id, 10), strconv.FormatInt(rev, 10), strconv.FormatInt(admin, 10), strconv.FormatInt(msg, 10)
	secID := strconv.FormatInt(sec.ID, 10)

	routes := []struct {
		path      string
		limit     int64 // the limit the answer is about
		multipart bool
	}{
		{"/contact", 64 << 10, false},
		{"/feedback", 64 << 10, false},
		{"/newsroom/login", 64 << 10, false},
		{"/newsroom/logout", 64 << 10, false},
		{"/newsroom/logout-everywhere", 64 << 10, false},
		{"/newsroom/sources", 64 << 10, false},
		{"/newsroom/sources/1", 64 << 10, false},
		{"/newsroom/settings", 256 << 10, false},
		{"/newsroom/sections", 64 << 10, false},
		{"/newsroom/sections/" + secID, 64 << 10, false},
		{"/newsroom/sections/" + secID + "/move", 64 << 10, false},
		{"/newsroom/inbox/" + mid + "/handled", 64 << 10, false},
		{"/newsroom/stories/new", 22 << 20, false},
		{"/newsroom/stories/" + sid, 22 << 20, false},
		{"/newsroom/stories/" + sid + "/autosave", 2 << 20, false},
		{"/newsroom/stories/" + sid + "/preview", 22 << 20, false},
		{"/newsroom/stories/" + sid + "/share", 64 << 10, false},
		{"/newsroom/stories/" + sid + "/publish", 64 << 10, false},
		{"/newsroom/stories/" + sid + "/notes", 64 << 10, false},
		{"/newsroom/stories/" + sid + "/revisions/" + rid + "/restore", 64 << 10, false},
		{"/newsroom/curation", 64 << 10, false},
		{"/newsroom/curation/breaking", 64 << 10, false},
		{"/newsroom/curation/breaking/clear", 64 << 10, false},
		{"/newsroom/users", 64 << 10, false},
		{"/newsroom/users/" + uid, 64 << 10, false},
		{"/newsroom/users/" + uid + "/password", 64 << 10, false},
		{"/newsroom/api-keys", 64 << 10, false},
		{"/newsroom/api-keys/1/revoke", 64 << 10, false},
		{"/newsroom/media", 15 << 20, true},
		{"/newsroom/media/1", 64 << 10, false},
		{"/newsroom/webhooks", 64 << 10, false},
		{"/newsroom/webhooks/1/enabled", 64 << 10, false},
		{"/newsroom/webhooks/1/delete", 64 << 10, false},
		{"/newsroom/webhooks/1/test", 64 << 10, false},
		{"/api/v1/stories", 64 << 10, false},
	}
	before := snapshot(t, s)
	for _, rt := range routes {
		for _, announced := range []bool{true, false} {
			name := rt.path + "/streamed"
			if announced {
				name = rt.path + "/announced"
			}
			t.Run(name, func(t *testing.T) {
				// A little over the route's limit; announced bodies are
				// judged by their length before a byte is read.
				size := rt.limit + 64<<10
				var body io.Reader = &filler{n: size, head: "headline=x&body="}
				ctype := "application/x-www-form-urlencoded"
				if rt.multipart {
					body = &filler{n: size, head: "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff"}
					ctype = "multipart/form-data; boundary=b"
				}
				r := httptest.NewRequest(http.MethodPost, rt.path, body)
				r.Header.Set("Content-Type", ctype)
				if announced {
					r.ContentLength = size
				} else {
					r.ContentLength = -1
				}
				w := c.Do(r)
				if w.Code != http.StatusRequestEntityTooLarge {
					t.Fatalf("%d, want 413: %.300s", w.Code, w.Body)
				}
				text := strings.ToLower(w.Body.String())
				if !strings.Contains(text, "large") {
					t.Errorf("the 413 does not say why: %.300s", w.Body)
				}
				if strings.HasPrefix(rt.path, "/api/") {
					var e struct{ Error struct{ Code string } }
					if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code != "body_too_large" {
						t.Errorf("API 413 is not its JSON error: %v %s", err, w.Body)
					}
				}
			})
		}
	}
	if after := snapshot(t, s); after != before {
		t.Errorf("refused requests changed the store:\n%s\n%s", before, after)
	}
	if w := c.Get("/newsroom/"); w.Code != http.StatusOK {
		t.Errorf("the admin's session did not survive (logout refused): %d", w.Code)
	}
	// Ordinary sizes pass: a reader's message and a long story.
	if w := c.PostForm("/feedback", url.Values{"message": {strings.Repeat("Good. ", 500)}}); w.Code != http.StatusSeeOther {
		t.Errorf("ordinary feedback: %d", w.Code)
	}
	long := url.Values{"headline": {"A long story"}, "section": {secID}, "type": {"news"}, "language": {"en"},
		"body": {strings.Repeat("A paragraph of a long story, well within the limit.\n\n", 3000)}, "action": {"save"}}
	if w := c.PostForm("/newsroom/stories/new", long); w.Code != http.StatusSeeOther {
		t.Errorf("a 150 KB story: %d", w.Code)
	}
}

// filler is a body of n bytes: head, then letters.
type filler struct {
	n    int64
	head string
	off  int64
}

func (f *filler) Read(p []byte) (int, error) {
	if f.off >= f.n {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && f.off < f.n {
		if f.off < int64(len(f.head)) {
			p[k] = f.head[f.off]
		} else {
			p[k] = 'a'
		}
		k++
		f.off++
	}
	return k, nil
}

// snapshot is every row of the tables the routes could change.
func snapshot(t *testing.T, s *testutil.Site) string {
	t.Helper()
	db := openRaw(t, s.Config.DB)
	var out []string
	for _, table := range []string{"stories", "story_revisions", "story_notes", "messages", "sections", "users", "api_keys", "media", "webhook_endpoints", "sources"} {
		rows := rowSet(t, db, table)
		keys := make([]string, 0, len(rows))
		for k := range rows {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out = append(out, table+": "+strings.Join(keys, " | "))
	}
	return strings.Join(out, "\n")
}
