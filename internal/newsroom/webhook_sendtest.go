package newsroom

import (
	"fmt"
	"net/http"

	"dateline/internal/store"
	"dateline/internal/webhook"
)

// webhookSendTest queues a "test" event for an endpoint; the sender
// delivers it in the background like any other, and the log shows it.
func (s *Server) webhookSendTest(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := requireWebhookAdmin(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := webhook.SendTest(r.Context(), s.store, id, s.now()); err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/newsroom/webhooks/%d?done=test", id))
}
