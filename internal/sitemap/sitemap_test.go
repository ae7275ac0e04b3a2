package sitemap_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"dateline/internal/sitemap"
	"dateline/internal/testutil"
)

var istanbul = time.FixedZone("TRT", 3*3600)

func TestURLSetEscapesAndDates(t *testing.T) {
	var b bytes.Buffer
	u := sitemap.NewURLSet(&b)
	title := `Tom & "Jerry" <say> 'hi'` + "\x01"
	err := u.Add(sitemap.URL{
		Loc:     "https://example.com/a?x=1&y=<2>",
		LastMod: time.Date(2026, 11, 29, 12, 30, 15, 999, istanbul),
		Images:  []string{"https://example.com/media/h/1600.jpg"},
		News:    &sitemap.News{Name: "Site & Co", Language: "en", Published: time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC), Title: title},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := u.Add(sitemap.URL{Loc: "https://example.com/plain"}); err != nil {
		t.Fatal(err)
	}
	if err := u.Close(); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"<loc>https://example.com/a?x=1&amp;y=&lt;2&gt;</loc>",
		"<lastmod>2026-11-29T12:30:15+03:00</lastmod>",
		"<news:publication_date>2026-11-29T09:00:00Z</news:publication_date>",
		"<news:name>Site &amp; Co</news:name>",
		"<url><loc>https://example.com/plain</loc></url>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	var doc struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Title string `xml:"news>title"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, out)
	}
	if len(doc.URLs) != 2 || doc.URLs[0].Loc != "https://example.com/a?x=1&y=<2>" || doc.URLs[0].Title != strings.TrimSuffix(title, "\x01")+"\uFFFD" {
		t.Errorf("read back %+v", doc.URLs)
	}
	if u.Count() != 2 {
		t.Errorf("Count = %d, want 2", u.Count())
	}
	if err := testutil.ValidateSitemap(t, b.Bytes()); err != nil {
		t.Errorf("does not validate: %v", err)
	}
}

// TestSchemasRefuse makes sure the validation the site's tests rely on
// can fail: a bad language, a missing title and an unknown extension
// element are refused.
func TestSchemasRefuse(t *testing.T) {
	good := func() sitemap.URL {
		return sitemap.URL{Loc: "https://example.com/story-1", News: &sitemap.News{Name: "S", Language: "en",
			Published: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Title: "T"}}
	}
	bad := map[string]func(*sitemap.URL){
		"language":  func(u *sitemap.URL) { u.News.Language = "English" },
		"title":     func(u *sitemap.URL) { u.News.Title = "" },
		"short loc": func(u *sitemap.URL) { u.Loc = "http://a/" },
	}
	for name, spoil := range bad {
		u := good()
		spoil(&u)
		var b bytes.Buffer
		x := sitemap.NewURLSet(&b)
		x.Add(u)
		x.Close()
		if err := testutil.ValidateSitemap(t, b.Bytes()); err == nil {
			t.Errorf("%s: a bad sitemap validates:\n%s", name, b.String())
		}
	}
	doc := strings.Replace(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>https://example.com/x</loc><image:image><image:caption>c</image:caption></image:image></url></urlset>`, "\n", "", -1)
	if err := testutil.ValidateSitemap(t, []byte(doc)); err == nil {
		t.Error("an image without image:loc validates")
	}
}

func TestIndex(t *testing.T) {
	var b bytes.Buffer
	x := sitemap.NewIndex(&b)
	x.Add(sitemap.Sitemap{Loc: "https://example.com/sitemap-stories-1.xml", LastMod: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)})
	x.Add(sitemap.Sitemap{Loc: "https://example.com/sitemap-news.xml"})
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if err := testutil.ValidateSitemap(t, b.Bytes()); err != nil {
		t.Errorf("index does not validate: %v\n%s", err, b.String())
	}
	if !strings.Contains(b.String(), "<lastmod>2026-11-29T00:00:00Z</lastmod>") {
		t.Errorf("index lastmod missing:\n%s", b.String())
	}
}

func TestLimits(t *testing.T) {
	u := sitemap.NewURLSet(io.Discard)
	for i := 0; i < sitemap.MaxURLs; i++ {
		if err := u.Add(sitemap.URL{Loc: "https://example.com/x"}); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	if err := u.Add(sitemap.URL{Loc: "https://example.com/x"}); !errors.Is(err, sitemap.ErrFull) {
		t.Errorf("entry %d: %v, want ErrFull", sitemap.MaxURLs+1, err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorsSurface(t *testing.T) {
	u := sitemap.NewURLSet(failingWriter{})
	u.Add(sitemap.URL{Loc: "https://example.com/x"}) // buffered: may not fail yet
	if err := u.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Close on a failing writer: %v", err)
	}
}

func TestNewsLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"en": "en", "EN-gb": "en", "ar": "ar", "tr-TR": "tr", "pt_BR": "pt",
		"zh": "zh-cn", "zh-CN": "zh-cn", "zh-Hans": "zh-cn", "zh-Hans-SG": "zh-cn",
		"zh-TW": "zh-tw", "zh-Hant": "zh-tw", "zh-HK": "zh-tw", "fil": "fil",
	} {
		if got := sitemap.NewsLanguage(in); got != want {
			t.Errorf("NewsLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}
