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

// routingUpdate changes a rule in place: POST /newsroom/routing/{id}.
func (s *Server) routingUpdate(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.ManageSources, 8<<10)
	if err != nil {
		return err
	}
	p, err := s.routingPage(r, u)
	if err != nil {
		return err
	}
	rule, _, msg := routeForm(r, p)
	if msg != "" {
		p.Error = fmt.Sprintf("Rule %d was not saved. %s", id, msg)
		return s.render.Render(w, r, http.StatusBadRequest, "routing", p)
	}
	rule.ID = id
	switch err := s.store.UpdateWireRoute(r.Context(), rule); {
	case errors.Is(err, store.ErrNotFound):
		return notFound(errors.New("There is no such rule."))
	case errors.Is(err, store.ErrInvalid):
		p.Error = fmt.Sprintf("Rule %d was not saved. Section or source: it no longer exists; choose again.", id)
		return s.render.Render(w, r, http.StatusBadRequest, "routing", p)
	case err != nil:
		return err
	}
	s.audit(r, u, "wire_route_change", fmt.Sprintf("wire_route:%d", id), describeRoute(rule))
	return seeOther(w, r, "/newsroom/routing?done=saved")
}

// routingDelete removes a rule: POST /newsroom/routing/{id}/delete.
func (s *Server) routingDelete(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.ManageSources, 1<<10)
	if err != nil {
		return err
	}
	if err := s.store.DeleteWireRoute(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		return notFound(errors.New("There is no such rule."))
	} else if err != nil {
		return err
	}
	s.audit(r, u, "wire_route_delete", fmt.Sprintf("wire_route:%d", id), "")
	return seeOther(w, r, "/newsroom/routing?done=deleted")
}

// routingMove moves a rule one place up or down: the order is the order
// rules are tried in. POST /newsroom/routing/{id}/move with dir=up|down.
func (s *Server) routingMove(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.ManageSources, 1<<10)
	if err != nil {
		return err
	}
	dir := r.PostForm.Get("dir")
	if dir != "up" && dir != "down" {
		return badRequest(errors.New("Direction: move a rule up or down."))
	}
	rules, err := s.store.WireRoutes(r.Context())
	if err != nil {
		return err
	}
	ids := make([]int64, len(rules))
	for i, rule := range rules {
		ids[i] = rule.ID
	}
	to, found, moved := moveOne(ids, id, dir == "down")
	if !found {
		return notFound(errors.New("There is no such rule."))
	}
	if moved {
		if err := s.store.ReorderWireRoutes(r.Context(), ids); errors.Is(err, store.ErrConflict) {
			return conflict(errors.New("The rules changed meanwhile; look at the list again."))
		} else if err != nil {
			return err
		}
		s.audit(r, u, "wire_route_move", fmt.Sprintf("wire_route:%d", id), fmt.Sprintf("to place %d", to+1))
	}
	return seeOther(w, r, "/newsroom/routing?done=moved")
}

// routingDefaultSection sets the section a source's items go to when no
// rule matches them, by name: the first item that needs it creates it
// when there is no such section yet. POST /newsroom/sources/{id}/default-section.
func (s *Server) routingDefaultSection(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.ManageSources, 2<<10)
	if err != nil {
		return err
	}
	name := strings.Join(strings.Fields(r.PostForm.Get("section")), " ")
	msg := ""
	if name != "" {
		if len(name) > 100 {
			msg = "Default section: at most 100 characters."
		} else if m := sectionSlugError(name, story.Slugify(name, 60)); m != "" {
			msg = "Default section: " + m
		}
	}
	if msg != "" {
		p, err := s.routingPage(r, u)
		if err != nil {
			return err
		}
		p.Error = msg
		return s.render.Render(w, r, http.StatusBadRequest, "routing", p)
	}
	if err := s.store.SetWireSourceSection(r.Context(), id, name); errors.Is(err, store.ErrInvalid) {
		return notFound(errors.New("There is no such source."))
	} else if err != nil {
		return err
	}
	s.audit(r, u, "source_default_section", fmt.Sprintf("source:%d", id), name)
	return seeOther(w, r, "/newsroom/routing?done=saved")
}
