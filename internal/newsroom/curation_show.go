package newsroom

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

func init() {
	routeAdders = append(routeAdders, (*Server).curationRoutes)
	extraPages = append(extraPages, "curation")
}

// curationRoutes are front page and section curation and the breaking
// news banner (editors and admins: auth.Curate).
func (s *Server) curationRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/curation", s.user(s.curationShow))
	mux.HandleFunc("POST /newsroom/curation", s.user(s.curationSave))
	mux.HandleFunc("POST /newsroom/curation/breaking", s.user(s.breakingSet))
	mux.HandleFunc("POST /newsroom/curation/breaking/clear", s.user(s.breakingClear))
}

const (
	// curationSlots is how many stories a scope's editors choose: the
	// front page's lead and its four top stories. The public pages rely
	// on a choice shorter than a page of a section list.
	curationSlots = 5
	// curationCandidates is how many recent stories the form offers.
	curationCandidates = 30
	// breakingDefault is how long a story stays breaking unless told.
	breakingDefault = 2 * time.Hour
	// breakingMax bounds the expiry: a banner should not be forgotten.
	breakingMax = 48 * time.Hour
)

// scopeFront is the curation scope of the front page; a section's scope
// is its slug.
const scopeFront = "front"

// curationScope is one page whose order can be chosen.
type curationScope struct {
	Value   string
	Name    string
	Current bool
}

// curationRow is a story offered in the form, with its chosen place.
type curationRow struct {
	story.Summary
	Position int // 1..curationSlots, or 0 when not chosen
}

type curationPage struct {
	Page
	Scope     curationScope
	Scopes    []curationScope
	Rows      []curationRow
	Slots     []int
	PublicURL string

	Breaking      *story.Summary
	BreakingUntil time.Time
	Recent        []story.Summary // stories that can be marked breaking
	DefaultHours  int
	MaxHours      int
}

// scopeFor resolves a scope parameter: "front" (the default) or the slug
// of an existing section.
func (s *Server) scopeFor(r *http.Request, v string) (curationScope, []story.Section, error) {
	secs, err := s.store.Sections(r.Context())
	if err != nil {
		return curationScope{}, nil, err
	}
	if v == "" || v == scopeFront {
		return curationScope{Value: scopeFront, Name: "Front page", Current: true}, secs, nil
	}
	for _, sec := range secs {
		if sec.Slug == v {
			return curationScope{Value: sec.Slug, Name: sec.Name, Current: true}, secs, nil
		}
	}
	return curationScope{}, nil, notFound(errors.New("There is no such section."))
}

// curationShow lists recent published stories of a scope with the place
// editors gave them, and the breaking news controls.
func (s *Server) curationShow(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.Curate); err != nil {
		return err
	}
	ctx := r.Context()
	scope, secs, err := s.scopeFor(r, r.URL.Query().Get("scope"))
	if err != nil {
		return err
	}
	p := curationPage{Page: s.page(u, "Front page and sections", "curation"), Scope: scope,
		DefaultHours: int(breakingDefault / time.Hour), MaxHours: int(breakingMax / time.Hour)}
	p.Scopes = append(p.Scopes, curationScope{Value: scopeFront, Name: "Front page", Current: scope.Value == scopeFront})
	q := store.ListQuery{Limit: curationCandidates}
	p.PublicURL = "/"
	for _, sec := range secs {
		p.Scopes = append(p.Scopes, curationScope{Value: sec.Slug, Name: sec.Name, Current: sec.Slug == scope.Value})
		if sec.Slug == scope.Value {
			q.SectionID, p.PublicURL = sec.ID, "/"+sec.Slug
		}
	}
	for i := 1; i <= curationSlots; i++ {
		p.Slots = append(p.Slots, i)
	}
	ids, err := s.store.Curation(ctx, scope.Value)
	if err != nil {
		return err
	}
	chosen, err := s.store.Summaries(ctx, ids)
	if err != nil {
		return err
	}
	q.Exclude = ids
	recent, err := s.store.ListStories(ctx, q)
	if err != nil {
		return err
	}
	for i, sum := range chosen {
		p.Rows = append(p.Rows, curationRow{Summary: sum, Position: i + 1})
	}
	for _, sum := range recent {
		p.Rows = append(p.Rows, curationRow{Summary: sum})
	}
	if err := s.breakingInfo(r, &p); err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "saved":
		p.Flash = "Order saved. The public page shows it now."
	case "reset":
		p.Flash = "Choice cleared: the page shows the newest stories first."
	case "breaking":
		p.Flash = "Breaking news banner set."
	case "cleared":
		p.Flash = "Breaking news banner cleared."
	}
	return s.render.Render(w, r, http.StatusOK, "curation", p)
}

// breakingInfo fills the current banner and the stories that can be marked.
func (s *Server) breakingInfo(r *http.Request, p *curationPage) error {
	ctx := r.Context()
	b, err := s.store.Breaking(ctx, s.now())
	switch {
	case err == nil:
		p.Breaking = b
		meta, err := s.store.StoryMeta(ctx, b.ID)
		if err != nil {
			return err
		}
		p.BreakingUntil = meta.BreakingUntil
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	p.Recent, err = s.store.ListStories(ctx, store.ListQuery{Limit: curationCandidates})
	return err
}

func curationURL(scope, done string) string {
	return "/newsroom/curation?scope=" + url.QueryEscape(scope) + "&done=" + done
}
