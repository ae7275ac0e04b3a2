package site_test

import (
	"context"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dateline/internal/feeds"
	"dateline/internal/story"
)

var alternateRE = regexp.MustCompile(`<link rel="alternate" type="([^"]+)" title="[^"]+" href="([^"]+)">`)

// TestFeedAutodiscovery: list pages announce the site's feeds and their
// own, story pages the site's and their section's, and every announced
// feed answers.
func TestFeedAutodiscovery(t *testing.T) {
	scopes := feedScopes(t)
	s := find(t, "any", func(*story.Story) bool { return true })
	pages := map[string][]string{s.Path(): {"", "/" + s.Section.Slug}}
	for _, sc := range scopes {
		page := sc.path
		if page == "" {
			page = "/"
		}
		pages[page] = []string{"", sc.path}
	}
	for page, lists := range pages {
		r := get(t, page)
		head, _, _ := strings.Cut(r.body, "</head>")
		found := map[string]string{}
		for _, m := range alternateRE.FindAllStringSubmatch(head, -1) {
			// The type is matched as written: feed finders that scan the
			// text look for "application/rss+xml" literally.
			found[html.UnescapeString(m[2])] = m[1]
		}
		for _, list := range lists {
			for _, f := range feeds.Formats {
				u := "http://dateline.test" + list + "/" + f.File
				if found[u] != f.MediaType() {
					t.Errorf("%s does not announce %s as %s (found %v)", page, u, f.MediaType(), found)
				}
			}
		}
		for u := range found {
			if res := get(t, strings.TrimPrefix(u, "http://dateline.test")); res.status != 200 {
				t.Errorf("%s announces %s, which answers %d", page, u, res.status)
			}
		}
	}
}

// TestFeedEnclosures: every RSS item with a lead picture has an enclosure
// whose length is the size of the file its URL serves. Every section's
// feed is read, since other tests add stories without pictures.
func TestFeedEnclosures(t *testing.T) {
	secs, err := demo.Store.Sections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, sec := range secs {
		got, _ := fetchFeed(t, "/"+sec.Slug+"/rss.xml")
		for _, it := range got.Items {
			if itemImage(it) == "" {
				continue
			}
			if len(it.Enclosures) != 1 {
				t.Errorf("%s: %d enclosures for a lead picture", it.GUID, len(it.Enclosures))
				continue
			}
			e := it.Enclosures[0]
			r := get(t, strings.TrimPrefix(e.URL, "http://dateline.test"))
			if r.status != 200 || e.Length != strconv.Itoa(len(r.body)) || e.URL != itemImage(it) {
				t.Errorf("%s: enclosure %s of %s bytes answers %d with %d bytes", it.GUID, e.URL, e.Length, r.status, len(r.body))
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no item has a lead picture")
	}
}
