package api

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dateline/internal/bodyhtml"
	"dateline/internal/media"
	"dateline/internal/story"
)

// builder turns stories into ninjs documents for one response.
type builder struct {
	base     string // the site's base URL, without a trailing slash
	siteName string
	related  map[int64]story.Summary // published stories that related blocks point to
}

// storyURI is a story's ninjs uri: stable for its whole life (built from
// the id, never the slug, which changes with the headline), absolute, and
// the address where the API serves the document.
func (b *builder) storyURI(id int64) string {
	return b.base + "/api/v1/stories/" + strconv.FormatInt(id, 10)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// pubStatus maps the workflow status to ninjs: published is usable, taken
// down for good is canceled, everything else is withheld (not to be used,
// perhaps later).
func pubStatus(s story.Status) string {
	switch {
	case s == story.StatusPublished:
		return "usable"
	case s.Gone():
		return "canceled"
	}
	return "withheld"
}

// tombstone is what the change list shows of a story taken down: enough
// for a partner to find its copy and remove it, nothing of the content.
func (b *builder) tombstone(st *story.Story) Document {
	return Document{URI: b.storyURI(st.ID), PubStatus: tombstoneStatus(st.Status), VersionCreated: stamp(st.ModifiedAt)}
}

func tombstoneStatus(s story.Status) string {
	if s == story.StatusWithheld {
		return "withheld"
	}
	return "canceled"
}

// document is the full ninjs 3 document of a story.
func (b *builder) document(st *story.Story) Document {
	d := Document{
		URI:                b.storyURI(st.ID),
		Standard:           &Standard{Name: "ninjs", Version: ninjs3Version, Schema: ninjs3Schema},
		Type:               "text",
		RepresentationType: "full",
		Version:            strconv.Itoa(st.Version),
		FirstCreated:       stamp(st.FirstPublishedAt),
		VersionCreated:     stamp(st.ModifiedAt),
		ContentCreated:     stamp(st.CreatedAt),
		PubStatus:          pubStatus(st.Status),
		Language:           st.Language,
		Headlines:          []Text{{Role: "main", ContentType: "text/plain", Value: st.Headline}},
		CopyrightHolder:    b.siteName,
	}
	if d.FirstCreated == "" {
		d.FirstCreated = d.ContentCreated
	}
	if st.Status != story.StatusPublished {
		d.EdNote = "Not public on the site: workflow status " + string(st.Status) + "."
	}
	if st.Standfirst != "" {
		d.Descriptions = append(d.Descriptions, Text{Role: "summary", ContentType: "text/plain", Value: st.Standfirst})
	}
	for _, n := range st.Notes {
		d.Descriptions = append(d.Descriptions, Text{Role: n.Kind, ContentType: "text/plain", Value: n.Text})
	}
	d.Bodies = b.bodies(st)
	d.By, d.People = b.credits(st)
	d.Subjects = b.subjects(st)
	d.Genres = genres(st.Type)
	d.InfoSources = []Entity{{Name: b.siteName, Role: "publisher", URI: b.base + "/"}}
	if src := st.Source; src != nil {
		d.CopyrightHolder = src.Name
		uri := src.URL
		if uri == "" {
			uri = b.base + "/source/" + src.Slug
		}
		d.InfoSources = append(d.InfoSources, Entity{Name: src.Name, Role: "originator", URI: uri, Literal: src.Label})
	}
	d.AltIDs = []AltID{{Role: "webpage", Value: b.base + st.Path()}}
	if st.WireID != "" {
		d.AltIDs = append(d.AltIDs, AltID{Role: "agencyid", Value: st.WireID})
	}
	if pic := b.picture(st.Lead); pic != nil {
		d.Associations = []Associate{{Name: "leadimage", Document: *pic}}
	}
	return d
}

func (b *builder) bodies(st *story.Story) []Body {
	html := bodyhtml.Render(st.Body, bodyhtml.Options{BaseURL: b.base, Related: func(id int64) (bodyhtml.Link, bool) {
		r, ok := b.related[id]
		return bodyhtml.Link{Title: r.Headline, Path: r.Path()}, ok
	}})
	text := story.BodyText(st.Body)
	words := story.WordCount(st.Body)
	chars := utf8.RuneCountInString(text)
	return []Body{
		{Role: "main", ContentType: "text/html", CharCount: chars, WordCount: words, Value: html},
		{Role: "main", ContentType: "text/plain", CharCount: chars, WordCount: words, Value: text},
	}
}

// credits are the byline as one line ("A, B and C"; the agency for wire
// copy without names) and each name as a person with the author role.
func (b *builder) credits(st *story.Story) (string, []Entity) {
	var names []string
	var people []Entity
	for _, by := range st.Bylines {
		names = append(names, by.Name)
		p := Entity{Name: by.Name, Rel: "author"}
		if by.AuthorSlug != "" {
			p.URI, p.Literal = b.base+"/author/"+by.AuthorSlug, by.AuthorSlug
		}
		people = append(people, p)
	}
	line := strings.Join(names, ", ")
	if n := len(names); n > 1 {
		line = strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	}
	if line == "" && st.Source != nil {
		line = st.Source.Name
	}
	return line, people
}

// subjects are the section (rel "section") and the tags (rel "tag"), each
// with its page on the site as uri and its slug as literal.
func (b *builder) subjects(st *story.Story) []Entity {
	out := []Entity{{Name: st.Section.Name, Rel: "section", URI: b.base + "/" + st.Section.Slug, Literal: st.Section.Slug}}
	for _, t := range st.Tags {
		out = append(out, Entity{Name: t.Name, Rel: "tag", URI: b.base + "/tag/" + t.Slug, Literal: t.Slug})
	}
	return out
}

// genres maps the article type to the IPTC genre vocabulary where it has
// a term (Opinion, Analysis); news is the default and gets a literal only.
func genres(t story.Type) []Entity {
	switch t {
	case story.TypeOpinion:
		return []Entity{{Name: "Opinion", URI: "http://cv.iptc.org/newscodes/genre/Opinion", Literal: "opinion"}}
	case story.TypeAnalysis:
		return []Entity{{Name: "Analysis", URI: "http://cv.iptc.org/newscodes/genre/Analysis", Literal: "analysis"}}
	}
	return []Entity{{Name: "News", Literal: "news"}}
}

// picture is the lead image as an associated picture object, with one
// rendition for each width stored on disk.
func (b *builder) picture(img *story.Image) *Document {
	if img == nil || img.Hash == "" {
		return nil
	}
	d := &Document{URI: b.base + "/media/" + img.Hash, Type: "picture", By: img.Credit}
	if img.Caption != "" {
		d.Descriptions = append(d.Descriptions, Text{Role: "caption", ContentType: "text/plain", Value: img.Caption})
	}
	if img.Alt != "" {
		d.Descriptions = append(d.Descriptions, Text{Role: "alt", ContentType: "text/plain", Value: img.Alt})
	}
	for _, w := range media.Available(img.Width) {
		// As internal/media rounds when it resizes.
		h := max(1, int(math.Round(float64(img.Height)*float64(w)/float64(img.Width))))
		d.Renditions = append(d.Renditions, Rendition{Name: "w" + strconv.Itoa(w), Href: b.base + media.URL(img.Hash, w),
			ContentType: "image/jpeg", Width: w, Height: h})
	}
	return d
}
