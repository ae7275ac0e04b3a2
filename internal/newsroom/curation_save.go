package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

// curationSave stores a scope's chosen order. The form sends each offered
// story as a pair of fields, id and pos, in display order; a story with a
// place from 1 to curationSlots is chosen, ties keep the display order.
// The "reset" button clears the choice (back to newest first).
func (s *Server) curationSave(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.Curate); err != nil {
		return err
	}
	if err := readForm(w, r, 64<<10); err != nil {
		return err
	}
	scope, _, err := s.scopeFor(r, r.PostForm.Get("scope"))
	if err != nil {
		return err
	}
	var ids []int64
	done := "reset"
	if r.PostForm.Get("reset") == "" {
		done = "saved"
		if ids, err = chosenOrder(r.PostForm["id"], r.PostForm["pos"]); err != nil {
			return badRequest(err)
		}
	}
	if err := s.store.SetCuration(r.Context(), scope.Value, ids); err != nil {
		if errors.Is(err, store.ErrInvalid) {
			return badRequest(errors.New("One of the stories no longer exists. Reload the page and try again."))
		}
		return err
	}
	s.audit(r, u, "curation", "curation:"+scope.Value, joinIDs(ids))
	return seeOther(w, r, curationURL(scope.Value, done))
}

// chosenOrder turns the form's parallel id and pos lists into the chosen
// story ids, by place.
func chosenOrder(idv, posv []string) ([]int64, error) {
	if len(idv) != len(posv) || len(idv) > 200 {
		return nil, errors.New("The form was not sent whole. Reload the page and try again.")
	}
	type pick struct {
		id       int64
		pos, idx int
	}
	var picks []pick
	seen := map[int64]bool{}
	for i := range idv {
		ps := strings.TrimSpace(posv[i])
		if ps == "" {
			continue
		}
		id, err1 := strconv.ParseInt(idv[i], 10, 64)
		pos, err2 := strconv.Atoi(ps)
		if err1 != nil || id <= 0 {
			return nil, errors.New("The form was not sent whole. Reload the page and try again.")
		}
		if err2 != nil || pos < 1 || pos > curationSlots {
			return nil, fmt.Errorf("Places go from 1 to %d; leave the others empty.", curationSlots)
		}
		if !seen[id] {
			seen[id] = true
			picks = append(picks, pick{id, pos, i})
		}
	}
	slices.SortStableFunc(picks, func(a, b pick) int { return a.pos - b.pos })
	ids := make([]int64, 0, curationSlots)
	for _, p := range picks {
		if len(ids) < curationSlots {
			ids = append(ids, p.id)
		}
	}
	return ids, nil
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// breakingSet marks a published story as breaking news for some hours
// (breakingDefault unless told); the banner then shows on every public
// page until it expires or is cleared. Only one story is breaking at once.
func (s *Server) breakingSet(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.Curate); err != nil {
		return err
	}
	if err := readForm(w, r, 4<<10); err != nil {
		return err
	}
	id := formID(r, "story_id")
	st, err := s.store.Story(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return badRequest(errors.New("Choose a published story."))
	} else if err != nil {
		return err
	}
	if st.Status != story.StatusPublished {
		return badRequest(errors.New("Only a published story can be breaking news."))
	}
	d := breakingDefault
	if h := strings.TrimSpace(r.PostForm.Get("hours")); h != "" {
		f, err := strconv.ParseFloat(h, 64)
		if err != nil || f <= 0 || time.Duration(f*float64(time.Hour)) > breakingMax {
			return badRequest(fmt.Errorf("The banner lasts between a few minutes and %d hours.", int(breakingMax/time.Hour)))
		}
		d = time.Duration(f * float64(time.Hour)).Round(time.Minute)
		if d < time.Minute {
			d = time.Minute
		}
	}
	until := s.now().Add(d).UTC()
	if err := s.store.SetBreaking(r.Context(), id, until); err != nil {
		return err
	}
	s.audit(r, u, "breaking_set", fmt.Sprintf("story:%d", id), "until "+until.Format(time.RFC3339))
	return seeOther(w, r, curationURL(r.PostForm.Get("scope"), "breaking"))
}

// breakingClear takes the banner down at once.
func (s *Server) breakingClear(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.Curate); err != nil {
		return err
	}
	if err := readForm(w, r, 4<<10); err != nil {
		return err
	}
	id := formID(r, "story_id")
	if err := s.store.SetBreaking(r.Context(), id, time.Time{}); err != nil {
		return err
	}
	s.audit(r, u, "breaking_clear", fmt.Sprintf("story:%d", id), "")
	return seeOther(w, r, curationURL(r.PostForm.Get("scope"), "cleared"))
}
