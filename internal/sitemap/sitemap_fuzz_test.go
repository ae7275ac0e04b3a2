package sitemap_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"dateline/internal/sitemap"
)

// FuzzURLSet writes a news sitemap entry from hostile text (the story's
// headline, the publication's name, a URL with markup in it). Invariants:
// the document is well-formed XML whatever the text, and the headline and
// URL come back as written when they are text XML can carry.
func FuzzURLSet(f *testing.F) {
	for _, s := range []string{"Plain headline", "Tom & Jerry <b>]]>", "\x00\x01\x1b", "\xff\xfe", "العربية", "\uFFFE", "a\r\nb",
		"&amp;&#0;", `"'`, strings.Repeat("x", 3000)} {
		f.Add("http://dateline.test/world/a-1?x="+s, s, s, "en")
	}
	f.Add("http://dateline.test/a&b<c>", "t", "Dateline", "pt-BR")
	f.Fuzz(func(t *testing.T, loc, title, name, lang string) {
		var b bytes.Buffer
		u := sitemap.NewURLSet(&b)
		err := u.Add(sitemap.URL{Loc: loc, LastMod: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC),
			Images: []string{loc}, News: &sitemap.News{Name: name, Language: lang, Title: title, Published: time.Unix(0, 0)}})
		if err != nil {
			t.Fatal(err)
		}
		if err := u.Close(); err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(bytes.NewReader(b.Bytes()))
		d.Strict = true
		var doc struct {
			URLs []struct {
				Loc   string `xml:"loc"`
				Title string `xml:"news>title"`
			} `xml:"url"`
		}
		if err := d.Decode(&doc); err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, b.Bytes())
		}
		if len(doc.URLs) != 1 {
			t.Fatalf("%d entries\n%s", len(doc.URLs), b.Bytes())
		}
		if xmlSafe(title) && doc.URLs[0].Title != title {
			t.Errorf("title %q came back %q", title, doc.URLs[0].Title)
		}
		if xmlSafe(loc) && doc.URLs[0].Loc != loc {
			t.Errorf("loc %q came back %q", loc, doc.URLs[0].Loc)
		}
	})
}

// xmlSafe reports whether s is text an XML reader gives back unchanged:
// valid UTF-8, only characters XML allows, no carriage returns (which
// readers turn into line feeds), no space at the ends (which a writer may
// trim).
func xmlSafe(s string) bool {
	if !utf8.ValidString(s) || strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n') || r == '\r' || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF) {
			return false
		}
	}
	return true
}
