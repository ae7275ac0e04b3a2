package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dateline/internal/store"
	"dateline/internal/story"
)

// The wire desk's reads are shared (sqlshare); taking an item writes a
// story, which stays with the store's own story writing (wire.go).

// TakeWireItem makes a story of a queued item with the same code that
// ApplyWire uses for a published item (writeWireStory), so a used item is
// linked to its agency GUID and later versions update or are offered to
// its story exactly as for an item published on arrival.
func (s *Store) TakeWireItem(ctx context.Context, t store.WireTake) (int64, error) {
	if t.Story == nil {
		return 0, fmt.Errorf("take wire item %d: %w: no story", t.ItemID, store.ErrInvalid)
	}
	if t.Now.IsZero() {
		t.Now = s.now()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, err)
	}
	defer tx.Rollback()
	it, err := scanWireItem(queryRow(ctx, tx, "SELECT "+wireCols+" FROM wire_items WHERE id = ?", t.ItemID))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, store.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, mapErr(err))
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
	id, err := s.writeWireStory(ctx, tx, store.WireCurrent{}, a, plan)
	if err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, mapErr(err))
	}
	if _, err := exec(ctx, tx, "UPDATE stories SET owner_id = ? WHERE id = ?", nullID(t.OwnerID), id); err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, mapErr(err))
	}
	if _, err := exec(ctx, tx, "UPDATE wire_items SET state = ?, story_id = ? WHERE id = ?", plan.State, id, t.ItemID); err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("take wire item %d: %w", t.ItemID, mapErr(err))
	}
	return id, nil
}
