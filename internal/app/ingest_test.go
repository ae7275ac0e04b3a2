package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"dateline/internal/app"
	"dateline/internal/store"
	"dateline/internal/testutil"
)

// brokenWireFiles are the shared samples that are not JSON at all, the
// only files of the shared tree an import must report as failed.
var brokenWireFiles = []string{
	"wire/ninjs/test_suite/1.0/should_fail/009_body_text_with_cr.json",
	"wire/ninjs/test_suite/1.0/should_fail/010_body_must_be_string.json",
	"wire/ninjs/test_suite/1.0/should_fail/011_description_must_be_string.json",
	"wire/ninjs/test_suite/1.0/should_fail/012_location_not_object.json",
	"wire/ninjs/test_suite/1.3/should_fail/006_bad_genre.json",
}

type ingestOut struct {
	stdout, stderr string
	err            error
	counts         map[string]int
}

// runIngest runs `dateline ingest` like main does, on the site's store.
func runIngest(t *testing.T, site *testutil.Site, args ...string) ingestOut {
	t.Helper()
	var out, errb bytes.Buffer
	args = append([]string{"ingest", "--db", site.Config.DB, "--media-dir", site.Config.MediaDir}, args...)
	err := app.RunWithInput(context.Background(), args, env(nil), nil, &out, &errb)
	res := ingestOut{stdout: out.String(), stderr: errb.String(), err: err, counts: map[string]int{}}
	m := regexp.MustCompile(`(?m)^imported=(\d+) updated=(\d+) killed=(\d+) skipped=(\d+) failed=(\d+)$`).FindStringSubmatch(res.stdout)
	if m == nil {
		t.Fatalf("no summary line in\n%s\nerr %v", res.stdout, err)
	}
	for i, k := range []string{"imported", "updated", "killed", "skipped", "failed"} {
		var n int
		fmt.Sscan(m[i+1], &n)
		res.counts[k] = n
	}
	if !strings.HasSuffix(strings.TrimSpace(res.stdout), m[0]) {
		t.Errorf("the summary line is not the last line:\n%s", res.stdout)
	}
	return res
}

func newIngestSite(t *testing.T) *testutil.Site {
	t.Helper()
	site, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { site.Store.Close() })
	return site
}

