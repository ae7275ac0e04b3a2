package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

func init() {
	routeAdders = append(routeAdders, (*Server).sectionRoutes)
	extraPages = append(extraPages, "sections")
}

// sectionRoutes are the sections administration (admins only).
func (s *Server) sectionRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/sections", s.user(s.sectionList))
	mux.HandleFunc("POST /newsroom/sections", s.user(s.sectionAdd))
	mux.HandleFunc("POST /newsroom/sections/{id}", s.user(s.sectionUpdate))
	mux.HandleFunc("POST /newsroom/sections/{id}/move", s.user(s.sectionMove))
}

// reservedSlugs are the first path segments the site uses for itself
// (DESIGN.md): a section there would be unreachable or would shadow them.
var reservedSlugs = map[string]bool{
	"about": true, "staff": true, "standards": true, "contact": true, "feedback": true, "search": true,
	"tag": true, "author": true, "source": true, "api": true, "newsroom": true, "static": true,
	"media": true, "healthz": true, "metrics": true,
}

// sectionSlugError says why a section name cannot become a URL, or "".
func sectionSlugError(name, slug string) string {
	switch {
	case strings.Contains(name, ".") || strings.Contains(slug, "."):
		return "A section name cannot contain a dot: its address would look like a file."
	case slug == "":
		return "The name needs letters or digits that a web address can carry."
	case reservedSlugs[slug]:
		return fmt.Sprintf("The address /%s is reserved for the site itself; choose another name.", slug)
	}
	return ""
}

type sectionForm struct {
	Name        string
	Slug        string
	Description string
}

// sectionRow is a section with what its move buttons need to know.
type sectionRow struct {
	story.Section
	First, Last bool
}

type sectionsPage struct {
	Page
	Sections []story.Section
	Rows     []sectionRow
	Form     sectionForm
}

func (s *Server) sectionsPage(r *http.Request, u store.User) (sectionsPage, error) {
	p := sectionsPage{Page: s.page(u, "Sections", "sections")}
	var err error
	p.Sections, err = s.store.Sections(r.Context())
	for i, sec := range p.Sections {
		p.Rows = append(p.Rows, sectionRow{Section: sec, First: i == 0, Last: i == len(p.Sections)-1})
	}
	switch r.URL.Query().Get("done") {
	case "added":
		p.Flash = "Section added."
	case "saved":
		p.Flash = "Saved."
	case "moved":
		p.Flash = "Order saved."
	}
	return p, err
}

// sectionList shows the sections in display order with their forms.
func (s *Server) sectionList(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageSections); err != nil {
		return err
	}
	p, err := s.sectionsPage(r, u)
	if err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "sections", p)
}

// sectionAdd creates a section at the end of the order. Its slug comes
// from the name (or the optional slug field) and never changes after.
func (s *Server) sectionAdd(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageSections); err != nil {
		return err
	}
	if err := readForm(w, r, 16<<10); err != nil {
		return err
	}
	f := sectionForm{
		Name:        strings.Join(strings.Fields(r.PostForm.Get("name")), " "),
		Slug:        strings.TrimSpace(r.PostForm.Get("slug")),
		Description: strings.TrimSpace(r.PostForm.Get("description")),
	}
	p, err := s.sectionsPage(r, u)
	if err != nil {
		return err
	}
	p.Form = f
	fail := func(status int, msg string) error {
		p.Error = msg
		return s.render.Render(w, r, status, "sections", p)
	}
	if f.Name == "" || len(f.Name) > 100 {
		return fail(http.StatusBadRequest, "Enter the section's name.")
	}
	slug := f.Slug
	if slug == "" {
		slug = story.Slugify(f.Name, 60)
	} else if strings.Contains(slug, ".") || !story.ValidSlug(slug) {
		return fail(http.StatusBadRequest, "The address may hold only lower-case letters a–z, digits and single hyphens.")
	}
	if msg := sectionSlugError(f.Name, slug); msg != "" {
		return fail(http.StatusBadRequest, msg)
	}
	pos := 0
	for _, sec := range p.Sections {
		pos = max(pos, sec.Position+1)
	}
	id, err := s.store.CreateSection(r.Context(), story.Section{Slug: slug, Name: f.Name, Description: f.Description, Position: pos})
	switch {
	case errors.Is(err, store.ErrConflict):
		return fail(http.StatusConflict, fmt.Sprintf("A section already has the address /%s.", slug))
	case errors.Is(err, store.ErrInvalid):
		return fail(http.StatusBadRequest, "The name needs letters or digits that a web address can carry.")
	case err != nil:
		return err
	}
	s.audit(r, u, "section_add", fmt.Sprintf("section:%d", id), "/"+slug+" "+f.Name)
	return seeOther(w, r, "/newsroom/sections?done=added")
}

// sectionUpdate renames a section or changes its description.
func (s *Server) sectionUpdate(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.ManageSections, 16<<10)
	if err != nil {
		return err
	}
	p, err := s.sectionsPage(r, u)
	if err != nil {
		return err
	}
	var sec *story.Section
	for i := range p.Sections {
		if p.Sections[i].ID == id {
			sec = &p.Sections[i]
		}
	}
	if sec == nil {
		return notFound(errors.New("There is no such section."))
	}
	name := strings.Join(strings.Fields(r.PostForm.Get("name")), " ")
	if name == "" || len(name) > 100 {
		p.Error = "A section needs a name."
		return s.render.Render(w, r, http.StatusBadRequest, "sections", p)
	}
	old := sec.Name
	sec.Name, sec.Description = name, strings.TrimSpace(r.PostForm.Get("description"))
	if err := s.store.UpdateSection(r.Context(), *sec); err != nil {
		return err
	}
	s.audit(r, u, "section_update", fmt.Sprintf("section:%d", id), fmt.Sprintf("/%s: %q → %q", sec.Slug, old, name))
	return seeOther(w, r, "/newsroom/sections?done=saved")
}

// sectionMove moves a section one place up or down in the navigation.
func (s *Server) sectionMove(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.ManageSections, 1<<10)
	if err != nil {
		return err
	}
	secs, err := s.store.Sections(r.Context())
	if err != nil {
		return err
	}
	ids := make([]int64, len(secs))
	slugs := map[int64]string{}
	for i, sec := range secs {
		ids[i], slugs[sec.ID] = sec.ID, sec.Slug
	}
	to, found, moved := moveOne(ids, id, r.PostForm.Get("dir") == "down")
	if !found {
		return notFound(errors.New("There is no such section."))
	}
	if moved {
		if err := s.store.ReorderSections(r.Context(), ids); err != nil {
			return err
		}
		s.audit(r, u, "section_move", fmt.Sprintf("section:%d", id), fmt.Sprintf("/%s to place %d", slugs[id], to+1))
	}
	return seeOther(w, r, "/newsroom/sections?done=moved")
}
