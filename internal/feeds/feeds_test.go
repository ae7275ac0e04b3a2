package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

var when = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

// nasty is text with everything that breaks hand-made XML: markup
// characters, a CDATA terminator, control characters, invalid UTF-8 and
// right-to-left script.
const nasty = "Tom & Jerry <b>say</b> \"hi\" ]]> x\x00y\x01z\x1b \xff\xfe end العربية"

func sample() *Feed {
	return &Feed{
		Title: "Dateline & friends <test>", Description: "All the news\x07", HomeURL: "http://dateline.test/",
		SelfURL: "http://dateline.test/rss.xml", HubURL: "https://hub.example/", Language: "en",
		Author: "Dateline", Updated: when.Add(time.Hour),
		Items: []Item{{
			ID: "tag:dateline.test,2026:story/1", Title: nasty, Link: "http://dateline.test/world/a-1",
			Summary: nasty, ContentHTML: "<p>" + strings.ReplaceAll(nasty, "<", "&lt;") + "</p>",
			Published: when, Updated: when.Add(time.Hour),
			Authors:    []Person{{Name: "Ada <Lovelace>", URL: "http://dateline.test/author/ada"}, {Name: "AA", URL: "http://dateline.test/source/aa"}},
			Categories: []string{"World", "Q&A"},
			Image:      &Image{URL: "http://dateline.test/media/x/1280.jpg", Type: "image/jpeg", Width: 1280, Height: 720, Length: 1234, Caption: "A <caption>", Credit: "Photo: Ada"},
		}, {
			ID: "tag:dateline.test,2026:story/2", Title: "إعادة الإعمار", Link: "http://dateline.test/world/2",
			Summary: "ملخص", Language: "ar", Published: when.Add(-time.Hour), Updated: when.Add(-time.Hour),
			Image: &Image{URL: "http://dateline.test/media/y/640.jpg", Type: "image/jpeg", Width: 640, Height: 480},
		}},
	}
}

func write(t *testing.T, f Format, feed *Feed) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.Write(&b, feed); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wellFormed reads the whole document with the strict XML decoder.
func wellFormed(t *testing.T, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, doc)
		}
	}
}

func TestFormatsRoundTrip(t *testing.T) {
	want := sample()
	cleanTitle := clean(nasty)
	for _, f := range Formats {
		t.Run(f.File, func(t *testing.T) {
			doc := write(t, f, want)
			if !strings.HasSuffix(f.File, ".json") {
				wellFormed(t, doc)
				if !bytes.HasPrefix(doc, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
					t.Error("no XML declaration naming UTF-8")
				}
			} else {
				var v struct{ Version string }
				if err := json.Unmarshal(doc, &v); err != nil || v.Version != JSONFeedVersion {
					t.Errorf("version %q, %v", v.Version, err)
				}
			}
			if bytes.ContainsAny(doc, "\x00\x01\x1b\x07") {
				t.Error("a control character reached the document")
			}
			got, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
			if err != nil {
				t.Fatalf("gofeed: %v\n%s", err, doc)
			}
			if got.Title != clean(want.Title) || got.Language != "en" || len(got.Items) != 2 {
				t.Fatalf("feed %q %q with %d items", got.Title, got.Language, len(got.Items))
			}
			it := got.Items[0]
			if it.GUID != want.Items[0].ID || it.Link != want.Items[0].Link || it.Title != cleanTitle {
				t.Errorf("item: guid %q link %q title %q", it.GUID, it.Link, it.Title)
			}
			if it.PublishedParsed == nil || !it.PublishedParsed.Equal(when) {
				t.Errorf("published %v", it.PublishedParsed)
			}
			if u := ImageURL(it); u != want.Items[0].Image.URL {
				t.Errorf("image %q", u)
			}
			if it.Content != clean(want.Items[0].ContentHTML) {
				t.Errorf("content %q", it.Content)
			}
			if strings.Join(it.Categories, "|") != "World|Q&A" {
				t.Errorf("categories %q", it.Categories)
			}
		})
	}
}

