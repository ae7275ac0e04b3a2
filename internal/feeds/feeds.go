// Package feeds writes syndication feeds, RSS 2.0, Atom 1.0 and JSON Feed
// 1.1, from one small feed model, and turns stories into that model
// (story.go).
//
// Every document it writes is UTF-8 and well-formed whatever the text it
// is given: characters XML does not allow (control characters, invalid
// UTF-8) are dropped before writing. It does no I/O besides writing to the
// given io.Writer: the caller reads the stories and says what sizes the
// pictures have.
package feeds

import (
	"io"
	"strings"
	"time"
)

// Feed is one feed in any of the formats.
type Feed struct {
	Title       string
	Description string
	HomeURL     string    // the page whose stories the feed lists
	SelfURL     string    // where this feed is served
	HubURL      string    // a WebSub hub announced with rel="hub", or ""
	Language    string    // BCP 47, the site's language
	Author      string    // the publisher, used where a format wants a feed author
	Updated     time.Time // required: Atom has no feed without it
	Items       []Item
}

// Item is one story in a feed.
type Item struct {
	// ID never changes once the story is published, whatever else does
	// (headline, slug, section): readers use it to tell new from updated.
	ID          string
	Title       string
	Link        string // absolute URL of the story page
	Summary     string // plain text
	ContentHTML string // full text as an HTML fragment, or "" for summaries only
	Language    string // the item's own language when it differs from the feed's, else ""
	Published   time.Time
	Updated     time.Time
	Authors     []Person
	Categories  []string
	Image       *Image
}

// Person is an author: a staff profile, a free-text byline or a wire agency.
type Person struct {
	Name string
	URL  string // absolute, or "" when the name has no page
}

// Image is a picture that goes with an item (its lead image).
type Image struct {
	URL     string // absolute
	Type    string // MIME type
	Width   int
	Height  int
	Length  int64 // bytes, 0 when unknown
	Caption string
	Credit  string
}

// Format is one of the feed formats.
type Format struct {
	File        string // the file name it is served under: rss.xml, atom.xml, feed.json
	Name        string // for people: RSS, Atom, JSON Feed
	ContentType string
	Write       func(w io.Writer, f *Feed) error
}

// Formats are the feed formats, in the order pages announce them.
var Formats = []Format{
	{File: "rss.xml", Name: "RSS", ContentType: "application/rss+xml; charset=utf-8", Write: WriteRSS},
	{File: "atom.xml", Name: "Atom", ContentType: "application/atom+xml; charset=utf-8", Write: WriteAtom},
	{File: "feed.json", Name: "JSON Feed", ContentType: "application/feed+json; charset=utf-8", Write: WriteJSON},
}

// ByFile returns the format served under the file name, if any.
func ByFile(name string) (Format, bool) {
	for _, f := range Formats {
		if f.File == name {
			return f, true
		}
	}
	return Format{}, false
}

// MediaType is the content type without parameters, as <link type> wants it.
func (f Format) MediaType() string {
	t, _, _ := strings.Cut(f.ContentType, ";")
	return t
}

// clean returns s as valid UTF-8 without the characters XML 1.0 forbids
// (C0 controls other than tab, newline and carriage return, U+FFFE and
// U+FFFF). Invalid bytes are dropped rather than replaced, so nothing odd
// shows in a reader.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "")
	if strings.IndexFunc(s, forbidden) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if forbidden(r) {
			return -1
		}
		return r
	}, s)
}

func forbidden(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF
}
