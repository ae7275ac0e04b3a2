package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/store"
)

// errNotAllowed is what a role that may not do something is told.
var errNotAllowed = errors.New("Your role does not allow this. Ask an editor or an admin.")

// require refuses with 403 unless u may do a (an action on no story).
// Every admin, media, curation and inbox handler calls it before acting.
func require(u store.User, a auth.Action) error {
	if !auth.Can(u, a, auth.StoryRef{}) {
		return forbidden(errNotAllowed)
	}
	return nil
}

// pathID reads a positive numeric path value; anything else is a 404.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound(errors.New("There is no such item."))
	}
	return id, nil
}

// readForm parses a urlencoded form of at most limit bytes.
func readForm(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return &httpError{http.StatusRequestEntityTooLarge, fmt.Errorf("The form is too large: it may be at most %d KiB.", limit>>10)}
		}
		return badRequest(errors.New("The form could not be read (is it too long?)."))
	}
	return nil
}

// itemPost begins a POST that acts on one item of an admin list
// (/newsroom/…/{id}/…): u must be allowed a, the path's id must be a
// number, and the form, at most limit bytes, is read. It returns the id.
func itemPost(w http.ResponseWriter, r *http.Request, u store.User, a auth.Action, limit int64) (int64, error) {
	if err := require(u, a); err != nil {
		return 0, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, readForm(w, r, limit)
}

// moveOne moves id one place up (or down) in the ordered ids, in place,
// and says where it went (0-based). found is false when id is not among
// them; moved is false when it is already at that end.
func moveOne(ids []int64, id int64, down bool) (to int, found, moved bool) {
	at := slices.Index(ids, id)
	if at < 0 {
		return 0, false, false
	}
	to = at - 1
	if down {
		to = at + 1
	}
	if to < 0 || to >= len(ids) {
		return at, true, false
	}
	ids[at], ids[to] = ids[to], ids[at]
	return to, true, true
}

// formID reads a positive id from a form field; 0 when empty or invalid.
func formID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get(name)), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// seeOther redirects after a successful POST, so a reload does not repeat it.
func seeOther(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
