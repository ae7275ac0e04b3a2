package postgres

// ClaimDeliveries takes each endpoint's oldest due delivery; they are
// locked as they are taken, skipping any another instance holds
// (FOR UPDATE SKIP LOCKED), so two dispatchers claiming at the same
// moment share the work and never send a delivery twice. The status
// and lease are checked again on the rows as locked, in case another
// dispatcher claimed one after this statement's snapshot.
func (dialect) ClaimDeliveries() string {
	return `UPDATE webhook_deliveries SET locked_until = ?1
		WHERE id IN (SELECT c.id FROM webhook_deliveries c
			WHERE c.id IN (SELECT min(d.id) FROM webhook_deliveries d LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
				WHERE d.status = 'pending' AND d.next_at <= ?2 AND (d.locked_until IS NULL OR d.locked_until <= ?2)
				AND (d.endpoint_id IS NULL OR (e.enabled = 1 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x
					WHERE x.endpoint_id = d.endpoint_id AND x.status = 'pending' AND x.locked_until > ?2)))
				GROUP BY coalesce(d.endpoint_id, -d.id))
			AND c.status = 'pending' AND (c.locked_until IS NULL OR c.locked_until <= ?2)
			ORDER BY c.id LIMIT ?3
			FOR UPDATE SKIP LOCKED)
		RETURNING id`
}
