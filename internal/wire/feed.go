package wire

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

// parseFeed reads RSS 0.9x, 1.0 and 2.0, Atom 1.0 and JSON Feed through
// gofeed, whose forgiving XML reader recovers feeds that are not quite
// well-formed (a bare "&", a stray control character) as agencies' and
// publishers' feeds often are. A feed item has no version: it is
// imported once, and a later run skips it.
func parseFeed(data []byte) (*Batch, error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: feed: %v", ErrFormat, err)
	}
	b := &Batch{Format: f.FeedType}
	for _, fi := range f.Items {
		b.Items = append(b.Items, feedItem(f, fi))
	}
	return b, nil
}

func feedItem(f *gofeed.Feed, fi *gofeed.Item) *Item {
	it := &Item{Format: f.FeedType, Kind: KindText, Version: 1, PubStatus: Usable,
		GUID: strings.TrimSpace(firstOf(fi.GUID, fi.Link)), Link: strings.TrimSpace(fi.Link),
		Headline: plainText(fi.Title), Provider: collapse(f.Title), Language: strings.TrimSpace(f.Language)}
	body := fi.Content
	if strings.TrimSpace(body) == "" {
		body = fi.Description
	} else if d := plainText(fi.Description); len(d) < 400 {
		it.Subheadline = d
	}
	it.Body = HTMLToBlocks(body)
	for _, p := range fi.Authors {
		if p != nil && collapse(p.Name) != "" {
			it.Bylines = append(it.Bylines, collapse(p.Name))
		}
	}
	if len(it.Bylines) == 0 && fi.DublinCoreExt != nil {
		for _, c := range fi.DublinCoreExt.Creator {
			if c = collapse(c); c != "" {
				it.Bylines = append(it.Bylines, c)
			}
		}
	}
	// A feed's categories are its keywords, for routing rules too.
	for _, c := range fi.Categories {
		it.Subjects = appendUnique(it.Subjects, collapse(c))
		it.Keywords = appendUnique(it.Keywords, collapse(c))
	}
	if t := timeOf(fi.PublishedParsed); !t.IsZero() {
		it.FirstCreated, it.ContentCreated, it.VersionCreated = t, t, t
	}
	if t := timeOf(fi.UpdatedParsed); !t.IsZero() {
		it.VersionCreated = t
		if it.FirstCreated.IsZero() {
			it.FirstCreated = t
		}
	}
	it.Pictures = feedPictures(fi)
	return it
}

// feedPictures reads the item's image, image enclosures and Media RSS
// content or thumbnail.
func feedPictures(fi *gofeed.Item) []Picture {
	var out []Picture
	add := func(p Picture) {
		if !isHTTP(p.URL) {
			return
		}
		for _, q := range out {
			if q.URL == p.URL {
				return
			}
		}
		out = append(out, p)
	}
	for _, m := range fi.Extensions["media"]["content"] {
		if medium := m.Attrs["medium"]; medium == "" || medium == "image" {
			if t := m.Attrs["type"]; t == "" || strings.HasPrefix(t, "image/") {
				add(mediaPicture(m))
			}
		}
	}
	for _, g := range fi.Extensions["media"]["group"] {
		for _, m := range g.Children["content"] {
			if strings.HasPrefix(m.Attrs["type"], "image/") || m.Attrs["medium"] == "image" {
				add(mediaPicture(m))
			}
		}
	}
	if fi.Image != nil {
		add(Picture{URL: fi.Image.URL, Caption: collapse(fi.Image.Title)})
	}
	for _, e := range fi.Enclosures {
		if e != nil && strings.HasPrefix(e.Type, "image/") {
			add(Picture{URL: e.URL})
		}
	}
	if len(out) == 0 {
		for _, m := range fi.Extensions["media"]["thumbnail"] {
			add(mediaPicture(m))
		}
	}
	return out
}

func mediaPicture(m ext.Extension) Picture {
	p := Picture{URL: strings.TrimSpace(m.Attrs["url"]), Width: atoiOr(m.Attrs["width"], 0), Height: atoiOr(m.Attrs["height"], 0)}
	for _, d := range m.Children["description"] {
		p.Caption = plainText(d.Value)
	}
	for _, c := range m.Children["credit"] {
		p.Credit = collapse(c.Value)
	}
	return p
}

func isHTTP(u string) bool {
	return strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// plainText is the text of a snippet that may hold markup or entities.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return collapse(s)
	}
	var parts []string
	for _, b := range HTMLToBlocks(s) {
		for _, sp := range b.Spans {
			parts = append(parts, sp.Text)
		}
		for _, it := range b.Items {
			for _, sp := range it {
				parts = append(parts, sp.Text)
			}
		}
		parts = append(parts, " ")
	}
	return collapse(strings.Join(parts, ""))
}
