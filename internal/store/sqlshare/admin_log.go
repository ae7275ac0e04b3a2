package sqlshare

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dateline/internal/store"
)

// InboxMessages lists reader messages matching q, newest first. Ids grow
// with time, so the id is both the order and the keyset cursor.
func (c *Core) InboxMessages(ctx context.Context, q store.MessageQuery) ([]store.Message, error) {
	var b strings.Builder
	var args []any
	b.WriteString(`SELECT id, kind, name, email, subject, body, page, created_at, handled_at FROM messages WHERE 1 = 1`)
	if q.Unhandled {
		b.WriteString(" AND handled_at IS NULL")
	}
	if q.Kind != "" {
		b.WriteString(" AND kind = ?")
		args = append(args, q.Kind)
	}
	if q.BeforeID > 0 {
		b.WriteString(" AND id < ?")
		args = append(args, q.BeforeID)
	}
	b.WriteString(" ORDER BY id DESC LIMIT ?")
	args = append(args, ClampLimit(q.Limit))
	rows, err := c.d.Read(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	out, err := ScanMessages(rows)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	return out, nil
}

// AuditEntries lists audit log entries matching q, newest first.
func (c *Core) AuditEntries(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error) {
	var b strings.Builder
	var args []any
	b.WriteString(`SELECT id, at, coalesce(user_id, 0), actor, action, target, detail, ip FROM audit_log WHERE 1 = 1`)
	if q.Action != "" {
		b.WriteString(" AND action = ?")
		args = append(args, q.Action)
	}
	if q.BeforeID > 0 {
		b.WriteString(" AND id < ?")
		args = append(args, q.BeforeID)
	}
	b.WriteString(" ORDER BY id DESC LIMIT ?")
	args = append(args, ClampLimit(q.Limit))
	rows, err := c.d.Read(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("audit entries: %w", err)
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.IP); err != nil {
			return nil, fmt.Errorf("audit entries: %w", err)
		}
		e.At = time.UnixMicro(at).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit entries: %w", err)
	}
	return out, nil
}

// AuditActions returns the distinct actions in the audit log, sorted. The
// (action, id) index makes this a skip through the index, not a scan.
func (c *Core) AuditActions(ctx context.Context) ([]string, error) {
	rows, err := c.d.Read(ctx, "SELECT DISTINCT action FROM audit_log ORDER BY action")
	if err != nil {
		return nil, fmt.Errorf("audit actions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("audit actions: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit actions: %w", err)
	}
	return out, nil
}
