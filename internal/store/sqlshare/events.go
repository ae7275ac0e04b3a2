package sqlshare

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dateline/internal/store"
	"dateline/internal/story"
)

// RecordEvent writes the event a status change from old to st.Status
// makes, if any, inside the caller's transaction.
func RecordEvent(ctx context.Context, d Dialect, tx *sql.Tx, old story.Status, st *story.Story, at int64) error {
	kind := store.EventKind(old, st.Status)
	if kind == "" {
		return nil
	}
	if _, err := Exec(ctx, d, tx, "INSERT INTO story_events (story_id, kind, version, at) VALUES (?, ?, ?, ?)",
		st.ID, kind, st.Version, at); err != nil {
		return fmt.Errorf("record %s event: %w", kind, d.MapErr(err))
	}
	return nil
}

// StoryStatus returns the stored status of a story inside tx, or "" when
// there is no such story.
func StoryStatus(ctx context.Context, d Dialect, tx *sql.Tx, id int64) (story.Status, error) {
	var st string
	err := QueryRow(ctx, d, tx, "SELECT status FROM stories WHERE id = ?", id).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return story.Status(st), err
}

// StoryEvents returns up to limit events after the id, oldest first.
func (c *Core) StoryEvents(ctx context.Context, after int64, limit int) ([]store.StoryEvent, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := c.d.Read(ctx, "SELECT id, story_id, kind, version, at FROM story_events WHERE id > ? ORDER BY id LIMIT ?", after, limit)
	if err != nil {
		return nil, fmt.Errorf("story events: %w", err)
	}
	defer rows.Close()
	var out []store.StoryEvent
	for rows.Next() {
		var e store.StoryEvent
		var at int64
		if err := rows.Scan(&e.ID, &e.StoryID, &e.Kind, &e.Version, &at); err != nil {
			return nil, fmt.Errorf("story events: %w", err)
		}
		e.At = FromMicro(sql.NullInt64{Int64: at, Valid: true})
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("story events: %w", err)
	}
	return out, nil
}

// LastStoryEvent returns the id of the newest event, or 0.
func (c *Core) LastStoryEvent(ctx context.Context) (int64, error) {
	var id int64
	if err := c.d.ReadRow(ctx, "SELECT coalesce(max(id), 0) FROM story_events").Scan(&id); err != nil {
		return 0, fmt.Errorf("last story event: %w", err)
	}
	return id, nil
}
