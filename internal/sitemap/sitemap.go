package sitemap

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"time"
)

// Limits the protocol sets on one file.
const (
	// MaxURLs is the most <url> (or <sitemap>) entries one file may hold.
	MaxURLs = 50000
	// MaxNewsURLs is the most entries a Google News sitemap may hold.
	MaxNewsURLs = 1000
	// MaxImages is the most image:image entries one <url> may hold.
	MaxImages = 1000
)

// Namespaces of the documents and extensions written here.
const (
	NS      = "http://www.sitemaps.org/schemas/sitemap/0.9"
	NSImage = "http://www.google.com/schemas/sitemap-image/1.1"
	NSNews  = "http://www.google.com/schemas/sitemap-news/0.9"
)

// ErrFull is returned by Add once a file holds MaxURLs entries.
var ErrFull = errors.New("sitemap: file is full")

// URL is one <url> entry of a urlset.
type URL struct {
	Loc     string    // absolute URL of the page
	LastMod time.Time // zero leaves lastmod out
	Images  []string  // absolute URLs of the page's pictures
	News    *News     // nil outside a news sitemap
}

// News is the news:news element of a Google News sitemap entry.
type News struct {
	Name      string    // the publication's name, as in Google News
	Language  string    // see NewsLanguage
	Published time.Time // the first publication of the article
	Title     string
}

// Sitemap is one <sitemap> entry of a sitemap index.
type Sitemap struct {
	Loc     string
	LastMod time.Time
}

// writer is what URLSet and Index share: a buffer in front of the
// destination, the first error kept (later writes are skipped), and the
// count of entries.
type writer struct {
	w    *bufio.Writer
	err  error
	n    int
	open bool
}

func newWriter(w io.Writer) writer { return writer{w: bufio.NewWriterSize(w, 16<<10)} }

func (w *writer) raw(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

// text writes s escaped as XML character data; characters XML cannot hold
// become U+FFFD. Plain ASCII, which every URL is, goes straight through
// without the copy xml.EscapeText needs.
func (w *writer) text(s string) {
	if w.err != nil {
		return
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '&' || c == '\'' || c == '"' {
			w.err = xml.EscapeText(w.w, []byte(s))
			return
		}
	}
	_, w.err = w.w.WriteString(s)
}

// elem writes <name>escaped text</name>.
func (w *writer) elem(name, s string) {
	w.raw("<" + name + ">")
	w.text(s)
	w.raw("</" + name + ">")
}

// time writes <name> with t as a W3C datetime, to the second, in t's own
// location (so an offset such as +03:00, or Z in UTC).
func (w *writer) time(name string, t time.Time) {
	if t.IsZero() || w.err != nil {
		return
	}
	w.raw("<" + name + ">")
	if w.err == nil {
		_, w.err = w.w.Write(t.Truncate(time.Second).AppendFormat(w.w.AvailableBuffer(), time.RFC3339))
	}
	w.raw("</" + name + ">")
}

func (w *writer) begin(head string) error {
	if w.open || w.err != nil {
		return w.err
	}
	w.open = true
	w.raw(xml.Header)
	w.raw(head)
	return w.err
}

func (w *writer) end(tail string) error {
	if err := w.begin(""); err != nil {
		return err
	}
	w.raw(tail)
	if w.err == nil {
		w.err = w.w.Flush()
	}
	if w.err != nil {
		return fmt.Errorf("write sitemap: %w", w.err)
	}
	return nil
}

// URLSet writes a <urlset> entry by entry. Nothing is written before the
// first Add or Close; Close must be called to end the document.
type URLSet struct{ writer }

// NewURLSet returns a urlset writing to w, with the image and news
// namespaces declared.
func NewURLSet(w io.Writer) *URLSet { return &URLSet{newWriter(w)} }

// Count is the number of entries added so far.
func (u *URLSet) Count() int { return u.n }

// Add writes one entry. It returns ErrFull past MaxURLs entries, and the
// first write error once one happened.
func (u *URLSet) Add(e URL) error {
	if u.n >= MaxURLs {
		return ErrFull
	}
	if err := u.begin(`<urlset xmlns="` + NS + `" xmlns:image="` + NSImage + `" xmlns:news="` + NSNews + `">`); err != nil {
		return fmt.Errorf("write sitemap: %w", err)
	}
	u.n++
	u.raw("\n<url>")
	u.elem("loc", e.Loc)
	u.time("lastmod", e.LastMod)
	for i, img := range e.Images {
		if i == MaxImages {
			break
		}
		u.raw("<image:image>")
		u.elem("image:loc", img)
		u.raw("</image:image>")
	}
	if n := e.News; n != nil {
		u.raw("<news:news><news:publication>")
		u.elem("news:name", n.Name)
		u.elem("news:language", n.Language)
		u.raw("</news:publication>")
		u.time("news:publication_date", n.Published)
		u.elem("news:title", n.Title)
		u.raw("</news:news>")
	}
	u.raw("</url>")
	if u.err != nil {
		return fmt.Errorf("write sitemap: %w", u.err)
	}
	return nil
}

// Close ends the document and flushes it. A urlset closed without entries
// is well-formed but has no <url>, which the sitemaps.org schema refuses:
// callers that can answer 404 instead should.
func (u *URLSet) Close() error {
	u.begin(`<urlset xmlns="` + NS + `" xmlns:image="` + NSImage + `" xmlns:news="` + NSNews + `">`)
	return u.end("\n</urlset>\n")
}

// Index writes a <sitemapindex> entry by entry, like URLSet.
type Index struct{ writer }

// NewIndex returns a sitemap index writing to w.
func NewIndex(w io.Writer) *Index { return &Index{newWriter(w)} }

// Add writes one entry; ErrFull past MaxURLs entries.
func (x *Index) Add(s Sitemap) error {
	if x.n >= MaxURLs {
		return ErrFull
	}
	if err := x.begin(`<sitemapindex xmlns="` + NS + `">`); err != nil {
		return fmt.Errorf("write sitemap index: %w", err)
	}
	x.n++
	x.raw("\n<sitemap>")
	x.elem("loc", s.Loc)
	x.time("lastmod", s.LastMod)
	x.raw("</sitemap>")
	if x.err != nil {
		return fmt.Errorf("write sitemap index: %w", x.err)
	}
	return nil
}

// Close ends the index and flushes it.
func (x *Index) Close() error {
	x.begin(`<sitemapindex xmlns="` + NS + `">`)
	return x.end("\n</sitemapindex>\n")
}
