package sqlshare

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dateline/internal/store"
)

// SetWirePushToken replaces a source's push token hash and publish flag.
func (c *Core) SetWirePushToken(ctx context.Context, sourceID int64, hash string, publish bool) error {
	if hash == "" {
		return fmt.Errorf("set push token of source %d: %w: empty token", sourceID, store.ErrInvalid)
	}
	_, err := Exec(ctx, c.d, c.db, `INSERT INTO wire_push_tokens (source_id, token_hash, publish, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (source_id) DO UPDATE SET token_hash = excluded.token_hash, publish = excluded.publish,
		created_at = excluded.created_at`, sourceID, hash, B2I(publish), Micro(c.now()))
	if err != nil {
		return fmt.Errorf("set push token of source %d: %w", sourceID, c.d.MapErr(err))
	}
	return nil
}

// WirePushToken returns a source's push token hash and publish flag.
func (c *Core) WirePushToken(ctx context.Context, sourceID int64) (string, bool, error) {
	var hash string
	var publish bool
	err := c.d.ReadRow(ctx, "SELECT token_hash, publish FROM wire_push_tokens WHERE source_id = ?", sourceID).Scan(&hash, &publish)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, fmt.Errorf("push token of source %d: %w", sourceID, store.ErrNotFound)
	}
	if err != nil {
		return "", false, fmt.Errorf("push token of source %d: %w", sourceID, c.d.MapErr(err))
	}
	return hash, publish, nil
}
