package push_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"dateline/internal/app"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
	"dateline/internal/wire"
)

// newToken makes a push token for source AA with the real command.
func newToken(t *testing.T, site *testutil.Site, extra ...string) string {
	t.Helper()
	var out bytes.Buffer
	args := append(append([]string{"ingest", "--push-token", "--source", "AA"}, site.StoreFlags()...), extra...)
	if err := app.Run(context.Background(), args, func(string) string { return "" }, &out, &out); err != nil {
		t.Fatalf("push-token: %v\n%s", err, out.String())
	}
	m := regexp.MustCompile(`(?m)^token: (\S+)$`).FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "/api/v1/wire/aa") {
		t.Fatalf("no token in\n%s", out.String())
	}
	return m[1]
}

type pushed struct {
	Items []struct {
		GUID    string `json:"guid"`
		Outcome string `json:"outcome"`
		StoryID int64  `json:"story_id"`
	} `json:"items"`
	Error string `json:"error"`
}

func push(t *testing.T, site *testutil.Site, source, token string, body []byte) (*httptest.ResponseRecorder, pushed) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/wire/"+source, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/xml")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	site.Handler.ServeHTTP(rec, req)
	var p pushed
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("%d, not JSON: %s", rec.Code, rec.Body.String())
	}
	return rec, p
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestPushTokens(t *testing.T) {
	site, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	item := read(t, "g2_harbour_v1.xml")
	queued := newToken(t, site)

	rec, p := push(t, site, "aa", "", item)
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" || !strings.Contains(p.Error, "missing bearer token") {
		t.Errorf("no token: %d %+v", rec.Code, p)
	}
	if rec, p = push(t, site, "aa", queued+"x", item); rec.Code != http.StatusUnauthorized || !strings.Contains(p.Error, "wrong bearer token") {
		t.Errorf("wrong token: %d %+v", rec.Code, p)
	}
	if rec, p = push(t, site, "nope", queued, item); rec.Code != http.StatusNotFound {
		t.Errorf("unknown source: %d %+v", rec.Code, p)
	}
	rec, p = push(t, site, "aa", queued, item)
	if rec.Code != http.StatusOK || len(p.Items) != 1 || p.Items[0].Outcome != "queued" || p.Items[0].StoryID != 0 {
		t.Fatalf("good token: %d %s", rec.Code, rec.Body.String())
	}
	if rec, p = push(t, site, "aa", queued, item); rec.Code != http.StatusOK || p.Items[0].Outcome != "skipped" {
		t.Errorf("same item again: %d %s", rec.Code, rec.Body.String())
	}
	if rec, p = push(t, site, "aa", queued, []byte(`{"uri": "x", "headline": `)); rec.Code != http.StatusBadRequest || !strings.Contains(p.Error, "broken JSON") {
		t.Errorf("broken body: %d %+v", rec.Code, p)
	}
	if rec, _ = push(t, site, "aa", queued, make([]byte, wire.MaxFileSize+10)); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", rec.Code)
	}

	// A new token, for publishing, replaces the old one.
	publishing := newToken(t, site, "--publish")
	if rec, _ = push(t, site, "aa", queued, item); rec.Code != http.StatusUnauthorized {
		t.Errorf("replaced token still works: %d", rec.Code)
	}
	rec, p = push(t, site, "aa", publishing, read(t, "g2_court_v1.xml"))
	if rec.Code != http.StatusOK || p.Items[0].Outcome != "imported" || p.Items[0].StoryID == 0 {
		t.Fatalf("publishing push: %d %s", rec.Code, rec.Body.String())
	}
	st, err := site.Store.Story(context.Background(), p.Items[0].StoryID)
	if err != nil || st.Source == nil || st.Source.Label != "AA" {
		t.Fatalf("pushed story: %+v %v", st, err)
	}
	if code := testutil.NewClient(site.Handler).Get(st.Path()).Code; code != http.StatusOK {
		t.Errorf("pushed story answers %d", code)
	}
}

// TestPushRouting: the push endpoint applies the routing rules. A token
// that queues on arrival still publishes an item a rule publishes, in the
// rule's section; an item no rule matches is queued.
func TestPushRouting(t *testing.T) {
	site, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	ctx := context.Background()
	token := newToken(t, site)
	bizID, err := site.Store.CreateSection(ctx, story.Section{Slug: "business", Name: "Business", Position: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The harbour item's subject is the economy topic.
	if _, err := site.Store.CreateWireRoute(ctx, store.WireRoute{Subject: "medtop:04000000", SectionID: bizID, Publish: true}); err != nil {
		t.Fatal(err)
	}
	rec, p := push(t, site, "aa", token, read(t, "g2_harbour_v1.xml"))
	if rec.Code != http.StatusOK || p.Items[0].Outcome != "imported" {
		t.Fatalf("routed push: %d %s", rec.Code, rec.Body.String())
	}
	if st, err := site.Store.Story(ctx, p.Items[0].StoryID); err != nil || st.Section.ID != bizID {
		t.Errorf("routed story: %+v %v", st, err)
	}
	if rec, p = push(t, site, "aa", token, read(t, "ninjs3_picture.json")); rec.Code != http.StatusOK || p.Items[0].Outcome != "queued" {
		t.Errorf("unrouted push: %d %s", rec.Code, rec.Body.String())
	}
}
