package newsroom

import (
	"net/http"

	"dateline/internal/workflow"
)

func init() {
	routeAdders = append(routeAdders, (*Server).storyRoutes)
	extraPages = append(extraPages, "story_list", "story_edit", "story_revisions", "story_compare", "story_share")
}

// storyRoutes lists every URL of the story editor and its workflow.
func (s *Server) storyRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/stories", s.user(s.storyList))
	mux.HandleFunc("GET /newsroom/stories/search", s.user(s.storySearch))
	mux.HandleFunc("GET /newsroom/stories/new", s.user(s.storyNew))
	mux.HandleFunc("POST /newsroom/stories/new", s.user(s.storyCreate))
	mux.HandleFunc("GET /newsroom/stories/{id}", s.user(s.storyEdit))
	mux.HandleFunc("POST /newsroom/stories/{id}", s.user(s.storySave))
	mux.HandleFunc("POST /newsroom/stories/{id}/autosave", s.user(s.storyAutosave))
	mux.HandleFunc("POST /newsroom/stories/{id}/preview", s.user(s.storyPreview))
	mux.HandleFunc("POST /newsroom/stories/{id}/share", s.user(s.storyShareCreate))
	mux.HandleFunc("GET /newsroom/share/{token}", s.handle(s.storyShareShow))
	mux.HandleFunc("POST /newsroom/stories/{id}/{action}", s.user(s.storyWorkflow))
	mux.HandleFunc("POST /newsroom/stories/{id}/notes", s.user(s.storyNote))
	mux.HandleFunc("GET /newsroom/stories/{id}/revisions", s.user(s.storyRevisions))
	mux.HandleFunc("GET /newsroom/stories/{id}/compare", s.user(s.storyCompare))
	mux.HandleFunc("POST /newsroom/stories/{id}/revisions/{rev}/restore", s.user(s.storyRestore))
}

// workflow is the editorial workflow on the newsroom's store and clock.
func (s *Server) workflow() *workflow.Service { return workflow.New(s.store, s.now, s.log) }
