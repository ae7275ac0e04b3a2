package newsroom

import (
	"fmt"
	"net/http"

	"dateline/internal/store"
)

// webhookDelete removes an endpoint with its queued deliveries and log.
func (s *Server) webhookDelete(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := requireWebhookAdmin(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.store.WebhookEndpoint(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteWebhookEndpoint(r.Context(), id); err != nil {
		return err
	}
	s.audit(r, u, "webhook_delete", fmt.Sprintf("webhook:%d", id), e.URL)
	return seeOther(w, r, "/newsroom/webhooks?done=deleted")
}
