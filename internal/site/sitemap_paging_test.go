package site_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/internal/site"
	"dateline/internal/story"
	"dateline/internal/testutil"
	"dateline/web"
)

// sitemapSite is an empty site with a fixed clock whose numbered sitemaps
// cover 10 ids each, so a few dozen stories make several pages.
type sitemapSite struct {
	*testutil.Site
	handler http.Handler
	now     time.Time
	world   story.Section
}

func newSitemapSite(t *testing.T) *sitemapSite {
	t.Helper()
	ts, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ts.Close() })
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	srv, err := site.New(site.Deps{Config: ts.Config, Store: ts.Store, Templates: web.Templates, Static: web.Static,
		Now: func() time.Time { return now }, SitemapSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv.Routes(mux)
	world, err := ts.Store.SectionBySlug(context.Background(), "world")
	if err != nil {
		t.Fatal(err)
	}
	return &sitemapSite{Site: ts, handler: mux, now: now, world: world}
}

// add stores a story first published at the given time before the clock.
func (s *sitemapSite) add(t *testing.T, headline, lang string, status story.Status, ago time.Duration) *story.Story {
	t.Helper()
	at := s.now.Add(-ago)
	st := &story.Story{Section: s.world, Headline: headline, Slug: story.Slugify(headline, 80), Language: lang,
		Type: story.TypeNews, Status: status, Body: story.ParseBody("Words."),
		FirstPublishedAt: at, PublishedAt: at, UpdatedAt: at}
	id, err := s.Store.CreateStory(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	st.ID = id
	return st
}

// TestSitemapPaging makes 25 published stories among drafts, spread over
// ids 1 to 30, and checks that three pages of 10 ids hold each published
// story exactly once, that page 4 answers 404, and that a story taken
// down leaves its page.
func TestSitemapPaging(t *testing.T) {
	s := newSitemapSite(t)
	want := map[string]bool{}
	var published []*story.Story
	for i := range 30 {
		status := story.StatusPublished
		if i%6 == 5 {
			status = story.StatusDraft
		}
		st := s.add(t, fmt.Sprintf("Story number %d", i), "en", status, time.Duration(100+i)*time.Hour)
		if status == story.StatusPublished {
			want[s.Config.BaseURL+st.Path()] = true
			published = append(published, st)
		}
	}
	var idx sitemapIndex
	fetchSitemap(t, s.handler, "/sitemap.xml", &idx)
	var storyMaps []string
	for _, sm := range idx.Sitemaps {
		if strings.Contains(sm.Loc, "/sitemap-stories-") {
			storyMaps = append(storyMaps, strings.TrimPrefix(sm.Loc, s.Config.BaseURL))
		}
	}
	if wantMaps := []string{"/sitemap-stories-1.xml", "/sitemap-stories-2.xml", "/sitemap-stories-3.xml"}; !slices.Equal(storyMaps, wantMaps) {
		t.Fatalf("index lists %q, want %q", storyMaps, wantMaps)
	}
	seen := map[string]string{}
	for _, path := range storyMaps {
		var set urlset
		fetchSitemap(t, s.handler, path, &set)
		if len(set.URLs) == 0 || len(set.URLs) > 10 {
			t.Errorf("%s holds %d URLs, want 1 to 10", path, len(set.URLs))
		}
		for _, u := range set.URLs {
			if prev, dup := seen[u.Loc]; dup {
				t.Errorf("%s in %s and %s", u.Loc, prev, path)
			}
			seen[u.Loc] = path
			if !want[u.Loc] {
				t.Errorf("%s lists %s, which is not a published story", path, u.Loc)
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("pages hold %d stories, want the %d published", len(seen), len(want))
	}
	if r := testutil.NewClient(s.handler).Get("/sitemap-stories-4.xml"); r.Code != http.StatusNotFound {
		t.Errorf("page past the end: %d, want 404", r.Code)
	}

	// Unpublish one story: it leaves its page, the others stay put.
	gone := published[12]
	st, _ := s.Store.Story(context.Background(), gone.ID)
	st.Status = story.StatusUnpublished
	if err := s.Store.UpdateStory(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	page := seen[s.Config.BaseURL+gone.Path()]
	var set urlset
	fetchSitemap(t, s.handler, page, &set)
	for _, u := range set.URLs {
		if u.Loc == s.Config.BaseURL+gone.Path() {
			t.Errorf("unpublished story %d still in %s", gone.ID, page)
		}
		if seen[u.Loc] != page {
			t.Errorf("%s moved to %s from %s", u.Loc, page, seen[u.Loc])
		}
	}
}

// TestSitemapNews checks the news sitemap holds only the stories first
// published in the 48 hours before the site's clock, newest first, with
// their language in Google's form.
func TestSitemapNews(t *testing.T) {
	s := newSitemapSite(t)
	old := s.add(t, "Two days and an hour ago", "en", story.StatusPublished, 49*time.Hour)
	edge := s.add(t, "Just inside the window", "tr", story.StatusPublished, 47*time.Hour)
	ar := s.add(t, "خبر عاجل & <أخبار>", "ar", story.StatusPublished, 2*time.Hour)
	zh := s.add(t, "台灣新聞", "zh-Hant-TW", story.StatusPublished, time.Hour)
	s.add(t, "A draft from an hour ago", "en", story.StatusDraft, time.Hour)
	var set urlset
	fetchSitemap(t, s.handler, "/sitemap-news.xml", &set)
	want := []*story.Story{zh, ar, edge}
	if len(set.URLs) != len(want) {
		t.Fatalf("news sitemap holds %d stories, want %d", len(set.URLs), len(want))
	}
	langs := []string{"zh-tw", "ar", "tr"}
	for i, u := range set.URLs {
		w := want[i]
		if u.Loc != s.Config.BaseURL+w.Path() || u.News == nil {
			t.Errorf("entry %d: %s, want %s with news:news", i, u.Loc, w.Path())
			continue
		}
		if u.News.Title != w.Headline || u.News.Language != langs[i] || u.News.Name != s.Config.SiteName {
			t.Errorf("entry %d news: %+v", i, *u.News)
		}
		if pub, err := time.Parse(time.RFC3339, u.News.Date); err != nil || !pub.Equal(w.FirstPublishedAt) {
			t.Errorf("entry %d publication date %q (%v), want %v", i, u.News.Date, err, w.FirstPublishedAt)
		}
		if u.Loc == s.Config.BaseURL+old.Path() {
			t.Errorf("a story from 49 hours ago is listed")
		}
	}
}

// TestSitemapEmptySite checks a site without stories still answers a
// valid index and pages, an empty news sitemap, and 404 for stories.
func TestSitemapEmptySite(t *testing.T) {
	s := newSitemapSite(t)
	var idx sitemapIndex
	fetchSitemap(t, s.handler, "/sitemap.xml", &idx)
	var pages urlset
	fetchSitemap(t, s.handler, "/sitemap-pages.xml", &pages)
	c := testutil.NewClient(s.handler)
	if r := c.Get("/sitemap-news.xml"); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "<urlset") {
		t.Errorf("empty news sitemap: %d %s", r.Code, r.Body)
	}
	for _, path := range []string{"/sitemap-stories-1.xml", "/sitemap-tags-1.xml"} {
		if r := c.Get(path); r.Code != http.StatusNotFound {
			t.Errorf("GET %s on an empty site: %d, want 404", path, r.Code)
		}
	}
}
