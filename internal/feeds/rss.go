package feeds

import (
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"time"
)

// Namespaces the XML feeds use. encoding/xml invents its own prefixes for
// namespaced names, so elements are written with the usual fixed prefixes
// and the root element declares them.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsMedia   = "http://search.yahoo.com/mrss/"
)

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Content string     `xml:"xmlns:content,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Media   string     `xml:"xmlns:media,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string     `xml:"title"`
	Link          string     `xml:"link"`
	Description   string     `xml:"description"`
	Language      string     `xml:"language,omitempty"`
	LastBuildDate string     `xml:"lastBuildDate,omitempty"`
	Links         []atomLink `xml:"atom:link"`
	Items         []rssItem  `xml:"item"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	Description string        `xml:"description"`
	Content     *cdata        `xml:"content:encoded"`
	Creators    []string      `xml:"dc:creator"`
	Categories  []string      `xml:"category"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate,omitempty"`
	Updated     string        `xml:"atom:updated,omitempty"`
	Language    string        `xml:"dc:language,omitempty"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
	Media       *mediaContent `xml:"media:content"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// cdata holds HTML as a CDATA section, which keeps it readable; the
// encoder splits the section around any "]]>" in the text.
type cdata struct {
	Text string `xml:",cdata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

// mediaContent is Media RSS's <media:content>, used in RSS and Atom.
type mediaContent struct {
	URL         string     `xml:"url,attr"`
	Type        string     `xml:"type,attr,omitempty"`
	Medium      string     `xml:"medium,attr"`
	Width       int        `xml:"width,attr,omitempty"`
	Height      int        `xml:"height,attr,omitempty"`
	FileSize    int64      `xml:"fileSize,attr,omitempty"`
	Description *mediaText `xml:"media:description"`
	Credit      string     `xml:"media:credit,omitempty"`
}

type mediaText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// WriteRSS writes f as RSS 2.0 with the content (full text), Dublin Core
// (authors, item language), Atom (self and hub links) and Media RSS
// (lead image) extensions.
func WriteRSS(w io.Writer, f *Feed) error {
	ch := rssChannel{
		Title: clean(f.Title), Link: clean(f.HomeURL), Description: clean(f.Description),
		Language: clean(f.Language), LastBuildDate: rfc822(f.Updated),
		Links: feedLinks(f, "application/rss+xml"),
	}
	for i := range f.Items {
		ch.Items = append(ch.Items, rssEntry(&f.Items[i]))
	}
	doc := rssDoc{Version: "2.0", Atom: nsAtom, Content: nsContent, DC: nsDC, Media: nsMedia, Channel: ch}
	return writeXML(w, doc)
}

func rssEntry(it *Item) rssItem {
	out := rssItem{
		Title: clean(it.Title), Link: clean(it.Link),
		// description is HTML by custom: the plain summary is escaped so a
		// "<" in it is shown, not parsed.
		Description: html.EscapeString(clean(it.Summary)),
		GUID:        rssGUID{IsPermaLink: "false", Value: clean(it.ID)},
		PubDate:     rfc822(it.Published),
		Language:    clean(it.Language),
	}
	if it.ContentHTML != "" {
		out.Content = &cdata{Text: clean(it.ContentHTML)}
	}
	if !it.Updated.IsZero() && it.Updated.After(it.Published) {
		out.Updated = rfc3339(it.Updated)
	}
	for _, p := range it.Authors {
		out.Creators = append(out.Creators, clean(p.Name))
	}
	for _, c := range it.Categories {
		out.Categories = append(out.Categories, clean(c))
	}
	if img := it.Image; img != nil {
		out.Media = mediaOf(img)
		// RSS requires an enclosure's length; without it only the Media
		// RSS element is written, which readers use for pictures anyway.
		if img.Length > 0 {
			out.Enclosure = &rssEnclosure{URL: clean(img.URL), Length: img.Length, Type: clean(img.Type)}
		}
	}
	return out
}

func mediaOf(img *Image) *mediaContent {
	m := &mediaContent{URL: clean(img.URL), Type: clean(img.Type), Medium: "image",
		Width: img.Width, Height: img.Height, FileSize: img.Length, Credit: clean(img.Credit)}
	if img.Caption != "" {
		m.Description = &mediaText{Type: "plain", Text: clean(img.Caption)}
	}
	return m
}

// feedLinks are the feed's self and hub links, as Atom <link> elements.
func feedLinks(f *Feed, selfType string) []atomLink {
	var out []atomLink
	if f.SelfURL != "" {
		out = append(out, atomLink{Rel: "self", Href: clean(f.SelfURL), Type: selfType})
	}
	if f.HubURL != "" {
		out = append(out, atomLink{Rel: "hub", Href: clean(f.HubURL)})
	}
	return out
}

func writeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	return nil
}

func rfc822(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC1123Z)
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
