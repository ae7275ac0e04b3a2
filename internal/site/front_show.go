package site

import (
	"net/http"

	"dateline/internal/store"
	"dateline/internal/story"
)

type frontView struct {
	Page
	LeadStory *story.Summary
	Top       []story.Summary
	Blocks    []sectionBlock
	Latest    []story.Summary
	Pager     pager

	// MostRead is the "Most read" block (explore.go).
	MostRead []story.Summary
}

type sectionBlock struct {
	Section story.Section
	Stories []story.Summary
}

const (
	topCount     = 4
	perSection   = 4
	latestCount  = 12
	frontLatestQ = 1 + topCount
)

// frontShow renders the front page: the lead story, top stories (as
// editors curated them, else the newest), a block per section and the
// latest list. Each part is one query whatever the
// number of stories; the section blocks leave out what is already above.
func (s *Server) frontShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if r.URL.Query().Get("after") != "" {
		return s.latestShow(w, r)
	}
	v := frontView{Page: s.page(ctx, s.cfg.SiteName, s.cat.T("footer_nav"), "/")}
	v.Description = s.cfg.SiteName + ": " + s.cat.T("latest_stories")
	// Editors' choice for the lead and top stories comes first (curated
	// stories that are not published are skipped), then the newest.
	head, err := s.store.CuratedStories(ctx, "front", store.ListQuery{Limit: latestCount + frontLatestQ + 1})
	if err != nil {
		return err
	}
	var shown []int64
	for i := range head {
		if i < frontLatestQ {
			shown = append(shown, head[i].ID)
		}
	}
	if len(head) > 0 {
		v.LeadStory = &head[0]
	}
	if len(head) > 1 {
		v.Top = head[1:min(len(head), frontLatestQ)]
	}
	if len(head) > frontLatestQ {
		v.Latest = head[frontLatestQ:]
		if len(v.Latest) > latestCount {
			v.Latest = v.Latest[:latestCount]
			v.Pager.Older = "/?after=" + encodeCursor(v.Latest[latestCount-1])
		}
	}
	ids := make([]int64, len(v.Sections))
	for i, sec := range v.Sections {
		ids[i] = sec.ID
	}
	fronts, err := s.store.SectionFronts(ctx, ids, perSection, shown)
	if err != nil {
		return err
	}
	for _, sec := range v.Sections {
		if list := fronts[sec.ID]; len(list) > 0 {
			v.Blocks = append(v.Blocks, sectionBlock{Section: sec, Stories: list})
		}
	}
	v.MostRead = s.mostRead(ctx, 0)
	return s.render.Render(w, r, http.StatusOK, "front", v)
}

// latestShow is the front page's "older stories": the plain latest list.
func (s *Server) latestShow(w http.ResponseWriter, r *http.Request) error {
	title := s.cat.T("latest_stories")
	v := listView{Page: s.page(r.Context(), title, "", "/"), Heading: title}
	v.NoIndex = true
	v.Crumbs = []crumb{{s.cat.T("home"), "/"}, {title, ""}}
	var err error
	if v.Stories, v.Pager, err = s.listPage(r, store.ListQuery{}, "/"); err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "list", v)
}
