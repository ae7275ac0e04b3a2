package site

import (
	"net/http"

	"dateline/internal/store"
	"dateline/internal/story"
)

// listView is the page of a section, tag, author or wire source: a heading
// and a keyset-paginated list of stories.
type listView struct {
	Page
	Heading string
	Intro   string
	Author  *story.Author
	Stories []story.Summary
	Pager   pager

	// MostRead is a section page's "Most read" block (explore.go).
	MostRead []story.Summary
}

func (s *Server) sectionShow(w http.ResponseWriter, r *http.Request) error {
	sec, err := s.store.SectionBySlug(r.Context(), r.PathValue("section"))
	if err != nil {
		return err
	}
	path := "/" + sec.Slug
	v := listView{Page: s.page(r.Context(), sec.Name, sec.Description, path), Heading: sec.Name, Intro: sec.Description}
	v.Current = sec.Slug
	v.Feeds = append(v.Feeds, s.feedLinks(s.listTitle(sec.Name), path)...)
	v.Crumbs = []crumb{{s.cat.T("home"), "/"}, {sec.Name, ""}}
	if v.Stories, v.Pager, err = s.curatedPage(r, sec.Slug, store.ListQuery{SectionID: sec.ID}, path); err != nil {
		return err
	}
	v.MostRead = s.mostRead(r.Context(), sec.ID)
	return s.render.Render(w, r, http.StatusOK, "list", v)
}

// curatedPage is listPage for a section: its first page starts with the
// stories editors chose for the scope (at most a handful, fewer than a
// page), then the newest others; later pages continue without them.
func (s *Server) curatedPage(r *http.Request, scope string, q store.ListQuery, path string) ([]story.Summary, pager, error) {
	after, err := decodeCursor(r)
	if err != nil {
		return nil, pager{}, err
	}
	q.After = after
	q.Limit = pageSize + 1
	list, err := s.store.CuratedStories(r.Context(), scope, q)
	if err != nil {
		return nil, pager{}, err
	}
	var p pager
	if len(list) > pageSize {
		list = list[:pageSize]
		p.Older = path + "?after=" + encodeCursor(list[pageSize-1])
	}
	if !after.IsZero() {
		p.Newest = path
	}
	return list, p, nil
}

func (s *Server) tagShow(w http.ResponseWriter, r *http.Request) error {
	tag, err := s.store.TagBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	path := "/tag/" + tag.Slug
	h := s.cat.Tf("tag_stories", tag.Name)
	v := listView{Page: s.page(r.Context(), tag.Name, h, path), Heading: tag.Name}
	v.Crumbs = []crumb{{s.cat.T("home"), "/"}, {tag.Name, ""}}
	v.Feeds = append(v.Feeds, s.feedLinks(s.listTitle(tag.Name), path)...)
	if v.Stories, v.Pager, err = s.listPage(r, store.ListQuery{TagID: tag.ID}, path); err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "list", v)
}

func (s *Server) authorShow(w http.ResponseWriter, r *http.Request) error {
	a, err := s.store.AuthorBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	path := "/author/" + a.Slug
	v := listView{Page: s.page(r.Context(), a.Name, a.Bio, path), Heading: a.Name, Intro: a.Bio, Author: &a}
	v.Crumbs = []crumb{{s.cat.T("home"), "/"}, {s.cat.T("staff"), "/staff"}, {a.Name, ""}}
	v.Feeds = append(v.Feeds, s.feedLinks(s.listTitle(a.Name), path)...)
	if v.Stories, v.Pager, err = s.listPage(r, store.ListQuery{AuthorID: a.ID}, path); err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "list", v)
}

func (s *Server) sourceShow(w http.ResponseWriter, r *http.Request) error {
	src, err := s.store.SourceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	path := "/source/" + src.Slug
	intro := s.cat.Tf("source_about", s.cfg.SiteName, src.Label)
	v := listView{Page: s.page(r.Context(), src.Name, intro, path), Heading: src.Name, Intro: intro}
	v.Crumbs = []crumb{{s.cat.T("home"), "/"}, {src.Name, ""}}
	v.Feeds = append(v.Feeds, s.feedLinks(s.listTitle(src.Name), path)...)
	if v.Stories, v.Pager, err = s.listPage(r, store.ListQuery{SourceID: src.ID}, path); err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "list", v)
}
