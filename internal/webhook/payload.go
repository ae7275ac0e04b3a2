package webhook

import (
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/story"
)

// KindTest is the kind of the delivery the newsroom's "send a test event"
// button queues.
const KindTest = "test"

// Kinds are the event kinds an endpoint may subscribe to.
var Kinds = []string{store.EventPublished, store.EventUpdated, store.EventUnpublished, store.EventKilled, store.EventWithheld}

// Payload is the JSON body of a delivery (documented in docs/webhooks.md).
type Payload struct {
	ID    int64     `json:"id"`   // the story event id; 0 for a test
	Kind  string    `json:"kind"` // published, updated, unpublished, killed, withheld or test
	At    time.Time `json:"at"`   // when the change happened
	Story *Story    `json:"story,omitempty"`
}

// Story identifies the story an event is about; Summary is set only when
// the story is public (published and updated events).
type Story struct {
	ID       int64    `json:"id"`
	URL      string   `json:"url"`
	Version  int      `json:"version"`
	Headline string   `json:"headline,omitempty"`
	Summary  *Summary `json:"summary,omitempty"`
}

// Summary is a compact view of a public story, enough for a partner to
// list it before fetching the full document from the content API.
type Summary struct {
	Standfirst       string    `json:"standfirst,omitempty"`
	Language         string    `json:"language"`
	Type             string    `json:"type"`
	Section          string    `json:"section"`
	Bylines          []string  `json:"bylines,omitempty"`
	Source           string    `json:"source,omitempty"`
	Tags             []string  `json:"tags,omitempty"`
	Image            string    `json:"image,omitempty"`
	FirstPublishedAt time.Time `json:"first_published_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// EventPayload builds the body of a story event. st is the story as it is
// now, or nil when it no longer exists.
func EventPayload(baseURL string, ev store.StoryEvent, st *story.Story) ([]byte, error) {
	p := Payload{ID: ev.ID, Kind: ev.Kind, At: ev.At.UTC(), Story: &Story{ID: ev.StoryID, Version: ev.Version}}
	if st != nil {
		p.Story.URL = baseURL + st.Path()
	}
	// A story taken down since the event is not described any more.
	public := ev.Kind == store.EventPublished || ev.Kind == store.EventUpdated
	if st != nil && public && st.Status == story.StatusPublished {
		p.Story.Headline = st.Headline
		p.Story.Summary = summarize(baseURL, st)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode event %d: %w", ev.ID, err)
	}
	return b, nil
}

func summarize(baseURL string, st *story.Story) *Summary {
	s := &Summary{Standfirst: st.Standfirst, Language: st.Language, Type: string(st.Type), Section: st.Section.Slug,
		FirstPublishedAt: st.FirstPublishedAt.UTC(), UpdatedAt: st.UpdatedAt.UTC()}
	for _, b := range st.Bylines {
		s.Bylines = append(s.Bylines, b.Name)
	}
	if st.Source != nil {
		s.Source = st.Source.Label
	}
	for _, t := range st.Tags {
		s.Tags = append(s.Tags, t.Name)
	}
	if st.Lead != nil && st.Lead.Hash != "" {
		if ws := media.Available(st.Lead.Width); len(ws) > 0 {
			s.Image = baseURL + media.URL(st.Lead.Hash, ws[len(ws)-1])
		}
	}
	return s
}

// TestPayload builds the body of a test delivery.
func TestPayload(now time.Time) []byte {
	b, _ := json.Marshal(Payload{Kind: KindTest, At: now.UTC()}) // cannot fail: plain fields
	return b
}

// feedNames are the three feed files every feed scope has.
var feedNames = []string{"rss.xml", "atom.xml", "feed.json"}

// HubPayload builds the WebSub publish ping for an event: the form that
// names every feed the change shows in. Withheld stories leave the feeds
// too, so they are pinged like the other four kinds.
func HubPayload(baseURL string, st *story.Story) []byte {
	scopes := []string{"/"}
	if st != nil {
		scopes = append(scopes, "/"+st.Section.Slug+"/")
		for _, t := range st.Tags {
			if t.Slug != "" {
				scopes = append(scopes, "/tag/"+t.Slug+"/")
			}
		}
		for _, b := range st.Bylines {
			if b.AuthorSlug != "" {
				scopes = append(scopes, "/author/"+b.AuthorSlug+"/")
			}
		}
	}
	v := url.Values{"hub.mode": {"publish"}}
	for _, s := range scopes {
		for _, n := range feedNames {
			v.Add("hub.url", baseURL+s+n)
		}
	}
	return []byte(v.Encode())
}
