package newsroom

import (
	"errors"
	"fmt"
	"net/http"

	"dateline/internal/auth"
	"dateline/internal/store"
)

// apiKeyRevoke revokes a key at once; the key stays in the list, marked,
// so the record of who had access survives.
func (s *Server) apiKeyRevoke(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageSettings); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIKey(r.Context(), id, s.now()); errors.Is(err, store.ErrNotFound) {
		return notFound(errors.New("There is no such key."))
	} else if err != nil {
		return err
	}
	s.audit(r, u, "api_key_revoke", fmt.Sprintf("api_key:%d", id), "")
	return seeOther(w, r, "/newsroom/api-keys?done=revoked")
}
