package newsroom

import (
	"errors"
	"fmt"
	"net/http"
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
