package newsroom

import (
	"net/http"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

type dashboardPage struct {
	Page
	MyDrafts  []store.DeskItem
	Review    []store.DeskItem
	Scheduled []store.DeskItem
	Published []store.DeskItem
	Updated   []store.DeskItem
	Inbox     []store.Message
	Unhandled int
	CanInbox  bool
}

// dashboardShow is the newsroom's home: what needs doing, by whom.
func (s *Server) dashboardShow(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	p := dashboardPage{Page: s.page(u, "Dashboard", "dashboard"), CanInbox: auth.Can(u, auth.ReadInbox, auth.StoryRef{})}
	lists := []struct {
		dst *[]store.DeskItem
		q   store.DeskQuery
	}{
		{&p.MyDrafts, store.DeskQuery{Statuses: []story.Status{story.StatusDraft}, OwnerID: u.ID, Limit: 10}},
		{&p.Review, store.DeskQuery{Statuses: []story.Status{story.StatusSubmitted}, Limit: 20}},
		{&p.Scheduled, store.DeskQuery{Statuses: []story.Status{story.StatusScheduled}, Limit: 10}},
		{&p.Published, store.DeskQuery{Statuses: []story.Status{story.StatusPublished}, Limit: 10}},
	}
	for _, l := range lists {
		items, err := s.store.DeskStories(ctx, l.q)
		if err != nil {
			return err
		}
		*l.dst = items
	}
	// Recently updated: published stories changed after they went out.
	for _, it := range p.Published {
		if it.UpdatedAt.Sub(it.FirstPublishedAt) > time.Minute {
			p.Updated = append(p.Updated, it)
		}
	}
	if p.CanInbox {
		msgs, err := s.store.Messages(ctx, 50)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if m.HandledAt.IsZero() {
				p.Unhandled++
				if len(p.Inbox) < 5 {
					p.Inbox = append(p.Inbox, m)
				}
			}
		}
	}
	return s.render.Render(w, r, http.StatusOK, "dashboard", p)
}
