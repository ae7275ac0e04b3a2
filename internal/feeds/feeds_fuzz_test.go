package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
)

// FuzzWriters gives the three writers hostile story text: headline,
// summary, full text, author and category. Invariants: RSS and Atom are
// well-formed XML and JSON Feed is valid JSON, and the headline comes
// back out of each exactly as written (less the characters XML forbids).
func FuzzWriters(f *testing.F) {
	for _, s := range []string{nasty, "", "plain", "]]>", "<![CDATA[x]]>", "&amp; &lt; &#0; &#x1F;", "\r\n\r", "\uFFFE\uFFFF",
		"\xed\xa0\x80", "<script>alert(1)</script>", "\"'`", "a\u2028b\u2029c", strings.Repeat("ü", 300)} {
		f.Add(s, s, "<p>"+s+"</p>", s, s)
	}
	f.Add("Title", "Summary", "<p>a]]>b<![CDATA[c</p>", "Ada", "World")
	f.Fuzz(func(t *testing.T, title, summary, content, author, category string) {
		feed := sample()
		it := &feed.Items[0]
		it.Title, it.Summary, it.ContentHTML = title, summary, content
		it.Authors[0].Name, it.Categories[0] = author, category
		feed.Title = title
		want := normalize(clean(title))
		for _, format := range []Format{ByFileMust("rss.xml"), ByFileMust("atom.xml")} {
			var b bytes.Buffer
			if err := format.Write(&b, feed); err != nil {
				t.Fatalf("%s: %v", format.Name, err)
			}
			titles := xmlTitles(t, b.Bytes())
			if len(titles) < 2 || !containsTrimmed(titles, want) {
				t.Fatalf("%s: title %q came out as %q\n%s", format.Name, title, titles, b.Bytes())
			}
		}
		var b bytes.Buffer
		if err := WriteJSON(&b, feed); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Title string
			Items []struct {
				Title       string `json:"title"`
				ContentHTML string `json:"content_html"`
			}
		}
		if !json.Valid(b.Bytes()) {
			t.Fatalf("JSON Feed is not valid JSON:\n%s", b.Bytes())
		}
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil || len(doc.Items) != 2 {
			t.Fatalf("JSON Feed: %v %s", err, b.Bytes())
		}
		if got := normalize(doc.Items[0].Title); strings.TrimSpace(got) != strings.TrimSpace(want) {
			t.Fatalf("JSON Feed title %q, want %q", got, want)
		}
	})
}

// ByFileMust is ByFile for names known to exist.
func ByFileMust(name string) Format {
	f, ok := ByFile(name)
	if !ok {
		panic(name)
	}
	return f
}

// xmlTitles reads the whole document with the strict decoder (failing the
// test when it is not well-formed) and returns the text of every title.
func xmlTitles(t *testing.T, doc []byte) []string {
	t.Helper()
	wellFormed(t, doc)
	d := xml.NewDecoder(bytes.NewReader(doc))
	var titles []string
	for {
		tok, err := d.Token()
		if err != nil {
			return titles
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "title" {
			var s string
			if err := d.DecodeElement(&s, &se); err != nil {
				t.Fatalf("title: %v", err)
			}
			titles = append(titles, normalize(s))
		}
	}
}

// normalize is what XML does to line ends on reading.
func normalize(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

func containsTrimmed(list []string, want string) bool {
	for _, s := range list {
		if strings.TrimSpace(s) == strings.TrimSpace(want) {
			return true
		}
	}
	return false
}
