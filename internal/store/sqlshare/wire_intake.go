package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"dateline/internal/store"
)

// WireIntakes lists every source's intake settings.
func (c *Core) WireIntakes(ctx context.Context) ([]store.WireIntake, error) {
	rows, err := c.d.Read(ctx, `SELECT source_id, folder, feed_url, poll_seconds, publish, etag, last_modified,
		polled_at, last_error FROM wire_intake ORDER BY source_id`)
	if err != nil {
		return nil, fmt.Errorf("wire intakes: %w", c.d.MapErr(err))
	}
	defer rows.Close()
	var out []store.WireIntake
	for rows.Next() {
		var in store.WireIntake
		var secs int64
		var polled sql.NullInt64
		if err := rows.Scan(&in.SourceID, &in.Folder, &in.FeedURL, &secs, &in.Publish, &in.ETag, &in.LastModified,
			&polled, &in.LastError); err != nil {
			return nil, fmt.Errorf("wire intakes: %w", err)
		}
		in.PollInterval, in.PolledAt = time.Duration(secs)*time.Second, FromMicro(polled)
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("wire intakes: %w", err)
	}
	return out, nil
}

// SetWireIntake stores a source's intake settings. A changed feed URL
// forgets the old feed's validators, so the new one is read in full.
func (c *Core) SetWireIntake(ctx context.Context, in store.WireIntake) error {
	_, err := Exec(ctx, c.d, c.db, `INSERT INTO wire_intake (source_id, folder, feed_url, poll_seconds, publish)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (source_id) DO UPDATE SET folder = excluded.folder, feed_url = excluded.feed_url,
		poll_seconds = excluded.poll_seconds, publish = excluded.publish,
		etag = CASE WHEN wire_intake.feed_url = excluded.feed_url THEN wire_intake.etag ELSE '' END,
		last_modified = CASE WHEN wire_intake.feed_url = excluded.feed_url THEN wire_intake.last_modified ELSE '' END`,
		in.SourceID, in.Folder, in.FeedURL, int64(in.PollInterval/time.Second), in.Publish)
	if err != nil {
		// A missing source fails the foreign key, mapped to ErrInvalid.
		return fmt.Errorf("set intake of source %d: %w", in.SourceID, c.d.MapErr(err))
	}
	return nil
}

// SetWireFeedState records the outcome of a feed poll.
func (c *Core) SetWireFeedState(ctx context.Context, sourceID int64, etag, lastModified, lastError string, at time.Time) error {
	_, err := Exec(ctx, c.d, c.db, `UPDATE wire_intake SET etag = ?, last_modified = ?, last_error = ?, polled_at = ?
		WHERE source_id = ?`, etag, lastModified, lastError, Micro(at), sourceID)
	if err != nil {
		return fmt.Errorf("set feed state of source %d: %w", sourceID, c.d.MapErr(err))
	}
	return nil
}

// LeaseWireIntake takes the source's lease with one conditional UPDATE:
// of two instances racing for it, the database lets exactly one change
// the row. The holder may renew its own lease early.
func (c *Core) LeaseWireIntake(ctx context.Context, sourceID int64, holder string, now, until time.Time) (bool, error) {
	res, err := Exec(ctx, c.d, c.db, `UPDATE wire_intake SET lease_holder = ?, lease_until = ?
		WHERE source_id = ? AND (lease_until < ? OR lease_holder = ?)`, holder, Micro(until), sourceID, Micro(now), holder)
	if err != nil {
		return false, fmt.Errorf("lease intake of source %d: %w", sourceID, c.d.MapErr(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("lease intake of source %d: %w", sourceID, err)
	}
	return n == 1, nil
}
