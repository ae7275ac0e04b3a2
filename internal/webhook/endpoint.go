package webhook

import (
	"context"
	"fmt"
	"slices"
	"time"

	"dateline/internal/store"
)

// Register checks a target URL and the chosen kinds and stores a new,
// enabled endpoint with a fresh secret. A refused URL or choice comes back
// as a *TargetError whose message can be shown as is.
func Register(ctx context.Context, st store.Store, t Targets, rawURL string, kinds []string) (store.WebhookEndpoint, error) {
	u, err := t.Check(ctx, rawURL)
	if err != nil {
		return store.WebhookEndpoint{}, err
	}
	if len(u.String()) > 2000 {
		return store.WebhookEndpoint{}, refuse("The address is too long (at most 2,000 characters).")
	}
	var chosen []string
	for _, k := range Kinds {
		if slices.Contains(kinds, k) {
			chosen = append(chosen, k)
		}
	}
	for _, k := range kinds {
		if !slices.Contains(Kinds, k) {
			return store.WebhookEndpoint{}, refuse("%q is not an event; choose among %v.", k, Kinds)
		}
	}
	if len(chosen) == 0 {
		return store.WebhookEndpoint{}, refuse("Choose at least one event to send.")
	}
	e := store.WebhookEndpoint{URL: u.String(), Events: chosen, Secret: NewSecret(), Enabled: true}
	if e.ID, err = st.CreateWebhookEndpoint(ctx, e); err != nil {
		return store.WebhookEndpoint{}, fmt.Errorf("register webhook %s: %w", e.URL, err)
	}
	return e, nil
}

// SendTest queues a test delivery to an endpoint; the sender takes it at
// its next look at the queue. ErrNotFound when there is no such endpoint.
func SendTest(ctx context.Context, st store.Store, endpointID int64, now time.Time) (store.WebhookDelivery, error) {
	d, err := st.QueueWebhookTest(ctx, endpointID, TestPayload(now), now)
	if err != nil {
		return d, fmt.Errorf("send test to webhook %d: %w", endpointID, err)
	}
	return d, nil
}
