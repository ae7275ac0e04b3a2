package ingest_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/testutil"
	"dateline/internal/wire/ingest"
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

func importFile(t *testing.T, im *ingest.Importer, path string) ingest.Result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := im.Import(context.Background(), data)
	if err != nil || len(res) != 1 {
		t.Fatalf("%s: %+v %v", path, res, err)
	}
	return res[0]
}

// TestImportUpdateOnPage imports a version and, two hours later by the
// importer's clock, the next one: the page says "Updated" with the time,
// and dateModified moves while datePublished stays.
func TestImportUpdateOnPage(t *testing.T) {
	site := newSite(t)
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	im, err := ingest.New(context.Background(), ingest.Options{Store: site.Store, Source: "DTW", Publish: true,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	r1 := importFile(t, im, "../testdata/g2_harbour_v1.xml")
	st, err := site.Store.Story(context.Background(), r1.StoryID)
	if err != nil || st.Section.Slug != "world" || st.Source.Label != "DTW" || st.Language != "en-GB" ||
		len(st.Bylines) != 0 || st.Standfirst != "Container traffic halted for a day" {
		t.Fatalf("v1 story = %+v (%v)", st, err)
	}
	body := testutil.NewClient(site.Handler).Get(st.Path()).Body.String()
	if strings.Contains(body, ">Updated <time") || !strings.Contains(body, `"dateModified":"2026-01-01T09:00:00Z"`) {
		t.Errorf("v1 page shows an update or the wrong dateModified")
	}
	now = now.Add(2 * time.Hour)
	if r2 := importFile(t, im, "../testdata/g2_harbour_v2_update.xml"); r2.Outcome != store.WireUpdated || r2.StoryID != r1.StoryID {
		t.Fatalf("v2 = %+v", r2)
	}
	body = testutil.NewClient(site.Handler).Get(st.Path()).Body.String()
	for _, want := range []string{"Updated <time datetime=\"2026-01-01T11:00:00Z\"", `"dateModified":"2026-01-01T11:00:00Z"`,
		`"datePublished":"2026-01-01T09:00:00Z"`, "Harbour strike in Rotterdam ends after talks"} {
		if !strings.Contains(body, want) {
			t.Errorf("v2 page lacks %s", want)
		}
	}
}

// TestImportQueues checks that without Publish an item waits in the
// queue, and its next version supersedes it there, with no story made.
func TestImportQueues(t *testing.T) {
	site := newSite(t)
	im, err := ingest.New(context.Background(), ingest.Options{Store: site.Store, Source: "DTW"})
	if err != nil {
		t.Fatal(err)
	}
	if r := importFile(t, im, "../testdata/g2_harbour_v1.xml"); r.Outcome != store.WireQueued || r.StoryID != 0 {
		t.Fatalf("v1 = %+v", r)
	}
	if r := importFile(t, im, "../testdata/g2_harbour_v2_update.xml"); r.Outcome != store.WireUpdated || r.StoryID != 0 {
		t.Fatalf("v2 = %+v", r)
	}
	items, err := site.Store.WireItems(context.Background(), store.WireQuery{GUID: "urn:newsml:dateline.test:20260101:harbour-strike"})
	if err != nil || len(items) != 2 || items[0].State != "queued" || items[1].State != "superseded" || items[0].Urgency != 3 {
		t.Errorf("queue = %+v (%v)", items, err)
	}
	if n, _ := site.Store.CountStories(context.Background()); n != 0 {
		t.Errorf("%d stories from queued items", n)
	}
}

// TestImportFetchesPicture serves a picture on loopback: allowed with
// AllowPrivate it becomes the lead with the item's caption and credit;
// refused without it, the story goes out without it and says why.
func TestImportFetchesPicture(t *testing.T) {
	var buf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 640, 427))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(1, 1, color.White)
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(buf.Bytes()) }))
	defer srv.Close()
	item, err := os.ReadFile("../testdata/ninjs3_picture.json")
	if err != nil {
		t.Fatal(err)
	}
	item = bytes.ReplaceAll(item, []byte("https://images.example.org"), []byte(srv.URL))

	for _, allow := range []bool{true, false} {
		site := newSite(t)
		im, err := ingest.New(context.Background(), ingest.Options{Store: site.Store, Source: "DTW", Publish: true,
			Fetch: ingest.NewFetcher(site.Media, site.Store, allow).Fetch})
		if err != nil {
			t.Fatal(err)
		}
		res, err := im.Import(context.Background(), item)
		if err != nil || len(res) != 1 || res[0].Outcome != store.WireImported {
			t.Fatalf("import: %+v %v", res, err)
		}
		st, err := site.Store.Story(context.Background(), res[0].StoryID)
		if err != nil {
			t.Fatal(err)
		}
		if !allow {
			if st.Lead != nil || res[0].Unfetched != 1 || !strings.Contains(res[0].PictureErr, "refused private address") {
				t.Errorf("loopback picture fetched without AllowPrivate: %+v %+v", st.Lead, res[0])
			}
			continue
		}
		if st.Lead == nil || st.Lead.Caption != "Rescued passengers arrive at Kabataş pier." || st.Lead.Credit != "Dateline Test Wire / Deniz Kaya" ||
			st.Lead.Width != 640 || res[0].Unfetched != 0 {
			t.Fatalf("lead = %+v, result %+v", st.Lead, res[0])
		}
		page := testutil.NewClient(site.Handler).Get(st.Path()).Body.String()
		if !strings.Contains(page, "Rescued passengers arrive at Kabataş pier.") || !strings.Contains(page, st.Lead.Hash) {
			t.Error("the page does not show the fetched picture with its caption")
		}
	}
}

// TestImportFlagsCopies imports the same item from two sources: the
// second is flagged as a copy; an item without body text never is.
func TestImportFlagsCopies(t *testing.T) {
	site := newSite(t)
	var first int64
	for i, label := range []string{"AAA", "BBB"} {
		im, err := ingest.New(context.Background(), ingest.Options{Store: site.Store, Source: label})
		if err != nil {
			t.Fatal(err)
		}
		r := importFile(t, im, "../testdata/ninjs3_picture.json")
		items, err := site.Store.WireItems(context.Background(), store.WireQuery{GUID: r.GUID, Limit: 1})
		if err != nil || len(items) != 1 {
			t.Fatal(err)
		}
		switch {
		case i == 0 && r.DuplicateOf != 0:
			t.Errorf("the first item is flagged as a copy of %d", r.DuplicateOf)
		case i == 0:
			first = items[0].ID
		case r.DuplicateOf != first:
			t.Errorf("the second source's copy points at %d, want %d", r.DuplicateOf, first)
		}
	}
}