// ImageURL is the item's picture as a reader finds it: JSON Feed's image
// and RSS's media:content come through gofeed's Image; Atom's through its
// enclosure link.
func ImageURL(it *gofeed.Item) string {
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

func TestRSSExtensions(t *testing.T) {
	doc := write(t, Formats[0], sample())
	got, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	it := got.Items[0]
	if c := it.DublinCoreExt.Creator; strings.Join(c, "|") != "Ada <Lovelace>|AA" {
		t.Errorf("dc:creator %q", c)
	}
	if len(it.Enclosures) != 1 || it.Enclosures[0].Length != "1234" || it.Enclosures[0].Type != "image/jpeg" {
		t.Errorf("enclosure %+v", it.Enclosures)
	}
	if len(got.Items[1].Enclosures) != 0 {
		t.Error("an enclosure without a known length was written")
	}
	m := it.Extensions["media"]["content"]
	if len(m) != 1 || m[0].Attrs["width"] != "1280" || m[0].Attrs["height"] != "720" || m[0].Attrs["medium"] != "image" {
		t.Fatalf("media:content %+v", m)
	}
	if d := m[0].Children["description"]; len(d) != 1 || d[0].Value != "A <caption>" {
		t.Errorf("media:description %+v", d)
	}
	if c := m[0].Children["credit"]; len(c) != 1 || c[0].Value != "Photo: Ada" {
		t.Errorf("media:credit %+v", c)
	}
	if got.Items[1].DublinCoreExt == nil || strings.Join(got.Items[1].DublinCoreExt.Language, "") != "ar" {
		t.Error("the Arabic item does not name its language")
	}
	for _, want := range []string{`<atom:link rel="self" href="http://dateline.test/rss.xml"`, `<atom:link rel="hub" href="https://hub.example/"`, `<guid isPermaLink="false">tag:dateline.test,2026:story/1</guid>`} {
		if !bytes.Contains(doc, []byte(want)) {
			t.Errorf("RSS lacks %s", want)
		}
	}
}

func TestAtomAndJSONExtras(t *testing.T) {
	atom := write(t, Formats[1], sample())
	for _, want := range []string{`<entry xml:lang="ar">`, `<link rel="hub" href="https://hub.example/">`,
		`<link rel="enclosure" href="http://dateline.test/media/x/1280.jpg" type="image/jpeg" length="1234">`} {
		if !bytes.Contains(atom, []byte(want)) {
			t.Errorf("Atom lacks %s", want)
		}
	}
	var doc jsonDoc
	if err := json.Unmarshal(write(t, Formats[2], sample()), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Hubs) != 1 || doc.Hubs[0].URL != "https://hub.example/" || doc.Hubs[0].Type != "WebSub" {
		t.Errorf("hubs %+v", doc.Hubs)
	}
	if doc.Items[1].Language != "ar" || doc.Items[0].Language != "" {
		t.Errorf("item languages %q %q", doc.Items[0].Language, doc.Items[1].Language)
	}
	if doc.Items[1].ContentText != "ملخص" || doc.Items[1].ContentHTML != "" {
		t.Errorf("a summary-only item: %+v", doc.Items[1])
	}
	// Without a hub, no format names one.
	f := sample()
	f.HubURL = ""
	for _, format := range Formats {
		if out := write(t, format, f); bytes.Contains(out, []byte("hub")) {
			t.Errorf("%s names a hub it was not given", format.File)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain":             "plain",
		"a\x00b\x1fc\td\ne": "abc\td\ne",
		"bad \xff byte":     "bad  byte",
		"\uFFFE\uFFFFok�":   "ok�",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestByFile(t *testing.T) {
	for _, name := range []string{"rss.xml", "atom.xml", "feed.json"} {
		if f, ok := ByFile(name); !ok || f.File != name {
			t.Errorf("ByFile(%q) = %+v, %v", name, f, ok)
		}
	}
	for _, name := range []string{"rss2.xml", "", "RSS.XML", "feed.xml"} {
		if _, ok := ByFile(name); ok {
			t.Errorf("ByFile(%q) found a format", name)
		}
	}
	if Formats[1].MediaType() != "application/atom+xml" {
		t.Errorf("media type %q", Formats[1].MediaType())
	}
}
