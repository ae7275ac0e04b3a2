package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"dateline/internal/store"
	"dateline/internal/webhook"
)

// webhookAdd registers an endpoint. A refused address comes back on the
// form with the reason, as a 400.
func (s *Server) webhookAdd(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := requireWebhookAdmin(u); err != nil {
		return err
	}
	if err := readForm(w, r, 8<<10); err != nil {
		return err
	}
	raw, kinds := strings.TrimSpace(r.PostForm.Get("url")), r.PostForm["events"]
	targets := webhook.Targets{BaseURL: s.cfg.BaseURL, AllowPrivate: s.cfg.AllowPrivateTargets}
	e, err := webhook.Register(r.Context(), s.store, targets, raw, kinds)
	var te *webhook.TargetError
	if errors.As(err, &te) {
		p, perr := s.webhooksPage(r, u, raw, kinds)
		if perr != nil {
			return perr
		}
		p.Error = "This endpoint was not registered. " + te.Reason
		return s.render.Render(w, r, http.StatusBadRequest, "webhooks", p)
	}
	if err != nil {
		return err
	}
	s.audit(r, u, "webhook_add", fmt.Sprintf("webhook:%d", e.ID), e.URL+" "+strings.Join(e.Events, ","))
	return seeOther(w, r, fmt.Sprintf("/newsroom/webhooks/%d?done=added", e.ID))
}
