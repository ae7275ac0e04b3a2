package sqlite

// ClaimDeliveries takes each endpoint's oldest due delivery: the write
// transaction holds SQLite's single write lock, so no other claim runs
// between its read and its update.
func (dialect) ClaimDeliveries() string {
	return `UPDATE webhook_deliveries SET locked_until = ?1
		WHERE id IN (SELECT min(d.id) FROM webhook_deliveries d LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
			WHERE d.status = 'pending' AND d.next_at <= ?2 AND (d.locked_until IS NULL OR d.locked_until <= ?2)
			AND (d.endpoint_id IS NULL OR (e.enabled = 1 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x
				WHERE x.endpoint_id = d.endpoint_id AND x.status = 'pending' AND x.locked_until > ?2)))
			GROUP BY coalesce(d.endpoint_id, -d.id)
			ORDER BY min(d.id) LIMIT ?3)
		RETURNING id`
}
