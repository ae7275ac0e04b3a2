package site

import (
	"errors"
	"net/http"
	"strings"

	"dateline/internal/store"
	"dateline/internal/story"
)

type proseView struct {
	Page
	Heading    string
	Paragraphs []string
	Authors    []story.Author
}

// Settings keys of the transparency pages' text: paragraphs separated by
// blank lines, edited by admins (the demo fills them).
const (
	SettingAbout     = "page_about"
	SettingStandards = "page_standards"
)

func (s *Server) aboutShow(w http.ResponseWriter, r *http.Request) error {
	return s.prose(w, r, "/about", s.cat.T("about_us"), SettingAbout)
}

func (s *Server) standardsShow(w http.ResponseWriter, r *http.Request) error {
	return s.prose(w, r, "/standards", s.cat.T("standards"), SettingStandards)
}

func (s *Server) prose(w http.ResponseWriter, r *http.Request, path, title, key string) error {
	text, err := s.store.Setting(r.Context(), key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	v := proseView{Heading: title, Paragraphs: paragraphs(text)}
	desc := ""
	if len(v.Paragraphs) > 0 {
		desc = story.Excerpt(v.Paragraphs[0], 160)
	}
	v.Page = s.page(r.Context(), title, desc, path)
	v.Crumbs = []crumb{{s.cat.T("home"), "/"}, {title, ""}}
	return s.render.Render(w, r, http.StatusOK, "page", v)
}

func (s *Server) staffShow(w http.ResponseWriter, r *http.Request) error {
	authors, err := s.store.Authors(r.Context())
	if err != nil {
		return err
	}
	title := s.cat.T("staff")
	v := proseView{Page: s.page(r.Context(), title, s.cat.T("staff_intro"), "/staff"),
		Heading: title, Paragraphs: []string{s.cat.T("staff_intro")}, Authors: authors}
	v.Crumbs = []crumb{{s.cat.T("home"), "/"}, {title, ""}}
	return s.render.Render(w, r, http.StatusOK, "page", v)
}

func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.Join(strings.Fields(p), " "))
		}
	}
	return out
}
