package site_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"dateline/internal/feeds"
	"dateline/internal/site"
	"dateline/internal/store"
	"dateline/internal/story"
)

// feedScope is a list page whose feeds are checked against the store.
type feedScope struct {
	name  string
	path  string // the list page; its feeds are path + "/" + file
	query store.ListQuery
}

func feedScopes(t *testing.T) []feedScope {
	t.Helper()
	ctx := context.Background()
	s := find(t, "staff with tags", func(s *story.Story) bool {
		return len(s.Tags) > 0 && len(s.Bylines) > 0 && s.Bylines[0].AuthorSlug != ""
	})
	wire := find(t, "agency", func(s *story.Story) bool { return s.Source != nil })
	a, err := demo.Store.AuthorBySlug(ctx, s.Bylines[0].AuthorSlug)
	if err != nil {
		t.Fatal(err)
	}
	return []feedScope{
		{"site", "", store.ListQuery{}},
		{"section", "/" + s.Section.Slug, store.ListQuery{SectionID: s.Section.ID}},
		{"tag", "/tag/" + s.Tags[0].Slug, store.ListQuery{TagID: s.Tags[0].ID}},
		{"author", "/author/" + a.Slug, store.ListQuery{AuthorID: a.ID}},
		{"source", "/source/" + wire.Source.Slug, store.ListQuery{SourceID: wire.Source.ID}},
	}
}

// fetchFeed gets a feed, checks its status, type and syntax, and parses it
// as a reader would.
func fetchFeed(t *testing.T, path string) (*gofeed.Feed, []byte) {
	t.Helper()
	r := get(t, path)
	if r.status != 200 {
		t.Fatalf("GET %s: %d", path, r.status)
	}
	f, _ := feeds.ByFile(path[strings.LastIndex(path, "/")+1:])
	if ct := r.header.Get("Content-Type"); ct != f.ContentType {
		t.Errorf("GET %s: Content-Type %q, want %q", path, ct, f.ContentType)
	}
	body := []byte(r.body)
	checkSyntax(t, path, body)
	parsed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("GET %s: gofeed: %v", path, err)
	}
	return parsed, body
}

// checkSyntax reads XML feeds with the strict decoder to the end, and
// checks the JSON Feed version.
func checkSyntax(t *testing.T, path string, body []byte) {
	t.Helper()
	if strings.HasSuffix(path, ".json") {
		var v struct{ Version string }
		if err := json.Unmarshal(body, &v); err != nil || v.Version != "https://jsonfeed.org/version/1.1" {
			t.Errorf("%s: version %q, %v", path, v.Version, err)
		}
		return
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
	}
}

func wantGUID(s *story.Story) string {
	return "tag:dateline.test," + strconv.Itoa(s.FirstPublishedAt.Year()) + ":story/" + strconv.FormatInt(s.ID, 10)
}

func itemAuthors(it *gofeed.Item) []string {
	if it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0 {
		return it.DublinCoreExt.Creator
	}
	var out []string
	for _, p := range it.Authors {
		out = append(out, p.Name)
	}
	return out
}

func itemImage(it *gofeed.Item) string {
	if it.Image != nil {
		return it.Image.URL
	}
	for _, e := range it.Enclosures {
		if strings.HasPrefix(e.Type, "image/") {
			return e.URL
		}
	}
	return ""
}

