package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/internal/story"
	"dateline/internal/testutil"
)

func newSite(t *testing.T) *testutil.Site {
	t.Helper()
	site, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { site.Close() })
	return site
}

// mustPublish stores a published story in the site's one section.
func mustPublish(t testing.TB, site *testutil.Site, headline string) int64 {
	t.Helper()
	return mustCreate(t, site, headline, story.StatusPublished)
}

func mustCreate(t testing.TB, site *testutil.Site, headline string, status story.Status) int64 {
	t.Helper()
	ctx := context.Background()
	sec, err := site.Store.SectionBySlug(ctx, "world")
	if err != nil {
		t.Fatal(err)
	}
	st := &story.Story{Section: sec, Headline: headline, Slug: story.Slugify(headline, 80), Language: "en",
		Type: story.TypeNews, Status: status, Body: story.ParseBody("Words of " + headline + ".")}
	if status == story.StatusPublished {
		st.FirstPublishedAt, st.PublishedAt, st.UpdatedAt = site.Now, site.Now, site.Now
	}
	id, err := site.Store.CreateStory(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// setStatus changes a story's status through the store, as the workflow
// (an editor's unpublish, an agency's kill) does.
func setStatus(t testing.TB, site *testutil.Site, id int64, to story.Status) time.Time {
	t.Helper()
	ctx := context.Background()
	st, err := site.Store.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	st.Status = to
	if err := site.Store.UpdateStory(ctx, st); err != nil {
		t.Fatal(err)
	}
	return st.ModifiedAt
}

// stampNow is an updated_since value just after the story's last change.
func stampNow(t testing.TB, site *testutil.Site, id int64) string {
	t.Helper()
	st, err := site.Store.Story(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return url.QueryEscape(st.ModifiedAt.Format(time.RFC3339Nano))
}

// TestChangeList: with updated_since, a partner gets every story changed
// since, oldest change first, those taken down as tombstones, and polls on
// from next_cursor without missing or repeating a change.
func TestChangeList(t *testing.T) {
	site := newSite(t)
	a := mustPublish(t, site, "Story A")
	b := mustPublish(t, site, "Story B")
	c := mustPublish(t, site, "Story C")
	draft := mustCreate(t, site, "Never published", story.StatusDraft)
	since := stampNow(t, site, draft)

	setStatus(t, site, b, story.StatusKilled)
	setStatus(t, site, a, story.StatusPublished) // an update
	setStatus(t, site, c, story.StatusUnpublished)
	setStatus(t, site, draft, story.StatusSubmitted) // never public: not listed

	res := call(t, site.Handler, http.MethodGet, "/api/v1/stories?updated_since="+since, "")
	var p page
	decode(t, res, &p)
	got := docs(t, p.Data)
	var order []string
	for _, d := range got {
		order = append(order, d.URI+" "+d.PubStatus)
	}
	want := []string{storyURI(b) + " canceled", storyURI(a) + " usable", storyURI(c) + " canceled"}
	if !slices.Equal(order, want) {
		t.Fatalf("change list %v, want %v", order, want)
	}
	for _, raw := range []string{string(p.Data[0]), string(p.Data[2])} {
		if strings.Contains(raw, "headline") || strings.Contains(raw, "bodies") || !strings.Contains(raw, `"versionCreated"`) {
			t.Errorf("tombstone carries content or lacks its time: %s", raw)
		}
	}
	if p.HasMore || p.NextCursor == nil {
		t.Fatalf("want has_more false and a cursor to poll from, got %v %v", p.HasMore, p.NextCursor)
	}
	// Nothing new: the same cursor comes back.
	poll := "/api/v1/stories?updated_since=" + since + "&cursor=" + url.QueryEscape(*p.NextCursor)
	var again page
	decode(t, call(t, site.Handler, http.MethodGet, poll, ""), &again)
	if len(again.Data) != 0 || again.NextCursor == nil || *again.NextCursor != *p.NextCursor {
		t.Errorf("poll with nothing new: %d items, cursor %v", len(again.Data), again.NextCursor)
	}
	// A story republished after its kill comes back, once, in full.
	setStatus(t, site, b, story.StatusWithheld)
	decode(t, call(t, site.Handler, http.MethodGet, poll, ""), &again)
	if g := docs(t, again.Data); len(g) != 1 || g[0].URI != storyURI(b) || g[0].PubStatus != "withheld" {
		t.Errorf("after withholding B: %s", again.Data)
	}

	// One story at a time: a page of one, three times, then done.
	if all := walk(t, site.Handler, "/api/v1/stories?limit=1&updated_since="+since, ""); len(all) != 3 {
		t.Errorf("walking one a page: %d items, want 3", len(all))
	}
	// The public show answers 410 for taken down, 404 for withheld.
	for id, status := range map[int64]int{c: http.StatusGone, b: http.StatusNotFound, draft: http.StatusNotFound, a: http.StatusOK} {
		res := call(t, site.Handler, http.MethodGet, strings.TrimPrefix(storyURI(id), "http://dateline.test"), "")
		if res.status != status {
			t.Errorf("story %d: %d, want %d", id, res.status, status)
		}
		if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("story %d: Content-Type %q", id, ct)
		}
	}
}
