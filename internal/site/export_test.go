package site

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"

	"dateline/internal/i18n"
	"dateline/internal/render"
	"dateline/internal/story"
)

// StoryBody is storyBody for the tests outside the package, with the
// words of the site language lang.
func StoryBody(lang string, blocks []story.Block, related map[int64]story.Summary) string {
	s := &Server{cat: i18n.For(lang)}
	return string(s.storyBody(blocks, related))
}

// StoryPages renders story pages twice: as the site writes them
// (story_page.go, layout_write.go), and with the templates of an oracle
// (a templates directory in which story.html is the oracle).
type StoryPages struct {
	site   *Server
	oracle *render.Renderer
}

// NewStoryPages makes the site from d and the oracle's renderer from its
// templates.
func NewStoryPages(d Deps, oracle fs.FS) (*StoryPages, error) {
	s, err := New(d)
	if err != nil {
		return nil, err
	}
	o, err := render.New(oracle, "templates", "layout.html", "layout", []string{"story"}, s.funcs())
	if err != nil {
		return nil, err
	}
	return &StoryPages{s, o}, nil
}

// Routes registers the site's routes: the pages the site serves.
func (p *StoryPages) Routes(mux *http.ServeMux) { p.site.Routes(mux) }

// Oracle renders the public page of st, found by its path, with the
// oracle's templates from the view the site builds for it.
func (p *StoryPages) Oracle(st *story.Story) (string, error) {
	r := httptest.NewRequest(http.MethodGet, st.Path(), nil)
	v := p.site.storyView(r.Context(), st)
	if err := p.site.storyLinks(r, st, &v); err != nil {
		return "", err
	}
	_, want, err := p.both(&v)
	return want, err
}

// Both renders st's page, with Explore showing explore, both ways; the
// breaking-news banner shows the first of explore, labelled with the
// headline of the second.
func (p *StoryPages) Both(st *story.Story, explore []story.Summary) (got, want string, err error) {
	s := p.site
	v := s.storyView(context.Background(), st)
	v.Body, v.Explore = s.storyBody(st.Body, nil), explore
	if len(explore) > 1 {
		v.Breaking, v.BreakingLabel = &explore[0], explore[1].Headline
	}
	return p.both(&v)
}

// Previews renders the newsroom's preview of st both ways.
func (p *StoryPages) Previews(st *story.Story) (got, want string, err error) {
	v, err := p.site.previewView(httptest.NewRequest(http.MethodGet, "/", nil), st)
	if err != nil {
		return "", "", err
	}
	return p.both(&v)
}

func (p *StoryPages) both(v *storyView) (got, want string, err error) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	g, w := httptest.NewRecorder(), httptest.NewRecorder()
	if err := p.site.sendStory(g, r, http.StatusOK, v); err != nil {
		return "", "", err
	}
	if err := p.oracle.Render(w, r, http.StatusOK, "story", *v); err != nil {
		return "", "", err
	}
	return g.Body.String(), w.Body.String(), nil
}
