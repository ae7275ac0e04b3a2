package newsroom_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
	"dateline/internal/wire/ingest"
)

// wireDesk is a site whose queue holds real samples: a NewsML-G2 item
// in two versions, an embargoed one, IPTC's first listing, a dpa item in
// German sent again by a relay (flagged as a near-duplicate) and a ninjs
// item whose picture could not be fetched.
type wireDesk struct {
	site                    *testutil.Site
	admin, editor, reporter *testutil.Client
	ids                     map[string]int64 // queued item id by headline
}

func importAs(t *testing.T, site *testutil.Site, source string, fetch *ingest.Fetcher, path string, edit func(string) string) {
	t.Helper()
	o := ingest.Options{Store: site.Store, Source: source}
	if fetch != nil {
		o.Fetch = fetch.Fetch
	}
	im, err := ingest.New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		data = []byte(edit(string(data)))
	}
	if res, err := im.Import(context.Background(), data); err != nil || len(res) == 0 {
		t.Fatalf("%s: %+v %v", path, res, err)
	}
}

func newWireDesk(t *testing.T) *wireDesk {
	t.Helper()
	site := newSite(t)
	pics := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(pics.Close)
	const g2, shared = "../wire/testdata/", "../../testdata/wire/newsml-g2/"
	importAs(t, site, "DTW", nil, g2+"g2_harbour_v1.xml", nil)
	importAs(t, site, "DTW", nil, g2+"g2_harbour_v2_update.xml", nil)
	importAs(t, site, "DTW", nil, g2+"g2_budget_embargoed.xml", nil)
	importAs(t, site, "IPTC", nil, shared+"iptc-examples/LISTING_1_A_NewsML-G2_News_Item.xml", nil)
	importAs(t, site, "dpa", nil, shared+"real-world/dpa/with_dateline.xml", nil)
	importAs(t, site, "Relay", nil, shared+"real-world/dpa/with_dateline.xml", nil)
	// The picture's address is pointed at a local server, which a
	// fetcher without --allow-private-targets refuses: a real failure.
	importAs(t, site, "DTW", ingest.NewFetcher(site.Media, site.Store, false), g2+"../testdata/ninjs3_picture.json",
		func(s string) string { return strings.ReplaceAll(s, "https://images.example.org", pics.URL) })

	d := &wireDesk{site: site, ids: map[string]int64{}}
	site.MustUser("admin@example.com", "Ada Admin", store.RoleAdmin, pw)
	site.MustUser("ed@example.com", "Eda Editor", store.RoleEditor, pw)
	site.MustUser("rep@example.com", "Remy Reporter", store.RoleReporter, pw)
	d.admin, d.editor, d.reporter = testutil.NewClient(site.Handler), testutil.NewClient(site.Handler), testutil.NewClient(site.Handler)
	d.admin.Login("admin@example.com", pw)
	d.editor.Login("ed@example.com", pw)
	d.reporter.Login("rep@example.com", pw)
	items, err := site.Store.WireQueue(context.Background(), store.WireQueueQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		d.ids[strings.TrimSpace(it.Headline)+" "+fmt.Sprint(it.SourceID)] = it.ID
		d.ids[strings.TrimSpace(it.Headline)] = it.ID
	}
	return d
}

var rowRE = regexp.MustCompile(`(?s)<tr><td><time.*?</tr>`)

// queueRows returns the rows of the queue page at path, as HTML.
func queueRows(t *testing.T, c *testutil.Client, path string) []string {
	t.Helper()
	w := c.Get(path)
	if w.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
	}
	return rowRE.FindAllString(w.Body.String(), -1)
}

