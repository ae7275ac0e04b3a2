package newsroom

import (
	"net/http"
	"strconv"
	"time"

	"dateline/internal/store"
)

// deliveryRow is one line of an endpoint's delivery log.
type deliveryRow struct {
	store.WebhookDelivery
	Tries []attemptRow
}

// attemptRow is one attempt at a delivery.
type attemptRow struct{ store.WebhookAttempt }

// Took is the attempt's duration, rounded for reading.
func (a attemptRow) Took() string { return a.Duration.Round(time.Millisecond).String() }

type webhookPage struct {
	Page
	Endpoint   store.WebhookEndpoint
	Deliveries []deliveryRow
	Older      int64 // the before= of the next page, 0 when there is none
}

const deliveriesPerPage = 50

// webhookShow is an endpoint's page: its secret, its events and its
// delivery log, newest first, each delivery with its attempts.
func (s *Server) webhookShow(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := requireWebhookAdmin(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	e, err := s.store.WebhookEndpoint(ctx, id)
	if err != nil {
		return err
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	ds, err := s.store.WebhookDeliveries(ctx, id, before, deliveriesPerPage+1)
	if err != nil {
		return err
	}
	p := webhookPage{Page: s.page(u, "Webhook "+e.URL, "webhooks"), Endpoint: e}
	if len(ds) > deliveriesPerPage {
		ds = ds[:deliveriesPerPage]
		p.Older = ds[len(ds)-1].ID
	}
	ids := make([]int64, len(ds))
	byID := map[int64]int{}
	for i, d := range ds {
		ids[i], byID[d.ID] = d.ID, i
		p.Deliveries = append(p.Deliveries, deliveryRow{WebhookDelivery: d})
	}
	as, err := s.store.WebhookAttempts(ctx, ids)
	if err != nil {
		return err
	}
	for _, a := range as {
		row := &p.Deliveries[byID[a.DeliveryID]]
		row.Tries = append(row.Tries, attemptRow{a})
	}
	switch r.URL.Query().Get("done") {
	case "added":
		p.Flash = "Endpoint registered. Give the receiver the secret below to check signatures."
	case "enabled":
		p.Flash = "Endpoint enabled."
	case "disabled":
		p.Flash = "Endpoint disabled: new events are not queued for it, and queued ones wait."
	case "test":
		p.Flash = "Test event queued; it appears below once sent."
	}
	return s.render.Render(w, r, http.StatusOK, "webhooks_show", p)
}