// checkItems compares a parsed feed with the stories it should hold.
func checkItems(t *testing.T, path string, got *gofeed.Feed, want []story.Summary, full bool) {
	t.Helper()
	if len(got.Items) != len(want) {
		t.Fatalf("%s: %d items, want %d", path, len(got.Items), len(want))
	}
	for i, sum := range want {
		it := got.Items[i]
		s, err := demo.Store.Story(context.Background(), sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Feeds trim the headline, as readers do.
		if it.GUID != wantGUID(s) || it.Title != strings.TrimSpace(s.Headline) || it.Link != "http://dateline.test"+s.Path() {
			t.Errorf("%s item %d: guid %q title %q link %q, want story %d %q", path, i, it.GUID, it.Title, it.Link, s.ID, s.Headline)
			continue
		}
		var authors []string
		for _, b := range s.Bylines {
			authors = append(authors, b.Name)
		}
		if s.Source != nil {
			authors = append(authors, s.Source.Label)
		}
		if g, w := strings.Join(itemAuthors(it), "|"), strings.Join(authors, "|"); g != w {
			t.Errorf("%s item %d: authors %q, want %q", path, i, g, w)
		}
		cats := []string{s.Section.Name}
		for _, tag := range s.Tags {
			cats = append(cats, tag.Name)
		}
		if g, w := strings.Join(it.Categories, "|"), strings.Join(cats, "|"); g != w {
			t.Errorf("%s item %d: categories %q, want %q", path, i, g, w)
		}
		if img := itemImage(it); (s.Lead == nil) != (img == "") || s.Lead != nil && !strings.Contains(img, s.Lead.Hash) {
			t.Errorf("%s item %d: image %q for lead %+v", path, i, img, s.Lead)
		}
		first := firstText(s)
		if full && !strings.Contains(it.Content, html.EscapeString(first)) {
			t.Errorf("%s item %d: the full text lacks %q", path, i, first)
		}
		if !full && (strings.Contains(it.Content, "<p>") || strings.Contains(it.Content, html.EscapeString(first))) {
			t.Errorf("%s item %d: a summary feed carries the text: %.80q", path, i, it.Content)
		}
	}
}

// firstText is the first span of the story's first paragraph.
func firstText(s *story.Story) string {
	for _, b := range s.Body {
		if b.Type == story.BlockParagraph && len(b.Spans) > 0 {
			return b.Spans[0].Text
		}
	}
	return ""
}

func setFullText(t *testing.T, full bool) {
	t.Helper()
	if err := demo.Store.SetSetting(context.Background(), site.SettingFeedFullText, strconv.FormatBool(full)); err != nil {
		t.Fatal(err)
	}
}

// TestFeedsMatchLists parses every feed of every list kind in every
// format and compares it with the store's list, in full text and then
// in summaries after the setting is flipped.
func TestFeedsMatchLists(t *testing.T) {
	t.Cleanup(func() { setFullText(t, true) })
	for _, full := range []bool{true, false} {
		setFullText(t, full)
		for _, sc := range feedScopes(t) {
			q := sc.query
			q.Limit = 20
			want, err := demo.Store.ListStories(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Fatalf("%s: the demo list is empty", sc.name)
			}
			for _, f := range feeds.Formats {
				path := sc.path + "/" + f.File
				got, _ := fetchFeed(t, path)
				if got.Language != "en" {
					t.Errorf("%s: language %q", path, got.Language)
				}
				checkItems(t, path, got, want, full)
			}
		}
	}
}

// TestFeedOtherLanguage: an Arabic story keeps its language where the
// format has a place for it.
func TestFeedOtherLanguage(t *testing.T) {
	ar := find(t, "Arabic", func(s *story.Story) bool { return s.Language == "ar" })
	// A list short enough to hold it among its 20 newest whatever the
	// day: its author's, else its section's.
	base := "/" + ar.Section.Slug
	if len(ar.Bylines) > 0 && ar.Bylines[0].AuthorSlug != "" {
		base = "/author/" + ar.Bylines[0].AuthorSlug
	}
	_, atom := fetchFeed(t, base+"/atom.xml")
	if !bytes.Contains(atom, []byte(`<entry xml:lang="ar">`)) {
		t.Errorf("%s/atom.xml has no entry in Arabic", base)
	}
	_, doc := fetchFeed(t, base+"/feed.json")
	var jf struct {
		Language string
		Items    []struct{ ID, Language string }
	}
	if err := json.Unmarshal(doc, &jf); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range jf.Items {
		if it.ID == wantGUID(ar) {
			found = it.Language == "ar"
		}
	}
	if jf.Language != "en" || !found {
		t.Errorf("JSON Feed language %q; the Arabic item %s carries ar: %v", jf.Language, wantGUID(ar), found)
	}
}
