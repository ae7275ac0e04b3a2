package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/wire"
)

func init() {
	routeAdders = append(routeAdders, (*Server).routingRoutes)
	extraPages = append(extraPages, "routing")
}

// routingRoutes are the wire desk's routing rules and the sources'
// default sections (admins only, like the sources they belong with).
func (s *Server) routingRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/routing", s.user(s.routingList))
	mux.HandleFunc("POST /newsroom/routing", s.user(s.routingAdd))
	mux.HandleFunc("POST /newsroom/routing/{id}", s.user(s.routingUpdate))
	mux.HandleFunc("POST /newsroom/routing/{id}/delete", s.user(s.routingDelete))
	mux.HandleFunc("POST /newsroom/routing/{id}/move", s.user(s.routingMove))
	mux.HandleFunc("POST /newsroom/sources/{id}/default-section", s.user(s.routingDefaultSection))
}

// routeRow is a rule as the list shows it.
type routeRow struct {
	store.WireRoute
	Source      string // the source's label, "" for any
	Section     string // the section's name
	First, Last bool
}

// sourceDefault is a source with the section its unrouted items go to.
type sourceDefault struct {
	story.Source
	Section string // the default section's name, "" when none is set
	Exists  bool   // a section of that name exists already
}

type routingPage struct {
	Page
	Rules    []routeRow
	Sources  []story.Source
	Sections []story.Section
	Defaults []sourceDefault
	Form     store.WireRoute // the add form, refilled after an error
	FormSrc  string          // its source's slug
}

func (s *Server) routingPage(r *http.Request, u store.User) (routingPage, error) {
	ctx := r.Context()
	p := routingPage{Page: s.page(u, "Wire routing", "sources"), Form: store.WireRoute{Publish: false}}
	var err error
	if p.Sources, err = s.store.SourceList(ctx); err != nil {
		return p, err
	}
	if p.Sections, err = s.store.Sections(ctx); err != nil {
		return p, err
	}
	rules, err := s.store.WireRoutes(ctx)
	if err != nil {
		return p, err
	}
	defaults, err := s.store.WireSourceSections(ctx)
	if err != nil {
		return p, err
	}
	label, secName, bySlug := map[int64]string{}, map[int64]string{}, map[string]bool{}
	for _, src := range p.Sources {
		label[src.ID] = src.Label
	}
	for _, sec := range p.Sections {
		secName[sec.ID], bySlug[sec.Slug] = sec.Name, true
	}
	for i, rule := range rules {
		p.Rules = append(p.Rules, routeRow{WireRoute: rule, Source: label[rule.SourceID], Section: secName[rule.SectionID],
			First: i == 0, Last: i == len(rules)-1})
	}
	for _, src := range p.Sources {
		name := defaults[src.ID]
		p.Defaults = append(p.Defaults, sourceDefault{Source: src, Section: name, Exists: bySlug[story.Slugify(name, 60)]})
	}
	switch r.URL.Query().Get("done") {
	case "added":
		p.Flash = "Rule added."
	case "saved":
		p.Flash = "Saved."
	case "deleted":
		p.Flash = "Rule deleted."
	case "moved":
		p.Flash = "Order saved."
	}
	return p, nil
}

// routingList shows the rules in the order they are tried.
func (s *Server) routingList(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageSources); err != nil {
		return err
	}
	p, err := s.routingPage(r, u)
	if err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "routing", p)
}

// routeForm reads and checks a rule's fields against the sources and
// sections there are; the message names the field at fault, or is "".
func routeForm(r *http.Request, p routingPage) (store.WireRoute, string, string) {
	f := r.PostForm
	rule := store.WireRoute{
		Subject: strings.TrimSpace(f.Get("subject")),
		Keyword: strings.Join(strings.Fields(f.Get("keyword")), " "),
	}
	srcSlug := strings.TrimSpace(f.Get("source"))
	if srcSlug != "" {
		for _, src := range p.Sources {
			if src.Slug == srcSlug {
				rule.SourceID = src.ID
			}
		}
		if rule.SourceID == 0 {
			return rule, srcSlug, fmt.Sprintf("Source: there is no wire source %q.", srcSlug)
		}
	}
	if rule.Subject != "" {
		rule.Subject = wire.CodeOf(rule.Subject)
	}
	switch {
	case len(rule.Subject) > 200:
		return rule, srcSlug, "Subject: at most 200 characters, such as medtop:11000000 or Politics."
	case rule.Subject == "*" || strings.Contains(strings.TrimSuffix(rule.Subject, "*"), "*"):
		return rule, srcSlug, "Subject: a * may only end a code, after its beginning, such as subj:04*."
	case len(rule.Keyword) > 100:
		return rule, srcSlug, "Keyword: at most 100 characters."
	case rule.Keyword != "" && !strings.ContainsFunc(rule.Keyword, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
		return rule, srcSlug, "Keyword: needs a letter or a digit."
	}
	if id, err := strconv.ParseInt(f.Get("section"), 10, 64); err == nil {
		for _, sec := range p.Sections {
			if sec.ID == id {
				rule.SectionID = id
			}
		}
	}
	switch f.Get("action") {
	case "publish":
		rule.Publish = true
	case "queue":
	default:
		return rule, srcSlug, "On a match: choose whether matching items are published at once or queued for the desk."
	}
	if rule.SectionID == 0 {
		return rule, srcSlug, "Section: choose the section matching items go to."
	}
	if rule.SourceID == 0 && rule.Subject == "" && rule.Keyword == "" {
		return rule, srcSlug, "Give the rule at least one condition: a source, a subject or a keyword."
	}
	return rule, srcSlug, ""
}

// describeRoute is a rule in words, for the audit log.
func describeRoute(rule store.WireRoute) string {
	action := "queue"
	if rule.Publish {
		action = "publish"
	}
	return fmt.Sprintf("source=%d subject=%q keyword=%q section=%d %s", rule.SourceID, rule.Subject, rule.Keyword, rule.SectionID, action)
}

// routingAdd adds a rule after the others: POST /newsroom/routing.
func (s *Server) routingAdd(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageSources); err != nil {
		return err
	}
	if err := readForm(w, r, 8<<10); err != nil {
		return err
	}
	p, err := s.routingPage(r, u)
	if err != nil {
		return err
	}
	rule, srcSlug, msg := routeForm(r, p)
	if msg != "" {
		p.Error, p.Form, p.FormSrc = msg, rule, srcSlug
		return s.render.Render(w, r, http.StatusBadRequest, "routing", p)
	}
	id, err := s.store.CreateWireRoute(r.Context(), rule)
	if errors.Is(err, store.ErrInvalid) {
		// The section or source went away since the page was read.
		p.Error, p.Form, p.FormSrc = "Section or source: it no longer exists; choose again.", rule, srcSlug
		return s.render.Render(w, r, http.StatusBadRequest, "routing", p)
	}
	if err != nil {
		return err
	}
	s.audit(r, u, "wire_route_add", fmt.Sprintf("wire_route:%d", id), describeRoute(rule))
	return seeOther(w, r, "/newsroom/routing?done=added")
}
