package newsroom

import (
	"net/http"
	"strconv"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

// storyListPage is the newsroom's list of stories in every state.
type storyListPage struct {
	Page
	Items      []store.DeskItem
	Sections   []story.Section
	Statuses   []story.Status
	Status     string
	SectionID  int64
	Mine       bool
	Query      string
	Spiked     bool // the list of spiked stories, with restore buttons
	CanUnspike bool
}

// listStatuses are the states the list filters by.
var listStatuses = []story.Status{story.StatusDraft, story.StatusSubmitted, story.StatusScheduled,
	story.StatusPublished, story.StatusUnpublished, story.StatusSpiked}

// storyList lists stories, newest change first, filtered by status,
// section, owner and words in the headline. Spiked stories show only in
// their own list, where they can be restored.
func (s *Server) storyList(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := storyListPage{Page: s.page(u, "Stories", "stories"), Statuses: listStatuses, Status: q.Get("status"),
		Mine: q.Get("mine") != "", Query: strings.TrimSpace(q.Get("q"))}
	p.SectionID, _ = strconv.ParseInt(q.Get("section"), 10, 64)
	p.Flash = doneMessages[q.Get("done")]
	dq := store.DeskQuery{Query: p.Query, Limit: 100}
	if p.Status != "" {
		dq.Statuses = []story.Status{story.Status(p.Status)}
	} else {
		dq.Statuses = listStatuses[:len(listStatuses)-1]
	}
	p.Spiked = p.Status == string(story.StatusSpiked)
	p.CanUnspike = auth.Can(u, auth.SpikeStory, auth.StoryRef{Status: story.StatusSpiked})
	if p.Mine {
		dq.OwnerID = u.ID
	}
	if p.SectionID > 0 {
		// DeskQuery has no section filter; look further and keep the section's.
		dq.Limit = 500
	}
	items, err := s.store.DeskStories(ctx, dq)
	if err != nil {
		return err
	}
	for _, it := range items {
		if p.SectionID == 0 || it.Section.ID == p.SectionID {
			p.Items = append(p.Items, it)
		}
	}
	if len(p.Items) > 100 {
		p.Items = p.Items[:100]
	}
	if p.Sections, err = s.store.Sections(ctx); err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "story_list", p)
}
