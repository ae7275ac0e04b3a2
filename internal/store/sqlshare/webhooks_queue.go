package sqlshare

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"dateline/internal/store"
)

// WebhookPosition returns the id of the last story event fanned out.
func (c *Core) WebhookPosition(ctx context.Context) (int64, error) {
	var id int64
	if err := QueryRow(ctx, c.d, c.db, "SELECT last_event_id FROM webhook_dispatch WHERE id = 1").Scan(&id); err != nil {
		return 0, fmt.Errorf("webhook position: %w", c.d.MapErr(err))
	}
	return id, nil
}

// QueueWebhookEvents advances the position and queues the deliveries of
// events in one transaction: a crash leaves either both or neither, so no
// event is lost or sent twice, and the compare-and-set on the position
// keeps two dispatchers from fanning out the same events.
func (c *Core) QueueWebhookEvents(ctx context.Context, from, to int64, events []store.WebhookEvent, now time.Time) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("queue webhook events: %w", err)
	}
	defer tx.Rollback()
	res, err := Exec(ctx, c.d, tx, "UPDATE webhook_dispatch SET last_event_id = ? WHERE id = 1 AND last_event_id = ?", to, from)
	if err != nil {
		return fmt.Errorf("queue webhook events: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("queue webhook events after %d: %w: the position moved", from, store.ErrConflict)
	}
	at := Micro(now)
	for _, ev := range events {
		if ev.Body == nil {
			continue // stepped over: nobody was listening when it was read
		}
		if _, err := Exec(ctx, c.d, tx, `INSERT INTO webhook_deliveries (uid, endpoint_id, event_id, kind, story_id, body, created_at, next_at)
			SELECT `+c.d.NewUID()+`, e.id, ?, ?, ?, ?, ?, ? FROM webhook_endpoints e
			JOIN webhook_endpoint_events k ON k.endpoint_id = e.id AND k.kind = ?
			WHERE e.enabled = 1`, ev.EventID, ev.Kind, ev.StoryID, string(ev.Body), at, at, ev.Kind); err != nil {
			return fmt.Errorf("queue webhook event %d: %w", ev.EventID, c.d.MapErr(err))
		}
		if ev.HubBody == nil {
			continue
		}
		if _, err := Exec(ctx, c.d, tx, `INSERT INTO webhook_deliveries (uid, endpoint_id, event_id, kind, story_id, body, created_at, next_at)
			VALUES (`+c.d.NewUID()+`, NULL, ?, ?, ?, ?, ?, ?)`, ev.EventID, ev.Kind, ev.StoryID, string(ev.HubBody), at, at); err != nil {
			return fmt.Errorf("queue hub ping for event %d: %w", ev.EventID, c.d.MapErr(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("queue webhook events: %w", err)
	}
	return nil
}

// QueueWebhookTest queues a test delivery to one endpoint.
func (c *Core) QueueWebhookTest(ctx context.Context, endpointID int64, body []byte, now time.Time) (store.WebhookDelivery, error) {
	at := Micro(now)
	// RETURNING, not the last insert id: no row comes back when there is
	// no such endpoint.
	var id int64
	err := QueryRow(ctx, c.d, c.db, `INSERT INTO webhook_deliveries (uid, endpoint_id, kind, body, created_at, next_at)
		SELECT `+c.d.NewUID()+`, id, 'test', ?, ?, ? FROM webhook_endpoints WHERE id = ?
		RETURNING id`, string(body), at, at, endpointID).Scan(&id)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return store.WebhookDelivery{}, fmt.Errorf("queue webhook test for %d: %w", endpointID, store.ErrNotFound)
		}
		return store.WebhookDelivery{}, fmt.Errorf("queue webhook test for %d: %w", endpointID, c.d.MapErr(err))
	}
	rows, err := Query(ctx, c.d, c.db, `SELECT `+DeliveryCols+` FROM webhook_deliveries d WHERE d.id = ?`, id)
	if err != nil {
		return store.WebhookDelivery{}, fmt.Errorf("queue webhook test for %d: %w", endpointID, err)
	}
	list, err := ScanDeliveries(rows, false)
	if err != nil {
		return store.WebhookDelivery{}, err
	}
	if len(list) == 0 {
		return store.WebhookDelivery{}, fmt.Errorf("queue webhook test for %d: %w", endpointID, store.ErrNotFound)
	}
	return list[0], nil
}

// RecordWebhookAttempt logs an attempt and settles its delivery.
func (c *Core) RecordWebhookAttempt(ctx context.Context, a store.WebhookAttempt, o store.WebhookOutcome) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record webhook attempt: %w", err)
	}
	defer tx.Rollback()
	at := Micro(a.At)
	var done sql.NullInt64
	if o.Status != store.DeliveryPending {
		done = sql.NullInt64{Int64: at, Valid: true}
	}
	next := at
	if o.Status == store.DeliveryPending {
		next = Micro(o.NextAt)
	}
	res, err := Exec(ctx, c.d, tx, `UPDATE webhook_deliveries SET attempts = attempts + 1,
		first_attempt_at = coalesce(first_attempt_at, ?), status = ?, next_at = ?, locked_until = NULL,
		last_code = ?, last_error = ?, done_at = ? WHERE id = ?`,
		at, o.Status, next, a.StatusCode, a.Error, done, a.DeliveryID)
	if err != nil {
		return fmt.Errorf("record webhook attempt on %d: %w", a.DeliveryID, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// The endpoint was deleted while the request ran: nothing to log.
		return nil
	}
	if _, err := Exec(ctx, c.d, tx, "INSERT INTO webhook_attempts (delivery_id, at, status_code, error, duration_us) VALUES (?, ?, ?, ?, ?)",
		a.DeliveryID, at, a.StatusCode, a.Error, a.Duration.Microseconds()); err != nil {
		return fmt.Errorf("record webhook attempt on %d: %w", a.DeliveryID, c.d.MapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record webhook attempt on %d: %w", a.DeliveryID, err)
	}
	return nil
}

// PruneWebhookDeliveries deletes settled deliveries (and their attempts)
// done before the time.
func (c *Core) PruneWebhookDeliveries(ctx context.Context, before time.Time) (int, error) {
	res, err := Exec(ctx, c.d, c.db, "DELETE FROM webhook_deliveries WHERE status <> 'pending' AND done_at < ?", Micro(before))
	if err != nil {
		return 0, fmt.Errorf("prune webhook deliveries: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ClaimWebhookDeliveries leases due deliveries. The lease is taken by an
// UPDATE … WHERE that only matches unleased rows, inside a write
// transaction, so two senders never hold the same delivery
// (Dialect.ClaimDeliveries).
func (c *Core) ClaimWebhookDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.WebhookDelivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("claim webhook deliveries: %w", err)
	}
	defer tx.Rollback()
	at := Micro(now)
	// One delivery per endpoint at a time, its oldest due one: a partner
	// gets events in order (unless a retry is waiting) and is never sent
	// several requests at once. Hub pings (no endpoint) need no order.
	rows, err := Query(ctx, c.d, tx, c.d.ClaimDeliveries(), Micro(now.Add(lease)), at, limit)
	if err != nil {
		return nil, fmt.Errorf("claim webhook deliveries: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("claim webhook deliveries: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim webhook deliveries: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err = Query(ctx, c.d, tx, `SELECT `+DeliveryCols+`, coalesce(e.url, ''), coalesce(e.secret, '')
		FROM webhook_deliveries d LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
		WHERE d.id IN (`+Placeholders(len(ids))+`) ORDER BY d.next_at, d.id`, Int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("claim webhook deliveries: %w", err)
	}
	out, err := ScanDeliveries(rows, true)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("claim webhook deliveries: %w", err)
	}
	return out, nil
}
