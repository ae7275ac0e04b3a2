package ingest

import (
	"strings"
	"unicode/utf8"

	"dateline/internal/story"
	"dateline/internal/wire"
)

// maxTags is how many of an item's subjects become tags.
const maxTags = 8

// toStory maps an item to the content of a story in section sec. Status
// and times are the store's to set (store.DecideWire).
func (im *Importer) toStory(it *wire.Item, src story.Source, sec story.Section) *story.Story {
	st := &story.Story{
		Slug: story.Slugify(it.Headline, 80), Language: it.Language, Type: story.TypeNews,
		Section: sec, Headline: it.Headline, Standfirst: it.Subheadline,
		Body: it.Body, BodySource: story.FormatBody(it.Body), Source: &src,
		WireID: it.GUID, WireVersion: it.Version,
	}
	if st.Language == "" {
		st.Language = im.o.Language
	}
	for _, name := range it.Bylines {
		if personName(name) {
			st.Bylines = append(st.Bylines, story.Byline{Name: name})
		}
	}
	for _, s := range it.Subjects {
		if len(st.Tags) == maxTags {
			break
		}
		// Two-letter subjects are agency codes ("ku", "pl"), not words.
		if utf8.RuneCountInString(s) >= 3 && story.TagSlug(s) != "" {
			st.Tags = append(st.Tags, story.Tag{Name: s})
		}
	}
	return st
}

// section is the first section an item's subjects name, by slug or by
// name, else the default section (--section, else the first).
func (im *Importer) section(subjects []string) story.Section {
	for _, s := range subjects {
		slug := story.Slugify(s, 60)
		for _, sec := range im.sections {
			if slug != "" && sec.Slug == slug || strings.EqualFold(sec.Name, s) {
				return sec
			}
		}
	}
	return im.def
}

// personName tells a byline from an agency's user name such as
// "tholl.gregor", which NewsML-G2 creators often carry instead.
func personName(s string) bool {
	return strings.ContainsRune(s, ' ') && utf8.RuneCountInString(s) <= 100
}
