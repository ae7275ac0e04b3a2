package newsroom

import (
	"errors"
	"fmt"
	"net/http"

	"dateline/internal/auth"
	"dateline/internal/store"
)

// wireSpike takes a queued (or offered) item off the queue without
// touching any story:
// POST /newsroom/wire/{id}/spike. The item and its history are kept.
func (s *Server) wireSpike(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.SpikeStory, 4<<10)
	if err != nil {
		return err
	}
	err = s.store.SpikeWireItem(r.Context(), id)
	if errors.Is(err, store.ErrConflict) {
		return conflict(errors.New("This item is no longer in the queue."))
	}
	if err != nil {
		return err
	}
	s.audit(r, u, "wire_spike", fmt.Sprintf("wire:%d", id), "")
	return seeOther(w, r, fmt.Sprintf("/newsroom/wire/%d?done=spiked", id))
}
