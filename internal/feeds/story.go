package feeds

import (
	"net/url"
	"strconv"
	"strings"

	"dateline/internal/bodyhtml"
	"dateline/internal/media"
	"dateline/internal/story"
)

// StoryOptions say how stories become feed items.
type StoryOptions struct {
	// BaseURL makes every link absolute.
	BaseURL string
	// Language is the feed's; an item in another language names its own.
	Language string
	// FullText puts the whole body in each item; otherwise items carry
	// the standfirst only.
	FullText bool
	// Related resolves the body's related blocks (see bodyhtml.Options).
	Related      func(id int64) (bodyhtml.Link, bool)
	RelatedLabel string
	// ImageSize returns the size in bytes of a stored picture width, when
	// known; an enclosure needs it. May be nil.
	ImageSize func(hash string, width int) (int64, bool)
}

// imageWidth is the lead picture width feeds point to: sharp in a reader's
// column, light enough for a list of twenty.
const imageWidth = 1280

// StoryItem returns st as a feed item.
func StoryItem(st *story.Story, o StoryOptions) Item {
	base := strings.TrimRight(o.BaseURL, "/")
	it := Item{
		ID:         GUID(base, st),
		Title:      strings.TrimSpace(st.Headline),
		Link:       base + st.Path(),
		Summary:    strings.TrimSpace(st.Standfirst),
		Published:  st.FirstPublishedAt,
		Updated:    st.UpdatedAt,
		Categories: []string{st.Section.Name},
	}
	if !sameLanguage(st.Language, o.Language) {
		it.Language = st.Language
	}
	if o.FullText {
		it.ContentHTML = bodyhtml.Render(st.Body, bodyhtml.Options{BaseURL: base, Related: o.Related,
			RelatedLabel: o.RelatedLabel, ImageWidth: imageWidth})
	}
	for _, b := range st.Bylines {
		if b.Name == "" {
			continue
		}
		p := Person{Name: b.Name}
		if b.AuthorSlug != "" {
			p.URL = base + "/author/" + b.AuthorSlug
		}
		it.Authors = append(it.Authors, p)
	}
	if src := st.Source; src != nil {
		it.Authors = append(it.Authors, Person{Name: firstOf(src.Label, src.Name), URL: base + "/source/" + src.Slug})
	}
	for _, t := range st.Tags {
		it.Categories = append(it.Categories, t.Name)
	}
	it.Image = leadImage(st.Lead, base, o.ImageSize)
	return it
}

// GUID is the story's id in feeds: a tag URI (RFC 4151) made of the
// site's host, the year the story was first published and its numeric id.
// None of these changes when the story is edited, moved to another
// section or given a new slug, so readers never see an update as a new
// story.
func GUID(baseURL string, st *story.Story) string {
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	when := st.FirstPublishedAt
	if when.IsZero() {
		when = st.CreatedAt
	}
	return "tag:" + host + "," + strconv.Itoa(when.UTC().Year()) + ":story/" + strconv.FormatInt(st.ID, 10)
}

func leadImage(img *story.Image, base string, size func(string, int) (int64, bool)) *Image {
	if img == nil || img.Hash == "" {
		return nil
	}
	w := 0
	for _, x := range media.Available(img.Width) {
		if x <= imageWidth || w == 0 {
			w = x
		}
	}
	if w == 0 {
		return nil
	}
	out := &Image{URL: base + media.URL(img.Hash, w), Type: "image/jpeg", Width: w,
		Caption: firstOf(img.Caption, img.Alt), Credit: img.Credit}
	if img.Width > 0 {
		out.Height = img.Height * w / img.Width
	}
	if size != nil {
		if n, ok := size(img.Hash, w); ok {
			out.Length = n
		}
	}
	return out
}

// sameLanguage compares the primary subtags: an en-GB story on an en site
// needs no language of its own.
func sameLanguage(a, b string) bool {
	pa, _, _ := strings.Cut(strings.ToLower(a), "-")
	pb, _, _ := strings.Cut(strings.ToLower(b), "-")
	return pa == pb || a == ""
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
