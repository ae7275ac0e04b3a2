package ingest_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"dateline/internal/app"
	"dateline/internal/store"
	"dateline/internal/story"
)

// TestCLIRouting runs the real `dateline ingest`: a queueing rule keeps
// the item on the desk without --publish and yields to --publish; a
// publishing rule publishes without it.
func TestCLIRouting(t *testing.T) {
	site := newSite(t)
	ctx := context.Background()
	st := site.Store
	bizID, err := st.CreateSection(ctx, story.Section{Slug: "business", Name: "Business", Position: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []store.WireRoute{
		{Keyword: "strike", SectionID: bizID},                   // harbour: queue
		{Subject: "Transport", SectionID: bizID, Publish: true}, // the ninjs ferry item: publish
	} {
		if _, err := st.CreateWireRoute(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		args = append(append(append([]string{"ingest"}, site.StoreFlags()...), "--media-dir", t.TempDir(), "--no-fetch"), args...)
		if err := app.Run(ctx, args, func(string) string { return "" }, &out, &out); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	out := run("--source", "DTW", "../testdata/g2_harbour_v1.xml", "../testdata/ninjs3_picture.json")
	if !strings.Contains(out, "1 published or scheduled, 1 queued") {
		t.Errorf("without --publish:\n%s", out)
	}
	items, _ := st.WireItems(ctx, store.WireQuery{GUID: "urn:newsml:dateline.test:20260101:harbour-strike"})
	if len(items) != 1 || items[0].State != "queued" || items[0].SectionID != bizID {
		t.Errorf("harbour %+v", items)
	}
	out = run("--source", "DTW2", "--publish", "../testdata/g2_harbour_v1.xml")
	if !strings.Contains(out, "1 published or scheduled, 0 queued") {
		t.Errorf("with --publish:\n%s", out)
	}
}