func TestIngestSharedTree(t *testing.T) {
	site := newIngestSite(t)
	shared := testutil.SharedTestdata(t)
	// --no-fetch: the samples name real agencies' picture servers, which a
	// test must not reach.
	first := runIngest(t, site, filepath.Join(shared, "wire"), filepath.Join(shared, "feeds"), "--publish", "--source", "DTW", "--no-fetch")
	if app.ExitCode(first.err) != 1 {
		t.Errorf("exit code %d (%v), want 1: five files are broken", app.ExitCode(first.err), first.err)
	}
	c := first.counts
	if c["failed"] != len(brokenWireFiles) || c["imported"] < 100 || c["updated"] != 0 || c["killed"] != 0 || c["skipped"] < 200 {
		t.Errorf("counts %v", c)
	}
	for _, f := range brokenWireFiles {
		if !strings.Contains(first.stdout, filepath.Join(shared, f)+": unreadable wire file: broken JSON") {
			t.Errorf("%s not reported as failed with its reason", f)
		}
	}
	for _, want := range []string{"LISTING_17_Planning_Item_a_CCL.xml urn:newsml:iptc.org:20101025:gbmrmdreis4711: planning item, not a text story",
		"nitf-3-6.xsd: an XML Schema, not news copy", "LISTING_13_Complete_Catalog_Item.xml urn:newsml:iptc.org:20130517:catalog: catalog item"} {
		if !strings.Contains(first.stdout, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if !strings.Contains(first.stderr, "ingest: 384/384 files (100%)") && !strings.Contains(first.stderr, "(100%)") {
		t.Errorf("no progress on stderr:\n%s", first.stderr)
	}
	n, err := site.Store.CountStories(context.Background())
	if err != nil || n != c["imported"] {
		t.Errorf("%d stories for %d imported (%v)", n, c["imported"], err)
	}
	// Again: nothing new, every item already imported.
	again := runIngest(t, site, filepath.Join(shared, "wire"), filepath.Join(shared, "feeds"), "--publish", "--source", "DTW", "--no-fetch")
	if a := again.counts; a["imported"] != 0 || a["updated"] != 0 || a["killed"] != 0 || a["failed"] != 5 || a["skipped"] != c["imported"]+c["skipped"] {
		t.Errorf("re-import counts %v after %v", a, c)
	}
	if !strings.Contains(again.stdout, "LISTING_2_NewsML-G2_Text_Document.xml urn:newsml:acmenews.com:20161121:US-FINANCE-FED: version 11 already imported") {
		t.Errorf("re-import does not say why LISTING_2 was skipped:\n%s", again.stdout)
	}
	if m, _ := site.Store.CountStories(context.Background()); m != n {
		t.Errorf("re-import made %d stories, had %d", m, n)
	}
}

// storyOf returns the path of the story made from a wire item.
func storyOf(t *testing.T, site *testutil.Site, guid string) (int64, string) {
	t.Helper()
	items, err := site.Store.WireItems(context.Background(), store.WireQuery{GUID: guid})
	if err != nil || len(items) == 0 || items[0].StoryID == 0 {
		t.Fatalf("no story for %s: %+v %v", guid, items, err)
	}
	st, err := site.Store.Story(context.Background(), items[0].StoryID)
	if err != nil {
		t.Fatal(err)
	}
	return st.ID, st.Path()
}

func get(t *testing.T, site *testutil.Site, path string) (int, string) {
	t.Helper()
	rec := testutil.NewClient(site.Handler).Get(path)
	return rec.Code, rec.Body.String()
}

func TestIngestVersionsAndKill(t *testing.T) {
	site := newIngestSite(t)
	own := "../wire/testdata/"
	guid := "urn:newsml:dateline.test:20260101:harbour-strike"
	if r := runIngest(t, site, own+"g2_harbour_v1.xml", "--publish", "--source", "DTW"); r.err != nil || r.counts["imported"] != 1 {
		t.Fatalf("v1: %v %v\n%s", r.err, r.counts, r.stdout)
	}
	id, path := storyOf(t, site, guid)
	code, body := get(t, site, path)
	if code != http.StatusOK || !strings.Contains(body, "Harbour workers strike in Rotterdam") || !strings.Contains(body, "Dock workers walked out at dawn.") {
		t.Fatalf("v1 page: %d", code)
	}
	v1, _ := site.Store.Story(context.Background(), id)
	if r := runIngest(t, site, own+"g2_harbour_v2_update.xml", "--publish", "--source", "DTW"); r.counts["updated"] != 1 {
		t.Fatalf("v2: %v\n%s", r.counts, r.stdout)
	}
	v2, _ := site.Store.Story(context.Background(), id)
	if v2.Headline != "Harbour strike in Rotterdam ends after talks" || v2.WireVersion != 2 || !v2.UpdatedAt.After(v1.UpdatedAt) ||
		!v2.FirstPublishedAt.Equal(v1.FirstPublishedAt) || v2.Path() != path && v2.ID != id {
		t.Errorf("after v2: %+v", v2)
	}
	revs, err := site.Store.Revisions(context.Background(), id)
	if err != nil || len(revs) != 2 || revs[0].Kind != "wire" {
		t.Errorf("revisions after v2: %d %v", len(revs), err)
	}
	if code, body = get(t, site, path); code != http.StatusOK || !strings.Contains(body, "The union called off the strike") {
		t.Errorf("v2 page: %d", code)
	}
	// The update reaches the feed, the news sitemap and the API at once.
	for _, p := range []string{"/rss.xml", "/sitemap-news.xml", fmt.Sprintf("/api/v1/stories/%d", id)} {
		if code, body = get(t, site, p); code != http.StatusOK || !strings.Contains(body, "Harbour strike in Rotterdam ends after talks") {
			t.Errorf("%s after v2: %d, new headline missing", p, code)
		}
	}
	// The older version again changes nothing.
	if r := runIngest(t, site, own+"g2_harbour_v1.xml", "--publish", "--source", "DTW"); r.counts["skipped"] != 1 ||
		!strings.Contains(r.stdout, "version 2 already imported") {
		t.Errorf("v1 again: %v\n%s", r.counts, r.stdout)
	}
	if r := runIngest(t, site, own+"g2_harbour_v3_kill.xml", "--source", "DTW"); r.counts["killed"] != 1 {
		t.Fatalf("kill: %v\n%s", r.counts, r.stdout)
	}
	if code, _ = get(t, site, path); code != http.StatusGone {
		t.Errorf("killed story answers %d, want 410", code)
	}
	if _, body = get(t, site, "/"); strings.Contains(body, "Harbour strike") {
		t.Error("the killed story is still on the front page")
	}
	// And it leaves the feeds and sitemaps; partners see a tombstone.
	for _, p := range []string{"/rss.xml", "/atom.xml", "/feed.json", "/sitemap-news.xml", "/sitemap-stories-1.xml"} {
		code, body = get(t, site, p)
		if p == "/sitemap-stories-1.xml" && code == http.StatusNotFound {
			continue // no published story left in that block of ids
		}
		if code != http.StatusOK || strings.Contains(body, "Harbour strike") || strings.Contains(body, path) {
			t.Errorf("%s after the kill: %d, still lists the story", p, code)
		}
	}
	if code, _ = get(t, site, fmt.Sprintf("/api/v1/stories/%d", id)); code != http.StatusGone {
		t.Errorf("API after the kill: %d, want 410", code)
	}
	if _, body = get(t, site, "/api/v1/stories?updated_since=2000-01-01T00:00:00Z"); !strings.Contains(body, `"canceled"`) {
		t.Errorf("the change list has no tombstone for the killed story:\n%.400s", body)
	}
}

func TestIngestWithheldEmbargoAndDuplicates(t *testing.T) {
	site := newIngestSite(t)
	own := "../wire/testdata/"
	runIngest(t, site, own+"g2_court_v1.xml", "--publish", "--source", "DTW")
	_, path := storyOf(t, site, "urn:newsml:dateline.test:20260101:court-ruling")
	if r := runIngest(t, site, own+"g2_court_v2_withheld.xml", "--source", "DTW"); r.counts["killed"] != 1 {
		t.Fatalf("withheld: %v", r.counts)
	}
	if code, _ := get(t, site, path); code != http.StatusNotFound {
		t.Errorf("withheld story answers %d, want 404", code)
	}
	if r := runIngest(t, site, own+"g2_court_v3_released.xml", "--source", "DTW"); r.counts["updated"] != 1 {
		t.Fatalf("release: %v", r.counts)
	}
	if code, _ := get(t, site, path); code != http.StatusOK {
		t.Errorf("released story answers %d, want 200", code)
	}
	// Embargoed until 2099, even with --publish.
	runIngest(t, site, own+"g2_budget_embargoed.xml", "--publish", "--source", "DTW")
	id, epath := storyOf(t, site, "urn:newsml:dateline.test:20260101:budget-embargo")
	if code, _ := get(t, site, epath); code != http.StatusNotFound {
		t.Errorf("embargoed story answers %d before its embargo, want 404", code)
	}
	meta, err := site.Store.StoryMeta(context.Background(), id)
	if err != nil || meta.ScheduledAt.Year() != 2099 {
		t.Errorf("embargoed story scheduled at %v (%v)", meta.ScheduledAt, err)
	}
	// The same file twice in one run, and a copy under another name:
	// one story.
	dir := t.TempDir()
	data, err := os.ReadFile(own + "ninjs3_picture.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a.json", "b.json"} {
		if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := site.Store.CountStories(context.Background())
	r := runIngest(t, site, dir, own+"ninjs3_picture.json", "--publish", "--source", "DTW", "--no-fetch")
	if r.counts["imported"] != 1 || r.counts["skipped"] != 2 || !strings.Contains(r.stdout, "1 pictures were not fetched") {
		t.Errorf("duplicates: %v\n%s", r.counts, r.stdout)
	}
	if after, _ := site.Store.CountStories(context.Background()); after != before+1 {
		t.Errorf("%d stories after importing one item three times, had %d", after, before)
	}
	// The same copy from another source is queued and flagged.
	r = runIngest(t, site, own+"ninjs3_picture.json", "--source", "Other", "--no-fetch")
	if r.counts["imported"] != 1 || !strings.Contains(r.stdout, "1 items repeat copy another source sent: flagged for the wire desk") {
		t.Errorf("copy from another source: %v\n%s", r.counts, r.stdout)
	}
}

func TestIngestUsage(t *testing.T) {
	var out bytes.Buffer
	err := app.Run(context.Background(), []string{"ingest", "--db", filepath.Join(t.TempDir(), "x.db")}, env(nil), &out, &out)
	var ue interface{ Error() string }
	if app.ExitCode(err) != 2 || !errors.As(err, &ue) || !strings.Contains(err.Error(), "name at least one file") {
		t.Errorf("no paths: %v", err)
	}
	err = app.Run(context.Background(), []string{"ingest", filepath.Join(t.TempDir(), "missing.xml"), "--db", filepath.Join(t.TempDir(), "x.db")}, env(nil), &out, &out)
	if app.ExitCode(err) != 1 || !strings.Contains(err.Error(), "missing.xml") {
		t.Errorf("missing file: %v", err)
	}
}
