package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
)

// newUID is the SQL for a delivery's idempotency id: 32 random hex digits.
const newUID = "lower(hex(randomblob(16)))"

// WebhookPosition returns the id of the last story event fanned out.
func (s *Store) WebhookPosition(ctx context.Context) (int64, error) {
	var id int64
	if err := queryRow(ctx, s.db, "SELECT last_event_id FROM webhook_dispatch WHERE id = 1").Scan(&id); err != nil {
		return 0, fmt.Errorf("webhook position: %w", mapErr(err))
	}
	return id, nil
}

// QueueWebhookEvents advances the position and queues the deliveries of
// events in one transaction: a crash leaves either both or neither, so no
// event is lost or sent twice, and the compare-and-set on the position
// keeps two dispatchers from fanning out the same events.
func (s *Store) QueueWebhookEvents(ctx context.Context, from, to int64, events []store.WebhookEvent, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("queue webhook events: %w", err)
	}
	defer tx.Rollback()
	res, err := exec(ctx, tx, "UPDATE webhook_dispatch SET last_event_id = ? WHERE id = 1 AND last_event_id = ?", to, from)
	if err != nil {
		return fmt.Errorf("queue webhook events: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("queue webhook events after %d: %w: the position moved", from, store.ErrConflict)
	}
	at := micro(now)
	for _, ev := range events {
		if ev.Body == nil {
			continue // stepped over: nobody was listening when it was read
		}
		if _, err := exec(ctx, tx, `INSERT INTO webhook_deliveries (uid, endpoint_id, event_id, kind, story_id, body, created_at, next_at)
			SELECT `+newUID+`, e.id, ?, ?, ?, ?, ?, ? FROM webhook_endpoints e
			JOIN webhook_endpoint_events k ON k.endpoint_id = e.id AND k.kind = ?
			WHERE e.enabled = 1`, ev.EventID, ev.Kind, ev.StoryID, string(ev.Body), at, at, ev.Kind); err != nil {
			return fmt.Errorf("queue webhook event %d: %w", ev.EventID, mapErr(err))
		}
		if ev.HubBody == nil {
			continue
		}
		if _, err := exec(ctx, tx, `INSERT INTO webhook_deliveries (uid, endpoint_id, event_id, kind, story_id, body, created_at, next_at)
			VALUES (`+newUID+`, NULL, ?, ?, ?, ?, ?, ?)`, ev.EventID, ev.Kind, ev.StoryID, string(ev.HubBody), at, at); err != nil {
			return fmt.Errorf("queue hub ping for event %d: %w", ev.EventID, mapErr(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("queue webhook events: %w", err)
	}
	return nil
}

// QueueWebhookTest queues a test delivery to one endpoint.
func (s *Store) QueueWebhookTest(ctx context.Context, endpointID int64, body []byte, now time.Time) (store.WebhookDelivery, error) {
	at := micro(now)
	res, err := exec(ctx, s.db, `INSERT INTO webhook_deliveries (uid, endpoint_id, kind, body, created_at, next_at)
		SELECT `+newUID+`, id, 'test', ?, ?, ? FROM webhook_endpoints WHERE id = ?`, string(body), at, at, endpointID)
	if err != nil {
		return store.WebhookDelivery{}, fmt.Errorf("queue webhook test for %d: %w", endpointID, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.WebhookDelivery{}, fmt.Errorf("queue webhook test for %d: %w", endpointID, store.ErrNotFound)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return store.WebhookDelivery{}, fmt.Errorf("queue webhook test for %d: %w", endpointID, err)
	}
	rows, err := query(ctx, s.db, `SELECT `+deliveryCols+` FROM webhook_deliveries d WHERE d.id = ?`, id)
	if err != nil {
		return store.WebhookDelivery{}, fmt.Errorf("queue webhook test for %d: %w", endpointID, err)
	}
	list, err := scanDeliveries(rows, false)
	if err != nil {
		return store.WebhookDelivery{}, err
	}
	if len(list) == 0 {
		return store.WebhookDelivery{}, fmt.Errorf("queue webhook test for %d: %w", endpointID, store.ErrNotFound)
	}
	return list[0], nil
}

// ClaimWebhookDeliveries leases due deliveries. The lease is taken by an
// UPDATE … WHERE that only matches unleased rows, inside a write
// transaction, so two senders never hold the same delivery.
func (s *Store) ClaimWebhookDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.WebhookDelivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("claim webhook deliveries: %w", err)
	}
	defer tx.Rollback()
	at := micro(now)
	// One delivery per endpoint at a time, its oldest due one: a partner
	// gets events in order (unless a retry is waiting) and is never sent
	// several requests at once. Hub pings (no endpoint) need no order.
	rows, err := query(ctx, tx, `UPDATE webhook_deliveries SET locked_until = ?
		WHERE id IN (SELECT min(d.id) FROM webhook_deliveries d LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
			WHERE d.status = 'pending' AND d.next_at <= ? AND (d.locked_until IS NULL OR d.locked_until <= ?)
			AND (d.endpoint_id IS NULL OR (e.enabled = 1 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x
				WHERE x.endpoint_id = d.endpoint_id AND x.status = 'pending' AND x.locked_until > ?)))
			GROUP BY coalesce(d.endpoint_id, -d.id)
			ORDER BY min(d.id) LIMIT ?)
		RETURNING id`, micro(now.Add(lease)), at, at, at, limit)
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
	rows, err = query(ctx, tx, `SELECT `+deliveryCols+`, coalesce(e.url, ''), coalesce(e.secret, '')
		FROM webhook_deliveries d LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
		WHERE d.id IN (`+placeholders(len(ids))+`) ORDER BY d.next_at, d.id`, int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("claim webhook deliveries: %w", err)
	}
	out, err := scanDeliveries(rows, true)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("claim webhook deliveries: %w", err)
	}
	return out, nil
}

// RecordWebhookAttempt logs an attempt and settles its delivery.
func (s *Store) RecordWebhookAttempt(ctx context.Context, a store.WebhookAttempt, o store.WebhookOutcome) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record webhook attempt: %w", err)
	}
	defer tx.Rollback()
	at := micro(a.At)
	var done sql.NullInt64
	if o.Status != store.DeliveryPending {
		done = sql.NullInt64{Int64: at, Valid: true}
	}
	next := at
	if o.Status == store.DeliveryPending {
		next = micro(o.NextAt)
	}
	res, err := exec(ctx, tx, `UPDATE webhook_deliveries SET attempts = attempts + 1,
		first_attempt_at = coalesce(first_attempt_at, ?), status = ?, next_at = ?, locked_until = NULL,
		last_code = ?, last_error = ?, done_at = ? WHERE id = ?`,
		at, o.Status, next, a.StatusCode, a.Error, done, a.DeliveryID)
	if err != nil {
		return fmt.Errorf("record webhook attempt on %d: %w", a.DeliveryID, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// The endpoint was deleted while the request ran: nothing to log.
		return nil
	}
	if _, err := exec(ctx, tx, "INSERT INTO webhook_attempts (delivery_id, at, status_code, error, duration_us) VALUES (?, ?, ?, ?, ?)",
		a.DeliveryID, at, a.StatusCode, a.Error, a.Duration.Microseconds()); err != nil {
		return fmt.Errorf("record webhook attempt on %d: %w", a.DeliveryID, mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record webhook attempt on %d: %w", a.DeliveryID, err)
	}
	return nil
}

// PruneWebhookDeliveries deletes settled deliveries (and their attempts)
// done before the time.
func (s *Store) PruneWebhookDeliveries(ctx context.Context, before time.Time) (int, error) {
	res, err := exec(ctx, s.db, "DELETE FROM webhook_deliveries WHERE status <> 'pending' AND done_at < ?", micro(before))
	if err != nil {
		return 0, fmt.Errorf("prune webhook deliveries: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

const deliveryCols = sqlshare.DeliveryCols

func scanDeliveries(rows *sql.Rows, withTarget bool) ([]store.WebhookDelivery, error) {
	return sqlshare.ScanDeliveries(rows, withTarget)
}
