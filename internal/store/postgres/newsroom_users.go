package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"dateline/internal/store"
)

const userCols = `u.id, u.email, u.name, u.role, u.password_hash, coalesce(u.author_id, 0), u.disabled, u.created_at, u.password_changed_at`

func scanUser(sc scanner, extra ...any) (store.User, error) {
	var u store.User
	var created, changed int64
	dest := []any{&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.AuthorID, &u.Disabled, &created, &changed}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return u, err
	}
	u.CreatedAt, u.PasswordChangedAt = time.UnixMicro(created).UTC(), time.UnixMicro(changed).UTC()
	return u, nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id > 0} }

// CreateUser inserts u; store.ErrConflict when the email is taken.
func (s *Store) CreateUser(ctx context.Context, u store.User) (int64, error) {
	if !u.Role.Valid() || strings.TrimSpace(u.Email) == "" || u.PasswordHash == "" {
		return 0, fmt.Errorf("create user %q: %w: needs an email, a role and a password", u.Email, store.ErrInvalid)
	}
	now := s.now()
	id, err := insertID(ctx, s.db, `INSERT INTO users (email, name, role, password_hash, author_id, disabled, created_at, password_changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, strings.TrimSpace(u.Email), u.Name, string(u.Role), u.PasswordHash,
		nullID(u.AuthorID), b2i(u.Disabled), micro(now), micro(now))
	if err != nil {
		return 0, fmt.Errorf("create user %q: %w", u.Email, mapErr(err))
	}
	return id, nil
}

// User returns store.ErrNotFound when there is no such user.
func (s *Store) User(ctx context.Context, id int64) (store.User, error) {
	u, err := scanUser(s.readRow(ctx, "SELECT "+userCols+" FROM users u WHERE u.id = ?", id))
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, mapErr(err))
	}
	return u, nil
}

// UserByEmail matches without regard to case.
func (s *Store) UserByEmail(ctx context.Context, email string) (store.User, error) {
	u, err := scanUser(s.readRow(ctx, "SELECT "+userCols+" FROM users u WHERE lower(u.email) = lower(?)", strings.TrimSpace(email)))
	if err != nil {
		return u, fmt.Errorf("user %q: %w", email, mapErr(err))
	}
	return u, nil
}

// Users returns every account, by name.
func (s *Store) Users(ctx context.Context) ([]store.User, error) {
	rows, err := s.read(ctx, "SELECT "+userCols+" FROM users u ORDER BY u.name, u.id")
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var out []store.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateUser saves name, role, author and disabled.
func (s *Store) UpdateUser(ctx context.Context, u store.User) error {
	if !u.Role.Valid() {
		return fmt.Errorf("update user %d: %w: unknown role %q", u.ID, store.ErrInvalid, u.Role)
	}
	res, err := exec(ctx, s.db, "UPDATE users SET name = ?, role = ?, author_id = ?, disabled = ? WHERE id = ?",
		u.Name, string(u.Role), nullID(u.AuthorID), b2i(u.Disabled), u.ID)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update user %d: %w", u.ID, store.ErrNotFound)
	}
	return nil
}

// SetPassword replaces a password hash and ends the user's sessions, in
// one transaction: a reset locks out whoever held the old password.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string, at time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set password %d: %w", userID, err)
	}
	defer tx.Rollback()
	res, err := exec(ctx, tx, "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?", hash, micro(at), userID)
	if err != nil {
		return fmt.Errorf("set password %d: %w", userID, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set password %d: %w", userID, store.ErrNotFound)
	}
	if _, err := exec(ctx, tx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("set password %d: %w", userID, err)
	}
	return tx.Commit()
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, se store.Session) error {
	_, err := exec(ctx, s.db, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?)`, se.ID, se.UserID, micro(se.CreatedAt), micro(se.LastSeenAt), se.IP, se.UserAgent)
	if err != nil {
		return fmt.Errorf("create session: %w", mapErr(err))
	}
	return nil
}

// Session returns the session and its user.
func (s *Store) Session(ctx context.Context, id string) (store.Session, store.User, error) {
	var se store.Session
	var created, seen int64
	u, err := scanUser(s.readRow(ctx, "SELECT "+userCols+`, se.id, se.user_id, se.created_at, se.last_seen_at, se.ip, se.user_agent
		FROM sessions se JOIN users u ON u.id = se.user_id WHERE se.id = ?`, id),
		&se.ID, &se.UserID, &created, &seen, &se.IP, &se.UserAgent)
	if err != nil {
		return se, u, fmt.Errorf("session: %w", mapErr(err))
	}
	se.CreatedAt, se.LastSeenAt = time.UnixMicro(created).UTC(), time.UnixMicro(seen).UTC()
	return se, u, nil
}

// TouchSession records activity.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	if _, err := exec(ctx, s.db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", micro(at), id); err != nil {
		return fmt.Errorf("touch session: %w", mapErr(err))
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := exec(ctx, s.db, "DELETE FROM sessions WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete session: %w", mapErr(err))
	}
	return nil
}

// DeleteUserSessions ends every session of a user.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := exec(ctx, s.db, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("delete sessions of %d: %w", userID, mapErr(err))
	}
	return nil
}

// AddLoginFailure records a failed login under each key.
func (s *Store) AddLoginFailure(ctx context.Context, at time.Time, keys ...string) error {
	for _, k := range keys {
		if _, err := exec(ctx, s.db, "INSERT INTO login_failures (key, at) VALUES (?, ?)", k, micro(at)); err != nil {
			return fmt.Errorf("login failure: %w", mapErr(err))
		}
	}
	// Old failures matter to no limit; keep the table small.
	_, err := exec(ctx, s.db, "DELETE FROM login_failures WHERE at < ?", micro(at.Add(-24*time.Hour)))
	return err
}

// LoginFailures counts failures under key since a time.
func (s *Store) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	if err := s.readRow(ctx, "SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?", key, micro(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("login failures: %w", err)
	}
	return n, nil
}

// ClearLoginFailures forgets the failures under key.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := exec(ctx, s.db, "DELETE FROM login_failures WHERE key = ?", key)
	return err
}

// Audit appends to the audit log.
func (s *Store) Audit(ctx context.Context, e store.AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	_, err := exec(ctx, s.db, `INSERT INTO audit_log (at, user_id, actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		micro(e.At), nullID(e.UserID), e.Actor, e.Action, e.Target, e.Detail, e.IP)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, mapErr(err))
	}
	return nil
}

// AuditLog returns entries newest first.
func (s *Store) AuditLog(ctx context.Context, beforeID int64, limit int) ([]store.AuditEntry, error) {
	if beforeID <= 0 {
		beforeID = 1<<62 - 1
	}
	rows, err := s.read(ctx, `SELECT id, at, coalesce(user_id, 0), actor, action, target, detail, ip FROM audit_log
		WHERE id < ? ORDER BY id DESC LIMIT ?`, beforeID, clampLimit(limit))
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
