package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"dateline/internal/store"
)

// CreateAPIKey stores a key and returns its id.
func (c *Core) CreateAPIKey(ctx context.Context, k store.APIKey) (int64, error) {
	if strings.TrimSpace(k.Name) == "" || k.Hash == "" {
		return 0, fmt.Errorf("create api key: %w: name and hash are required", store.ErrInvalid)
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = c.now()
	}
	var by sql.NullInt64
	if k.CreatedBy > 0 {
		by = sql.NullInt64{Int64: k.CreatedBy, Valid: true}
	}
	id, err := InsertID(ctx, c.d, c.db, "INSERT INTO api_keys (name, hash, created_by, created_at) VALUES (?, ?, ?, ?)",
		k.Name, k.Hash, by, Micro(k.CreatedAt))
	if err != nil {
		return 0, fmt.Errorf("create api key %q: %w", k.Name, c.d.MapErr(err))
	}
	return id, nil
}

const apiKeyCols = `k.id, k.name, k.hash, coalesce(k.created_by, 0), coalesce(u.name, ''),
	k.created_at, k.last_used_at, k.revoked_at FROM api_keys k LEFT JOIN users u ON u.id = k.created_by`

func scanAPIKey(sc Scanner) (store.APIKey, error) {
	var k store.APIKey
	var created int64
	var used, revoked sql.NullInt64
	if err := sc.Scan(&k.ID, &k.Name, &k.Hash, &k.CreatedBy, &k.CreatedByName, &created, &used, &revoked); err != nil {
		return k, err
	}
	k.CreatedAt = FromMicro(sql.NullInt64{Int64: created, Valid: true})
	k.LastUsedAt, k.RevokedAt = FromMicro(used), FromMicro(revoked)
	return k, nil
}

// APIKeyByHash returns the key with that hash, revoked or not.
func (c *Core) APIKeyByHash(ctx context.Context, hash string) (store.APIKey, error) {
	k, err := scanAPIKey(c.d.ReadRow(ctx, "SELECT "+apiKeyCols+" WHERE k.hash = ?", hash))
	if err != nil {
		return k, fmt.Errorf("api key by hash: %w", c.d.MapErr(err))
	}
	return k, nil
}

// APIKeys returns every key, newest first.
func (c *Core) APIKeys(ctx context.Context) ([]store.APIKey, error) {
	rows, err := c.d.Read(ctx, "SELECT "+apiKeyCols+" ORDER BY k.id DESC")
	if err != nil {
		return nil, fmt.Errorf("api keys: %w", err)
	}
	defer rows.Close()
	var out []store.APIKey
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, fmt.Errorf("api keys: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("api keys: %w", err)
	}
	return out, nil
}

// RevokeAPIKey revokes a key; a second revocation keeps the first time.
func (c *Core) RevokeAPIKey(ctx context.Context, id int64, at time.Time) error {
	res, err := Exec(ctx, c.d, c.db, "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", Micro(at), id)
	if err != nil {
		return fmt.Errorf("revoke api key %d: %w", id, c.d.MapErr(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("revoke api key %d: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("revoke api key %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// TouchAPIKey records that a key was used at a time.
func (c *Core) TouchAPIKey(ctx context.Context, id int64, at time.Time) error {
	if _, err := Exec(ctx, c.d, c.db, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", Micro(at), id); err != nil {
		return fmt.Errorf("touch api key %d: %w", id, c.d.MapErr(err))
	}
	return nil
}
