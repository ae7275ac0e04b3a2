package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
)

// The webhook queue is shared (sqlshare) but for how a claim takes its
// deliveries.

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
	rows, err = query(ctx, tx, `SELECT `+sqlshare.DeliveryCols+`, coalesce(e.url, ''), coalesce(e.secret, '')
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

func scanDeliveries(rows *sql.Rows, withTarget bool) ([]store.WebhookDelivery, error) {
	return sqlshare.ScanDeliveries(rows, withTarget)
}
