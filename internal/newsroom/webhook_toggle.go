package newsroom

import (
	"fmt"
	"net/http"

	"dateline/internal/store"
)

// webhookToggle enables or disables an endpoint (form field enabled=1|0).
func (s *Server) webhookToggle(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := requireWebhookAdmin(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readForm(w, r, 1<<10); err != nil {
		return err
	}
	on := r.PostForm.Get("enabled") == "1"
	if err := s.store.SetWebhookEndpointEnabled(r.Context(), id, on); err != nil {
		return err
	}
	action, done := "webhook_disable", "disabled"
	if on {
		action, done = "webhook_enable", "enabled"
	}
	s.audit(r, u, action, fmt.Sprintf("webhook:%d", id), "")
	return seeOther(w, r, fmt.Sprintf("/newsroom/webhooks/%d?done=%s", id, done))
}
