package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"dateline/internal/store"
)

// webhookKinds are the event kinds an endpoint may subscribe to, in the
// order they are listed back.
var webhookKinds = []string{store.EventPublished, store.EventUpdated, store.EventUnpublished, store.EventKilled, store.EventWithheld}

// CreateWebhookEndpoint stores an endpoint with its event kinds.
func (c *Core) CreateWebhookEndpoint(ctx context.Context, e store.WebhookEndpoint) (int64, error) {
	if len(e.Events) == 0 {
		return 0, fmt.Errorf("create webhook endpoint: %w: no events chosen", store.ErrInvalid)
	}
	for _, k := range e.Events {
		if !slices.Contains(webhookKinds, k) {
			return 0, fmt.Errorf("create webhook endpoint: %w: unknown event %q", store.ErrInvalid, k)
		}
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("create webhook endpoint: %w", err)
	}
	defer tx.Rollback()
	id, err := InsertID(ctx, c.d, tx, "INSERT INTO webhook_endpoints (url, secret, enabled, created_at) VALUES (?, ?, ?, ?)",
		e.URL, e.Secret, B2I(e.Enabled), Micro(c.now()))
	if err != nil {
		return 0, fmt.Errorf("create webhook endpoint: %w", c.d.MapErr(err))
	}
	for _, k := range e.Events {
		if _, err := Exec(ctx, c.d, tx, "INSERT INTO webhook_endpoint_events (endpoint_id, kind) VALUES (?, ?) ON CONFLICT DO NOTHING", id, k); err != nil {
			return 0, fmt.Errorf("create webhook endpoint: %w", c.d.MapErr(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("create webhook endpoint: %w", err)
	}
	return id, nil
}

// WebhookEndpoints returns every endpoint, oldest first.
func (c *Core) WebhookEndpoints(ctx context.Context) ([]store.WebhookEndpoint, error) {
	return c.webhookEndpoints(ctx, "")
}

// WebhookEndpoint returns one endpoint, or store.ErrNotFound.
func (c *Core) WebhookEndpoint(ctx context.Context, id int64) (store.WebhookEndpoint, error) {
	list, err := c.webhookEndpoints(ctx, "WHERE e.id = ?", id)
	if err != nil {
		return store.WebhookEndpoint{}, err
	}
	if len(list) == 0 {
		return store.WebhookEndpoint{}, fmt.Errorf("webhook endpoint %d: %w", id, store.ErrNotFound)
	}
	return list[0], nil
}

func (c *Core) webhookEndpoints(ctx context.Context, where string, args ...any) ([]store.WebhookEndpoint, error) {
	rows, err := Query(ctx, c.d, c.db, `SELECT e.id, e.url, e.secret, e.enabled, e.created_at, coalesce(k.kind, '')
		FROM webhook_endpoints e LEFT JOIN webhook_endpoint_events k ON k.endpoint_id = e.id `+where+`
		ORDER BY e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list webhook endpoints: %w", err)
	}
	defer rows.Close()
	var out []store.WebhookEndpoint
	for rows.Next() {
		var e store.WebhookEndpoint
		var created int64
		var kind string
		if err := rows.Scan(&e.ID, &e.URL, &e.Secret, &e.Enabled, &created, &kind); err != nil {
			return nil, fmt.Errorf("list webhook endpoints: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].ID != e.ID {
			e.CreatedAt = FromMicro(sql.NullInt64{Int64: created, Valid: true})
			out = append(out, e)
		}
		if kind != "" {
			last := &out[len(out)-1]
			last.Events = append(last.Events, kind)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list webhook endpoints: %w", err)
	}
	for i := range out {
		slices.SortFunc(out[i].Events, func(a, b string) int {
			return slices.Index(webhookKinds, a) - slices.Index(webhookKinds, b)
		})
	}
	return out, nil
}

// SetWebhookEndpointEnabled turns an endpoint on or off.
func (c *Core) SetWebhookEndpointEnabled(ctx context.Context, id int64, enabled bool) error {
	res, err := Exec(ctx, c.d, c.db, "UPDATE webhook_endpoints SET enabled = ? WHERE id = ?", B2I(enabled), id)
	if err != nil {
		return fmt.Errorf("enable webhook endpoint %d: %w", id, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("enable webhook endpoint %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// DeleteWebhookEndpoint removes an endpoint; its deliveries and attempts
// go with it (ON DELETE CASCADE).
func (c *Core) DeleteWebhookEndpoint(ctx context.Context, id int64) error {
	res, err := Exec(ctx, c.d, c.db, "DELETE FROM webhook_endpoints WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete webhook endpoint %d: %w", id, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete webhook endpoint %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// WebhookDeliveries returns an endpoint's deliveries, newest first.
func (c *Core) WebhookDeliveries(ctx context.Context, endpointID, beforeID int64, limit int) ([]store.WebhookDelivery, error) {
	if limit <= 0 {
		limit = 50
	}
	if beforeID <= 0 {
		beforeID = 1<<63 - 1
	}
	rows, err := Query(ctx, c.d, c.db, `SELECT `+DeliveryCols+` FROM webhook_deliveries d
		WHERE d.endpoint_id = ? AND d.id < ? ORDER BY d.id DESC LIMIT ?`, endpointID, beforeID, limit)
	if err != nil {
		return nil, fmt.Errorf("list webhook deliveries: %w", err)
	}
	return ScanDeliveries(rows, false)
}

// WebhookAttempts returns the attempts of the given deliveries, oldest first.
func (c *Core) WebhookAttempts(ctx context.Context, deliveryIDs []int64) ([]store.WebhookAttempt, error) {
	if len(deliveryIDs) == 0 {
		return nil, nil
	}
	rows, err := Query(ctx, c.d, c.db, `SELECT id, delivery_id, at, status_code, error, duration_us FROM webhook_attempts
		WHERE delivery_id IN (`+Placeholders(len(deliveryIDs))+`) ORDER BY id`, Int64Args(deliveryIDs)...)
	if err != nil {
		return nil, fmt.Errorf("list webhook attempts: %w", err)
	}
	defer rows.Close()
	var out []store.WebhookAttempt
	for rows.Next() {
		var a store.WebhookAttempt
		var at, dur int64
		if err := rows.Scan(&a.ID, &a.DeliveryID, &at, &a.StatusCode, &a.Error, &dur); err != nil {
			return nil, fmt.Errorf("list webhook attempts: %w", err)
		}
		a.At = FromMicro(sql.NullInt64{Int64: at, Valid: true})
		a.Duration = MicroDuration(dur)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list webhook attempts: %w", err)
	}
	return out, nil
}

// DeliveryCols selects a webhook delivery for ScanDeliveries.
const DeliveryCols = `d.id, d.uid, coalesce(d.endpoint_id, 0), coalesce(d.event_id, 0), d.kind, coalesce(d.story_id, 0), d.body,
	d.status, d.attempts, d.created_at, d.first_attempt_at, d.next_at, d.last_code, d.last_error, d.done_at`

// ScanDeliveries reads rows of DeliveryCols (plus url and secret when
// withTarget) and closes them.
func ScanDeliveries(rows *sql.Rows, withTarget bool) ([]store.WebhookDelivery, error) {
	defer rows.Close()
	var out []store.WebhookDelivery
	for rows.Next() {
		var d store.WebhookDelivery
		var body string
		var created, next int64
		var first, done sql.NullInt64
		dest := []any{&d.ID, &d.UID, &d.EndpointID, &d.EventID, &d.Kind, &d.StoryID, &body,
			&d.Status, &d.Attempts, &created, &first, &next, &d.LastCode, &d.LastError, &done}
		if withTarget {
			dest = append(dest, &d.URL, &d.Secret)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read webhook deliveries: %w", err)
		}
		d.Body = []byte(body)
		d.CreatedAt = FromMicro(sql.NullInt64{Int64: created, Valid: true})
		d.NextAt = FromMicro(sql.NullInt64{Int64: next, Valid: true})
		d.FirstAttemptAt, d.DoneAt = FromMicro(first), FromMicro(done)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read webhook deliveries: %w", err)
	}
	return out, nil
}

// MicroDuration reads a duration stored in microseconds.
func MicroDuration(us int64) time.Duration { return time.Duration(us) * time.Microsecond }
