package sqlshare

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dateline/internal/store"
)

// UserCols selects a user for ScanUser.
const UserCols = `u.id, u.email, u.name, u.role, u.password_hash, coalesce(u.author_id, 0), u.disabled, u.created_at, u.password_changed_at`

// ScanUser reads UserCols and any extra columns after them.
func ScanUser(sc Scanner, extra ...any) (store.User, error) {
	var u store.User
	var created, changed int64
	dest := []any{&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.AuthorID, &u.Disabled, &created, &changed}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return u, err
	}
	u.CreatedAt, u.PasswordChangedAt = time.UnixMicro(created).UTC(), time.UnixMicro(changed).UTC()
	return u, nil
}

// CreateUser inserts u; store.ErrConflict when the email is taken.
func (c *Core) CreateUser(ctx context.Context, u store.User) (int64, error) {
	if !u.Role.Valid() || strings.TrimSpace(u.Email) == "" || u.PasswordHash == "" {
		return 0, fmt.Errorf("create user %q: %w: needs an email, a role and a password", u.Email, store.ErrInvalid)
	}
	now := c.now()
	id, err := InsertID(ctx, c.d, c.db, `INSERT INTO users (email, name, role, password_hash, author_id, disabled, created_at, password_changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, strings.TrimSpace(u.Email), u.Name, string(u.Role), u.PasswordHash,
		NullID(u.AuthorID), B2I(u.Disabled), Micro(now), Micro(now))
	if err != nil {
		return 0, fmt.Errorf("create user %q: %w", u.Email, c.d.MapErr(err))
	}
	return id, nil
}

// User returns store.ErrNotFound when there is no such user.
func (c *Core) User(ctx context.Context, id int64) (store.User, error) {
	u, err := ScanUser(c.d.ReadRow(ctx, "SELECT "+UserCols+" FROM users u WHERE u.id = ?", id))
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, c.d.MapErr(err))
	}
	return u, nil
}

// Users returns every account, by name.
func (c *Core) Users(ctx context.Context) ([]store.User, error) {
	rows, err := c.d.Read(ctx, "SELECT "+UserCols+" FROM users u ORDER BY u.name, u.id")
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var out []store.User
	for rows.Next() {
		u, err := ScanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateUser saves name, role, author and disabled.
func (c *Core) UpdateUser(ctx context.Context, u store.User) error {
	if !u.Role.Valid() {
		return fmt.Errorf("update user %d: %w: unknown role %q", u.ID, store.ErrInvalid, u.Role)
	}
	res, err := Exec(ctx, c.d, c.db, "UPDATE users SET name = ?, role = ?, author_id = ?, disabled = ? WHERE id = ?",
		u.Name, string(u.Role), NullID(u.AuthorID), B2I(u.Disabled), u.ID)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update user %d: %w", u.ID, store.ErrNotFound)
	}
	return nil
}

// SetPassword replaces a password hash and ends the user's sessions, in
// one transaction: a reset locks out whoever held the old password.
func (c *Core) SetPassword(ctx context.Context, userID int64, hash string, at time.Time) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set password %d: %w", userID, err)
	}
	defer tx.Rollback()
	res, err := Exec(ctx, c.d, tx, "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?", hash, Micro(at), userID)
	if err != nil {
		return fmt.Errorf("set password %d: %w", userID, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set password %d: %w", userID, store.ErrNotFound)
	}
	if _, err := Exec(ctx, c.d, tx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("set password %d: %w", userID, err)
	}
	return tx.Commit()
}

// CreateSession stores a new session.
func (c *Core) CreateSession(ctx context.Context, se store.Session) error {
	_, err := Exec(ctx, c.d, c.db, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?)`, se.ID, se.UserID, Micro(se.CreatedAt), Micro(se.LastSeenAt), se.IP, se.UserAgent)
	if err != nil {
		return fmt.Errorf("create session: %w", c.d.MapErr(err))
	}
	return nil
}

// Session returns the session and its user.
func (c *Core) Session(ctx context.Context, id string) (store.Session, store.User, error) {
	var se store.Session
	var created, seen int64
	u, err := ScanUser(c.d.ReadRow(ctx, "SELECT "+UserCols+`, se.id, se.user_id, se.created_at, se.last_seen_at, se.ip, se.user_agent
		FROM sessions se JOIN users u ON u.id = se.user_id WHERE se.id = ?`, id),
		&se.ID, &se.UserID, &created, &seen, &se.IP, &se.UserAgent)
	if err != nil {
		return se, u, fmt.Errorf("session: %w", c.d.MapErr(err))
	}
	se.CreatedAt, se.LastSeenAt = time.UnixMicro(created).UTC(), time.UnixMicro(seen).UTC()
	return se, u, nil
}

// TouchSession records activity.
func (c *Core) TouchSession(ctx context.Context, id string, at time.Time) error {
	if _, err := Exec(ctx, c.d, c.db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", Micro(at), id); err != nil {
		return fmt.Errorf("touch session: %w", c.d.MapErr(err))
	}
	return nil
}

// DeleteSession ends one session.
func (c *Core) DeleteSession(ctx context.Context, id string) error {
	if _, err := Exec(ctx, c.d, c.db, "DELETE FROM sessions WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete session: %w", c.d.MapErr(err))
	}
	return nil
}

// DeleteUserSessions ends every session of a user.
func (c *Core) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := Exec(ctx, c.d, c.db, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("delete sessions of %d: %w", userID, c.d.MapErr(err))
	}
	return nil
}

// AddLoginFailure records a failed login under each key.
func (c *Core) AddLoginFailure(ctx context.Context, at time.Time, keys ...string) error {
	for _, k := range keys {
		if _, err := Exec(ctx, c.d, c.db, "INSERT INTO login_failures (key, at) VALUES (?, ?)", k, Micro(at)); err != nil {
			return fmt.Errorf("login failure: %w", c.d.MapErr(err))
		}
	}
	// Old failures matter to no limit; keep the table small.
	_, err := Exec(ctx, c.d, c.db, "DELETE FROM login_failures WHERE at < ?", Micro(at.Add(-24*time.Hour)))
	return err
}

// LoginFailures counts failures under key since a time.
func (c *Core) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	if err := c.d.ReadRow(ctx, "SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?", key, Micro(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("login failures: %w", err)
	}
	return n, nil
}

// ClearLoginFailures forgets the failures under key.
func (c *Core) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := Exec(ctx, c.d, c.db, "DELETE FROM login_failures WHERE key = ?", key)
	return err
}

// Audit appends to the audit log.
func (c *Core) Audit(ctx context.Context, e store.AuditEntry) error {
	if e.At.IsZero() {
		e.At = c.now()
	}
	_, err := Exec(ctx, c.d, c.db, `INSERT INTO audit_log (at, user_id, actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		Micro(e.At), NullID(e.UserID), e.Actor, e.Action, e.Target, e.Detail, e.IP)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, c.d.MapErr(err))
	}
	return nil
}

// AuditLog returns entries newest first.
func (c *Core) AuditLog(ctx context.Context, beforeID int64, limit int) ([]store.AuditEntry, error) {
	if beforeID <= 0 {
		beforeID = 1<<62 - 1
	}
	rows, err := c.d.Read(ctx, `SELECT id, at, coalesce(user_id, 0), actor, action, target, detail, ip FROM audit_log
		WHERE id < ? ORDER BY id DESC LIMIT ?`, beforeID, ClampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.IP); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		e.At = time.UnixMicro(at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
