package site

import (
	"net/http"

	"dateline/internal/story"
)

// RenderPreview renders st, in whatever state, with the public story
// template: what readers would see if it were published now. The newsroom
// uses it for the editor's preview and for shared preview links.
func (s *Server) RenderPreview(w http.ResponseWriter, r *http.Request, st *story.Story) error {
	v, err := s.previewView(r, st)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	return s.sendStory(w, r, http.StatusOK, &v)
}

// previewView is the story page's view of st in whatever state, without
// its address.
func (s *Server) previewView(r *http.Request, st *story.Story) (storyView, error) {
	v := storyView{
		Page:  s.page(r.Context(), firstNonEmpty(st.SEOTitle, st.Headline), firstNonEmpty(st.SEODesc, st.Standfirst), ""),
		Story: st, Dir: story.Dir(st.Language), TypeLabel: s.typeLabel(st.Type),
		Minutes: story.ReadingMinutes(st.Body), Updated: st.Updated(),
	}
	v.NoIndex = true
	if st.Section.Slug != "" {
		v.Current = st.Section.Slug
	}
	err := s.storyLinks(r, st, &v)
	return v, err
}

// Asset returns the hashed URL of a static file, for other surfaces that
// share the site's assets.
func (s *Server) Asset(name string) (string, error) { return s.assets.URL(name) }
