package intake_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/wire/intake"
)

// TestIntakeRouting: folder and feed intake apply the routing rules. A
// folder source that publishes on arrival has its harbour item queued in
// Business by a keyword rule; a folder source that queues has an item no
// rule matches queued in its default section, made on the way; a feed
// source's items are published in its section by a source rule.
func TestIntakeRouting(t *testing.T) {
	site := newSite(t)
	ctx := context.Background()
	st := site.Store
	bizID, err := st.CreateSection(ctx, story.Section{Slug: "business", Name: "Business", Position: 1})
	if err != nil {
		t.Fatal(err)
	}
	ukID, err := st.CreateSection(ctx, story.Section{Slug: "uk", Name: "UK", Position: 2})
	if err != nil {
		t.Fatal(err)
	}
	pubDir, queueDir := t.TempDir(), t.TempDir()
	pub := source(t, site, "PUB", store.WireIntake{Folder: pubDir, Publish: true})
	que := source(t, site, "QUE", store.WireIntake{Folder: queueDir})
	feed := mustRead(t, "../../../testdata/feeds/rss2/rss_2.0_bbc.xml")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(feed) }))
	defer srv.Close()
	bbc := source(t, site, "BBC", store.WireIntake{FeedURL: srv.URL + "/feed.xml", PollInterval: time.Minute})
	for _, r := range []store.WireRoute{
		{SourceID: pub.ID, Keyword: "strike", SectionID: bizID},
		{SourceID: bbc.ID, SectionID: ukID, Publish: true},
	} {
		if _, err := st.CreateWireRoute(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetWireSourceSection(ctx, que.ID, "Wire Copy"); err != nil {
		t.Fatal(err)
	}
	drop(t, pubDir, "harbour.xml", mustRead(t, sample))
	drop(t, queueDir, "court.xml", mustRead(t, "../testdata/g2_court_v1.xml"))
	svc := intake.New(intake.Options{Store: st, Settle: -1, AllowPrivate: true})
	if err := svc.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{pubDir, queueDir} {
		if done, _ := os.ReadDir(filepath.Join(dir, intake.DoneDir)); len(done) != 1 {
			t.Fatalf("%s: %d files done", dir, len(done))
		}
	}
	if items := queued(t, st, pub); len(items) != 1 || items[0].State != "queued" || items[0].SectionID != bizID {
		t.Errorf("PUB item %+v: want queued in business by the rule", items)
	}
	wc, err := st.SectionBySlug(ctx, "wire-copy")
	if items := queued(t, st, que); err != nil || len(items) != 1 || items[0].State != "queued" || items[0].SectionID != wc.ID {
		t.Errorf("QUE item %+v (%v): want queued in the new Wire Copy section", items, err)
	}
	items := queued(t, st, bbc)
	if len(items) == 0 {
		t.Fatal("nothing from the feed")
	}
	for _, it := range items {
		s, err := st.Story(ctx, it.StoryID)
		if it.State != "published" || err != nil || s.Section.ID != ukID {
			t.Errorf("feed item %q: %s, story %v (%v)", it.Headline, it.State, s, err)
		}
	}
}
