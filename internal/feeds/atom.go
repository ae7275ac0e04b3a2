package feeds

import (
	"encoding/xml"
	"io"
	"strconv"
)

type atomDoc struct {
	XMLName  xml.Name    `xml:"feed"`
	NS       string      `xml:"xmlns,attr"`
	Media    string      `xml:"xmlns:media,attr"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    atomText    `xml:"title"`
	Subtitle *atomText   `xml:"subtitle"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   *atomPerson `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomEntry struct {
	Lang       string         `xml:"xml:lang,attr,omitempty"`
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published,omitempty"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary"`
	Content    *atomHTML      `xml:"content"`
	Media      *mediaContent  `xml:"media:content"`
}

// atomLink is Atom's <link>, also written into RSS as <atom:link>.
type atomLink struct {
	Rel    string `xml:"rel,attr"`
	Href   string `xml:"href,attr"`
	Type   string `xml:"type,attr,omitempty"`
	Length string `xml:"length,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomHTML struct {
	Type string `xml:"type,attr"`
	Text string `xml:",cdata"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// WriteAtom writes f as Atom 1.0 (RFC 4287), with the lead image both as
// an enclosure link and as Media RSS, and entries in another language
// than the feed's marked with xml:lang.
func WriteAtom(w io.Writer, f *Feed) error {
	doc := atomDoc{
		NS: nsAtom, Media: nsMedia, Lang: clean(f.Language),
		ID:      clean(f.SelfURL),
		Title:   atomText{Type: "text", Text: clean(f.Title)},
		Updated: rfc3339(f.Updated),
		Links:   append([]atomLink{{Rel: "alternate", Href: clean(f.HomeURL), Type: "text/html"}}, feedLinks(f, "application/atom+xml")...),
	}
	if f.Description != "" {
		doc.Subtitle = &atomText{Type: "text", Text: clean(f.Description)}
	}
	// A feed author stands in for entries without one, as RFC 4287 asks.
	if f.Author != "" {
		doc.Author = &atomPerson{Name: clean(f.Author), URI: clean(f.HomeURL)}
	}
	for i := range f.Items {
		doc.Entries = append(doc.Entries, atomItem(&f.Items[i]))
	}
	return writeXML(w, doc)
}

func atomItem(it *Item) atomEntry {
	updated := it.Updated
	if updated.Before(it.Published) {
		updated = it.Published
	}
	e := atomEntry{
		Lang: clean(it.Language), ID: clean(it.ID),
		Title:     atomText{Type: "text", Text: clean(it.Title)},
		Links:     []atomLink{{Rel: "alternate", Href: clean(it.Link), Type: "text/html"}},
		Published: rfc3339(it.Published), Updated: rfc3339(updated),
	}
	for _, p := range it.Authors {
		e.Authors = append(e.Authors, atomPerson{Name: clean(p.Name), URI: clean(p.URL)})
	}
	for _, c := range it.Categories {
		e.Categories = append(e.Categories, atomCategory{Term: clean(c)})
	}
	if it.Summary != "" {
		e.Summary = &atomText{Type: "text", Text: clean(it.Summary)}
	}
	if it.ContentHTML != "" {
		e.Content = &atomHTML{Type: "html", Text: clean(it.ContentHTML)}
	}
	if img := it.Image; img != nil {
		l := atomLink{Rel: "enclosure", Href: clean(img.URL), Type: clean(img.Type)}
		if img.Length > 0 {
			l.Length = strconv.FormatInt(img.Length, 10)
		}
		e.Links = append(e.Links, l)
		e.Media = mediaOf(img)
	}
	return e
}
