package sqlshare

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"dateline/internal/store"
	"dateline/internal/story"
)

// WireCols are the wire_items columns ScanWireItem reads, in order.
const WireCols = `id, source_id, guid, version, pub_status, headline, coalesce(section_id, 0), urgency,
	language, embargo_at, version_created_at, received_at, state, coalesce(story_id, 0), note, fingerprint,
	coalesce(duplicate_of, 0), item_json`

// ScanWireItem reads WireCols.
func ScanWireItem(r Scanner) (store.WireItem, error) {
	var w store.WireItem
	var embargo, created sql.NullInt64
	var received int64
	var item string
	if err := r.Scan(&w.ID, &w.SourceID, &w.GUID, &w.Version, &w.PubStatus, &w.Headline, &w.SectionID, &w.Urgency,
		&w.Language, &embargo, &created, &received, &w.State, &w.StoryID, &w.Note, &w.Fingerprint, &w.DuplicateOf, &item); err != nil {
		return w, err
	}
	w.EmbargoAt, w.VersionCreatedAt = FromMicro(embargo), FromMicro(created)
	w.ReceivedAt, w.Item = FromMicro(sql.NullInt64{Int64: received, Valid: true}), []byte(item)
	return w, nil
}

// WireQueue lists the items on the desk newest first: queued ones and
// later versions offered to a story the newsroom has taken. The partial
// index wire_items_desk serves the order; the filters are few and narrow.
func (c *Core) WireQueue(ctx context.Context, q store.WireQueueQuery) ([]store.WireItem, error) {
	sqlText, args := WireQueueSQL(c.d, q)
	rows, err := c.d.Read(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("wire queue: %w", c.d.MapErr(err))
	}
	defer rows.Close()
	var out []store.WireItem
	for rows.Next() {
		w, err := ScanWireItem(rows)
		if err != nil {
			return nil, fmt.Errorf("wire queue: %w", err)
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("wire queue: %w", err)
	}
	return out, nil
}

// WireQueueSQL builds WireQueue's SQL in dialect d from the filters that
// are set. The desk's partial index holds only the items on the desk, so
// walking it in order and filtering beats SQLite's own choice for a
// source filter (every item the source ever sent, then a sort);
// PostgreSQL's planner finds wire_items_desk by itself.
func WireQueueSQL(d Dialect, q store.WireQueueQuery) (string, []any) {
	var b strings.Builder
	var args []any
	if q.SectionID != 0 {
		// A section may hold few of the desk's items: its own partial
		// index finds them in order without walking the others.
		b.WriteString("SELECT " + WireCols + " FROM wire_items" + d.IndexedBy("wire_items_desk_section") + " WHERE state IN ('queued', 'offered') AND section_id = ?")
		args = append(args, q.SectionID)
	} else {
		b.WriteString("SELECT " + WireCols + " FROM wire_items" + d.IndexedBy("wire_items_desk") + " WHERE state IN ('queued', 'offered')")
	}
	if q.SourceID != 0 {
		b.WriteString(" AND source_id = ?")
		args = append(args, q.SourceID)
	}
	if q.Urgency != 0 {
		b.WriteString(" AND urgency = ?")
		args = append(args, q.Urgency)
	}
	if q.Language != "" {
		b.WriteString(" AND lower(language) = lower(?)")
		args = append(args, q.Language)
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		// A substring match over lower(), without LIKE's wildcards to
		// escape.
		b.WriteString(" AND " + d.StrPos() + "(lower(headline), lower(?)) > 0")
		args = append(args, t)
	}
	if !q.After.IsZero() {
		b.WriteString(" AND (received_at < ? OR (received_at = ? AND id < ?))")
		args = append(args, Micro(q.After.At), Micro(q.After.At), q.After.ID)
	}
	b.WriteString(" ORDER BY received_at DESC, id DESC LIMIT ?")
	args = append(args, ClampLimit(q.Limit))
	return b.String(), args
}

// WireItem returns one received item version.
func (c *Core) WireItem(ctx context.Context, id int64) (store.WireItem, error) {
	w, err := ScanWireItem(c.d.ReadRow(ctx, "SELECT "+WireCols+" FROM wire_items WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return w, fmt.Errorf("wire item %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return w, fmt.Errorf("wire item %d: %w", id, c.d.MapErr(err))
	}
	return w, nil
}

// SpikeWireItem takes a queued or offered item off the queue.
func (c *Core) SpikeWireItem(ctx context.Context, id int64) error {
	res, err := Exec(ctx, c.d, c.db, "UPDATE wire_items SET state = 'spiked' WHERE id = ? AND state IN ('queued', 'offered')", id)
	if err != nil {
		return fmt.Errorf("spike wire item %d: %w", id, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	if _, err := c.WireItem(ctx, id); err != nil {
		return fmt.Errorf("spike: %w", err)
	}
	return fmt.Errorf("spike wire item %d: %w: it is no longer queued", id, store.ErrConflict)
}

// TakeWireItem makes a story of a queued item with the same code that
// ApplyWire uses for a published item (writeWireStory), so a used item is
// linked to its agency GUID and later versions update or are offered to
// its story exactly as for an item published on arrival.
func (c *Core) TakeWireItem(ctx context.Context, t store.WireTake) (int64, error) {
	if t.Story == nil {
		return 0, fmt.Errorf("take wire item %d: %w: no story", t.ItemID, store.ErrInvalid)
	}
	if t.Now.IsZero() {
		t.Now = c.now()
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, err)
	}
	defer tx.Rollback()
	it, err := ScanWireItem(QueryRow(ctx, c.d, tx, "SELECT "+WireCols+" FROM wire_items WHERE id = ?", t.ItemID))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, store.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, c.d.MapErr(err))
	}
	if it.State != "queued" {
		return 0, fmt.Errorf("take wire item %d: %w: it is %s", t.ItemID, store.ErrConflict, it.State)
	}
	plan := store.WirePlan{Write: true, Status: story.StatusDraft, State: "used"}
	if t.Publish {
		plan.Status, plan.State = story.StatusPublished, "published"
		if !it.EmbargoAt.IsZero() && it.EmbargoAt.After(t.Now) {
			plan.Status, plan.State, plan.ScheduledAt = story.StatusScheduled, "scheduled", it.EmbargoAt
		}
	}
	a := store.WireApply{Item: it, Story: t.Story, Publish: t.Publish, Now: t.Now}
	id, err := c.writeWireStory(ctx, tx, store.WireCurrent{}, a, plan)
	if err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, c.d.MapErr(err))
	}
	if _, err := Exec(ctx, c.d, tx, "UPDATE stories SET owner_id = ? WHERE id = ?", NullID(t.OwnerID), id); err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, c.d.MapErr(err))
	}
	if _, err := Exec(ctx, c.d, tx, "UPDATE wire_items SET state = ?, story_id = ? WHERE id = ?", plan.State, id, t.ItemID); err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, c.d.MapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, c.d.MapErr(err))
	}
	return id, nil
}