func TestWireQueueScreen(t *testing.T) {
	d := newWireDesk(t)
	rows := queueRows(t, d.reporter, "/newsroom/wire")
	// Harbour v1 gave way to v2; everything else waits: 6 rows.
	if len(rows) != 6 {
		t.Fatalf("%d rows in the queue, want 6:\n%s", len(rows), strings.Join(rows, "\n"))
	}
	if !strings.Contains(rows[0], "Ferry passengers rescued off Istanbul") {
		t.Errorf("newest first: first row is %s", rows[0])
	}
	all := strings.Join(rows, "\n")
	for _, want := range []string{"Harbour strike in Rotterdam ends after talks</a>", ">2</td>", "Held until <time datetime=\"2099-01-01T12:00:00Z\"",
		"near-duplicate of dpa's item", ">de</td>", ">DTW</td>"} {
		if !strings.Contains(all, want) {
			t.Errorf("the queue lacks %q", want)
		}
	}
	if strings.Contains(all, "Harbour workers strike in Rotterdam") {
		t.Error("the superseded version is still listed")
	}
	page := d.reporter.Get("/newsroom/wire").Body.String()
	if !strings.Contains(page, `href="/newsroom/wire" aria-current="page">Wire</a>`) {
		t.Error("the navigation has no current Wire link")
	}
	if strings.Contains(d.reporter.Get(fmt.Sprintf("/newsroom/wire/%d", d.ids["Budget to raise spending on ports"])).Body.String(), "/use\"") {
		t.Error("a reporter is offered Use")
	}

	for _, tc := range []struct {
		query string
		want  int
		has   string
	}{
		{"source=dpa", 1, ">dpa</td>"},
		{"source=dtw", 3, ">DTW</td>"},
		{"urgency=2", 1, "Ferry passengers"},
		{"lang=de", 2, ">de</td>"},
		{"q=HARBOUR", 1, "Harbour strike"},
		{"q=bubble", 1, "Fed to halt QE"},
		{"q=zeitenwende&source=relay", 1, "near-duplicate"},
		{"q=nothing-like-this", 0, ""},
	} {
		rows := queueRows(t, d.editor, "/newsroom/wire?"+tc.query)
		if len(rows) != tc.want || tc.want > 0 && !strings.Contains(strings.Join(rows, ""), tc.has) {
			t.Errorf("%s: %d rows, want %d with %q", tc.query, len(rows), tc.want, tc.has)
		}
	}
	for _, bad := range []string{"source=nope", "urgency=12", "urgency=x", "after=12", "after=x-1"} {
		if w := d.editor.Get("/newsroom/wire?" + bad); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, w.Code)
		}
	}
	if w := testutil.NewClient(d.site.Handler).Get("/newsroom/wire"); w.Code != http.StatusSeeOther {
		t.Errorf("signed out: %d, want 303 to the login", w.Code)
	}
}

func TestWireQueuePages(t *testing.T) {
	d := newWireDesk(t)
	ctx := context.Background()
	src, _ := d.site.Store.EnsureSource(ctx, story.Source{Label: "BULK", Name: "Bulk"})
	sec, _ := d.site.Store.SectionBySlug(ctx, "world")
	for i := range 55 {
		h := fmt.Sprintf("Bulk item %02d", i)
		_, err := d.site.Store.ApplyWire(ctx, store.WireApply{
			Item:  store.WireItem{SourceID: src.ID, GUID: h, Version: 1, PubStatus: "usable", Headline: h, SectionID: sec.ID, Item: []byte(`{}`)},
			Story: &story.Story{Section: sec, Source: &src, Headline: h, Language: "en"},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	w := d.editor.Get("/newsroom/wire?source=bulk")
	next := regexp.MustCompile(`href="(/newsroom/wire\?[^"]+)" rel="next"`).FindStringSubmatch(w.Body.String())
	first := rowRE.FindAllString(w.Body.String(), -1)
	if len(first) != 50 || next == nil {
		t.Fatalf("first page: %d rows, next link %v", len(first), next)
	}
	rest := queueRows(t, d.editor, strings.ReplaceAll(next[1], "&amp;", "&"))
	if len(rest) != 5 || !strings.Contains(rest[4], "Bulk item 00") || strings.Contains(strings.Join(rest, ""), "Bulk item 05<") {
		t.Errorf("second page: %d rows", len(rest))
	}
}
