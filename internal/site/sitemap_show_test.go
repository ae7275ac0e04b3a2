package site_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"testing"

	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/testutil"
)

// urlset and sitemapIndex are what the tests read back from a sitemap.
type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		Images  []struct {
			Loc string `xml:"http://www.google.com/schemas/sitemap-image/1.1 loc"`
		} `xml:"http://www.google.com/schemas/sitemap-image/1.1 image"`
		News *struct {
			Name     string `xml:"publication>name"`
			Language string `xml:"publication>language"`
			Date     string `xml:"publication_date"`
			Title    string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

// fetchSitemap gets path from h, checks the answer is valid sitemap XML
// of the right type, and decodes it into v.
func fetchSitemap(t *testing.T, h http.Handler, path string, v any) {
	t.Helper()
	r := testutil.NewClient(h).Get(path)
	if r.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, r.Code)
	}
	if ct := r.Header().Get("Content-Type"); ct != "application/xml; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	if err := testutil.ValidateSitemap(t, r.Body.Bytes()); err != nil {
		t.Errorf("GET %s does not validate:\n%v", path, err)
	}
	if err := xml.Unmarshal(r.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

const demoBase = "http://dateline.test"

// TestSitemapsValidate fetches the index of the demo site and every
// sitemap it lists, and validates each against the official schemas.
func TestSitemapsValidate(t *testing.T) {
	var idx sitemapIndex
	fetchSitemap(t, demo.Handler, "/sitemap.xml", &idx)
	var names []string
	for _, sm := range idx.Sitemaps {
		path, ok := strings.CutPrefix(sm.Loc, demoBase)
		if !ok {
			t.Fatalf("index lists %q, not on the site", sm.Loc)
		}
		names = append(names, path)
		var set urlset
		fetchSitemap(t, demo.Handler, path, &set)
		if len(set.URLs) == 0 {
			t.Errorf("%s is empty", path)
		}
		for _, u := range set.URLs {
			if !strings.HasPrefix(u.Loc, demoBase+"/") {
				t.Errorf("%s lists %q", path, u.Loc)
			}
		}
	}
	want := []string{"/sitemap-stories-1.xml", "/sitemap-tags-1.xml", "/sitemap-sections.xml",
		"/sitemap-authors.xml", "/sitemap-pages.xml", "/sitemap-news.xml"}
	if !slices.Equal(names, want) {
		t.Errorf("index lists %q, want %q", names, want)
	}
	if idx.Sitemaps[0].LastMod == "" {
		t.Error("the stories sitemap has no lastmod in the index")
	}
}

// TestSitemapStoriesMatchStore checks the article sitemap lists exactly
// the published stories at their canonical URLs, with their pictures.
func TestSitemapStoriesMatchStore(t *testing.T) {
	var set urlset
	fetchSitemap(t, demo.Handler, "/sitemap-stories-1.xml", &set)
	got := map[string][]string{}
	for _, u := range set.URLs {
		if _, dup := got[u.Loc]; dup {
			t.Errorf("%s listed twice", u.Loc)
		}
		for _, img := range u.Images {
			got[u.Loc] = append(got[u.Loc], img.Loc)
		}
		if got[u.Loc] == nil {
			got[u.Loc] = []string{}
		}
		if u.LastMod == "" {
			t.Errorf("%s has no lastmod", u.Loc)
		}
	}
	all := stories(t)
	if len(got) != len(all) || len(all) < 30 {
		t.Errorf("sitemap lists %d stories, the store has %d published", len(got), len(all))
	}
	for _, st := range all {
		imgs, ok := got[demoBase+st.Path()]
		if !ok {
			t.Errorf("story %d (%s) missing", st.ID, st.Path())
			continue
		}
		var want []string
		if st.Lead != nil {
			w := media.Available(st.Lead.Width)
			want = []string{demoBase + media.URL(st.Lead.Hash, w[len(w)-1])}
		}
		if len(imgs) != len(want) || len(want) == 1 && imgs[0] != want[0] {
			t.Errorf("story %d images %q, want %q", st.ID, imgs, want)
		}
	}
}

// TestSitemapListPages checks the section, tag, author and pages
// sitemaps against the store.
func TestSitemapListPages(t *testing.T) {
	ctx := context.Background()
	var secs, authors, pages, tags urlset
	fetchSitemap(t, demo.Handler, "/sitemap-sections.xml", &secs)
	fetchSitemap(t, demo.Handler, "/sitemap-authors.xml", &authors)
	fetchSitemap(t, demo.Handler, "/sitemap-pages.xml", &pages)
	fetchSitemap(t, demo.Handler, "/sitemap-tags-1.xml", &tags)
	locs := func(set urlset) []string {
		var out []string
		for _, u := range set.URLs {
			out = append(out, strings.TrimPrefix(u.Loc, demoBase))
		}
		return out
	}
	sections, _ := demo.Store.Sections(ctx)
	if len(secs.URLs) != len(sections) {
		t.Errorf("sections sitemap lists %d, the store has %d", len(secs.URLs), len(sections))
	}
	staff, _ := demo.Store.Authors(ctx)
	for _, a := range staff {
		if !slices.Contains(locs(authors), "/author/"+a.Slug) {
			t.Errorf("author %s missing", a.Slug)
		}
	}
	if want := []string{"/", "/about", "/standards", "/staff"}; !slices.Equal(locs(pages), want) {
		t.Errorf("pages sitemap %q, want %q", locs(pages), want)
	}
	// Every tag of a published story is listed, and nothing else.
	seen := map[string]bool{}
	for _, st := range stories(t) {
		for _, tg := range st.Tags {
			seen["/tag/"+tg.Slug] = true
		}
	}
	if len(tags.URLs) != len(seen) {
		t.Errorf("tags sitemap lists %d, published stories carry %d tags", len(tags.URLs), len(seen))
	}
	for _, loc := range locs(tags) {
		if !seen[loc] {
			t.Errorf("tags sitemap lists %s, which no published story carries", loc)
		}
	}
	if src, err := demo.Store.ListStories(ctx, store.ListQuery{Limit: 100}); err == nil {
		for _, s := range src {
			if s.Source != nil && !slices.Contains(locs(authors), "/source/"+s.Source.Slug) {
				t.Errorf("source %s missing from the authors sitemap", s.Source.Slug)
			}
		}
	}
}

// TestSitemapNotFound checks that names that are no sitemap, and pages
// past the end, answer 404 and never 500.
func TestSitemapNotFound(t *testing.T) {
	for _, path := range []string{
		"/sitemap-stories-0.xml", "/sitemap-stories-01.xml", "/sitemap-stories-2.xml",
		"/sitemap-stories-999999999.xml", "/sitemap-stories-99999999999999999999.xml",
		"/sitemap-stories--1.xml", "/sitemap-stories-1x.xml", "/sitemap-stories.xml", "/sitemap-stories-.xml",
		"/sitemap-tags-2.xml", "/sitemap-tags.xml", "/sitemap-news-1.xml", "/sitemap-foo.xml",
		"/sitemap-sections-1.xml", "/sitemap.xml.gz", "/sitemap-pages.XML", "/sitemap-%00.xml", "/x.xml",
		"/news.xml", "/pages.xml", "/stories-1.xml", "/sitemap-stories-+1.xml", "/sitemap-stories-1.xml/",
	} {
		if r := get(t, path); r.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.status)
		}
	}
}

func TestRobots(t *testing.T) {
	r := get(t, "/robots.txt")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("robots.txt: %d %s", r.status, r.header.Get("Content-Type"))
	}
	for _, line := range []string{"User-agent: *", "Disallow: /newsroom/", "Disallow: /search",
		"Sitemap: " + demoBase + "/sitemap.xml", "Sitemap: " + demoBase + "/sitemap-news.xml"} {
		if !slices.Contains(strings.Split(r.body, "\n"), line) {
			t.Errorf("robots.txt lacks the line %q:\n%s", line, r.body)
		}
	}
}
