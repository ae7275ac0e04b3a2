package newsroom

import (
	"context"
	"net/http"
	"sort"
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
	items, err := s.deskSearch(ctx, dq, p.SectionID)
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

// deskSearch runs the desk list. With words to look for, it asks the
// full-text engine first (headline, standfirst, body, tags and names, in
// every status asked for, best match first) and falls back to headline
// words when the engine finds nothing (a word still being typed).
func (s *Server) deskSearch(ctx context.Context, dq store.DeskQuery, sectionID int64) ([]store.DeskItem, error) {
	if dq.Query == "" {
		return s.store.DeskStories(ctx, dq)
	}
	res, err := s.store.SearchStories(ctx, store.SearchQuery{Text: dq.Query, Statuses: dq.Statuses, SectionID: sectionID, Limit: 100})
	if err != nil || len(res.Hits) == 0 {
		return s.store.DeskStories(ctx, dq)
	}
	rank := make(map[int64]int, len(res.Hits))
	ids := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		ids[i], rank[h.ID] = h.ID, i
	}
	byText := dq
	byText.Query, byText.IDs = "", ids
	items, err := s.store.DeskStories(ctx, byText)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(items, func(i, j int) bool { return rank[items[i].ID] < rank[items[j].ID] })
	return items, nil
}
