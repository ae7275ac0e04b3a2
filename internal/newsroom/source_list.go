package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

func init() {
	routeAdders = append(routeAdders, (*Server).sourceRoutes)
	extraPages = append(extraPages, "sources")
}

// sourceRoutes are the wire sources administration (admins only): the
// agencies whose copy the site carries, with the label shown as
// "SOURCE: AA" and the website structured data links to.
func (s *Server) sourceRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/sources", s.user(s.sourceList))
	mux.HandleFunc("POST /newsroom/sources", s.user(s.sourceAdd))
	mux.HandleFunc("POST /newsroom/sources/{id}", s.user(s.sourceUpdate))
}

type sourcesPage struct {
	Page
	Sources []story.Source
	Form    story.Source
	// Intake is how copy arrives for each source (source_intake.go).
	Intake   map[int64]sourceIntake
	Token    string // a new push token, shown once
	TokenFor int64  // the source it was made for
}

func (s *Server) sourcesPage(r *http.Request, u store.User) (sourcesPage, error) {
	p := sourcesPage{Page: s.page(u, "Wire sources", "sources")}
	var err error
	if p.Sources, err = s.store.SourceList(r.Context()); err != nil {
		return p, err
	}
	ids := make([]int64, len(p.Sources))
	for i, src := range p.Sources {
		ids[i] = src.ID
	}
	p.Intake, err = s.intakes(r.Context(), ids)
	switch r.URL.Query().Get("done") {
	case "added":
		p.Flash = "Source added."
	case "saved":
		p.Flash = "Saved."
	}
	return p, err
}

func (s *Server) sourceList(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageSources); err != nil {
		return err
	}
	p, err := s.sourcesPage(r, u)
	if err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "sources", p)
}

// sourceForm reads and checks the fields; it returns the source and the
// message to show when something is wrong.
func sourceForm(r *http.Request) (story.Source, string) {
	src := story.Source{
		Name:  strings.Join(strings.Fields(r.PostForm.Get("name")), " "),
		Label: strings.Join(strings.Fields(r.PostForm.Get("label")), " "),
		URL:   strings.TrimSpace(r.PostForm.Get("url")),
	}
	switch {
	case src.Name == "" || len(src.Name) > 100:
		return src, "Enter the agency's name (at most 100 characters)."
	case src.Label == "" || len(src.Label) > 40:
		return src, "Enter the label shown on stories, such as AA (at most 40 characters)."
	}
	if src.URL != "" {
		u, err := url.Parse(src.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return src, "The website must be an http or https address, such as https://www.aa.com.tr/en."
		}
	}
	return src, ""
}

func (s *Server) sourceAdd(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageSources); err != nil {
		return err
	}
	if err := readForm(w, r, 8<<10); err != nil {
		return err
	}
	p, err := s.sourcesPage(r, u)
	if err != nil {
		return err
	}
	src, msg := sourceForm(r)
	p.Form = src
	if msg == "" && story.Slugify(src.Label, 60) == "" {
		msg = "The label needs letters or digits that a web address can carry."
	}
	if msg == "" {
		for _, old := range p.Sources {
			if old.Slug == story.Slugify(src.Label, 60) {
				msg = fmt.Sprintf("A source with the label %s already exists.", old.Label)
			}
		}
	}
	if msg != "" {
		p.Error = msg
		return s.render.Render(w, r, http.StatusBadRequest, "sources", p)
	}
	got, err := s.store.EnsureSource(r.Context(), src)
	if err != nil {
		return err
	}
	s.audit(r, u, "source_add", fmt.Sprintf("source:%d", got.ID), got.Label+" "+got.Name)
	return seeOther(w, r, "/newsroom/sources?done=added")
}

func (s *Server) sourceUpdate(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.ManageSources, 8<<10)
	if err != nil {
		return err
	}
	src, msg := sourceForm(r)
	if msg != "" {
		p, err := s.sourcesPage(r, u)
		if err != nil {
			return err
		}
		p.Error = msg
		return s.render.Render(w, r, http.StatusBadRequest, "sources", p)
	}
	src.ID = id
	if err := s.store.UpdateSource(r.Context(), src); errors.Is(err, store.ErrNotFound) {
		return notFound(errors.New("There is no such source."))
	} else if err != nil {
		return err
	}
	s.audit(r, u, "source_change", fmt.Sprintf("source:%d", id), src.Label+" "+src.Name)
	return seeOther(w, r, "/newsroom/sources?done=saved")
}
