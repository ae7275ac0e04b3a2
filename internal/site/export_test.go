package site

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"

	"dateline/internal/i18n"
	"dateline/internal/story"
)

// StoryBody is storyBody for the tests outside the package, with the
// words of the site language lang.
func StoryBody(lang string, blocks []story.Block, related map[int64]story.Summary) string {
	s := &Server{cat: i18n.For(lang)}
	return string(s.storyBody(blocks, related))
}

// StoryPages renders story pages twice: as the site does, and with the
// templates of an oracle (a templates directory in which story.html is
// the oracle).
type StoryPages struct{ site, oracle *Server }

// NewStoryPages makes both sites from d.
func NewStoryPages(d Deps, oracle fs.FS) (*StoryPages, error) {
	s, err := New(d)
	if err != nil {
		return nil, err
	}
	d.Templates = oracle
	o, err := New(d)
	if err != nil {
		return nil, err
	}
	return &StoryPages{s, o}, nil
}

// Both renders st's page, with Explore showing explore, both ways.
func (p *StoryPages) Both(st *story.Story, explore []story.Summary) (got, want string, err error) {
	s := p.site
	v := s.storyView(context.Background(), st)
	v.Body, v.Explore = s.storyBody(st.Body, nil), explore
	if v.Head, v.Main, err = s.storyHTML(&v); err != nil {
		return "", "", err
	}
	page := func(srv *Server) (string, error) {
		w := httptest.NewRecorder()
		err := srv.render.Render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, "story", v)
		return w.Body.String(), err
	}
	if got, err = page(s); err != nil {
		return "", "", err
	}
	want, err = page(p.oracle)
	return got, want, err
}

// Previews renders the newsroom's preview of st both ways.
func (p *StoryPages) Previews(st *story.Story) (got, want string, err error) {
	page := func(srv *Server) (string, error) {
		w := httptest.NewRecorder()
		err := srv.RenderPreview(w, httptest.NewRequest(http.MethodGet, "/", nil), st)
		return w.Body.String(), err
	}
	if got, err = page(p.site); err != nil {
		return "", "", err
	}
	want, err = page(p.oracle)
	return got, want, err
}
