package feeds

import (
	"encoding/json"
	"fmt"
	"io"
)

// JSONFeedVersion is the version URL every JSON Feed document starts with.
const JSONFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonDoc struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Hubs        []jsonHub    `json:"hubs,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url,omitempty"`
	Title         string       `json:"title,omitempty"`
	ContentHTML   string       `json:"content_html,omitempty"`
	ContentText   string       `json:"content_text,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published,omitempty"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
	Language      string       `json:"language,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonHub struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// WriteJSON writes f as JSON Feed 1.1. An item without full text carries
// its summary as content_text, because every item needs some content.
func WriteJSON(w io.Writer, f *Feed) error {
	doc := jsonDoc{
		Version: JSONFeedVersion, Title: clean(f.Title), HomePageURL: clean(f.HomeURL),
		FeedURL: clean(f.SelfURL), Description: clean(f.Description), Language: clean(f.Language),
		Items: []jsonItem{},
	}
	if f.Author != "" {
		doc.Authors = []jsonAuthor{{Name: clean(f.Author), URL: clean(f.HomeURL)}}
	}
	if f.HubURL != "" {
		doc.Hubs = []jsonHub{{Type: "WebSub", URL: clean(f.HubURL)}}
	}
	for i := range f.Items {
		it := &f.Items[i]
		j := jsonItem{
			ID: clean(it.ID), URL: clean(it.Link), Title: clean(it.Title),
			ContentHTML: clean(it.ContentHTML), Summary: clean(it.Summary),
			DatePublished: rfc3339(it.Published), Language: clean(it.Language),
		}
		if j.ContentHTML == "" {
			j.ContentText = j.Summary
		}
		if it.Updated.After(it.Published) {
			j.DateModified = rfc3339(it.Updated)
		}
		if it.Image != nil {
			j.Image = clean(it.Image.URL)
		}
		for _, p := range it.Authors {
			j.Authors = append(j.Authors, jsonAuthor{Name: clean(p.Name), URL: clean(p.URL)})
		}
		for _, c := range it.Categories {
			j.Tags = append(j.Tags, clean(c))
		}
		doc.Items = append(doc.Items, j)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	return nil
}
