package sqlshare

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"dateline/internal/store"
	"dateline/internal/story"
)

// ApplyWire records a received item version and applies the plan
// store.DecideWire makes for it, in one transaction.
func (c *Core) ApplyWire(ctx context.Context, a store.WireApply) (store.WireResult, error) {
	it := a.Item
	if it.SourceID == 0 || it.GUID == "" || it.Version < 1 || a.Story == nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w: needs a source, a guid, a version and a story", it.GUID, store.ErrInvalid)
	}
	if a.Now.IsZero() {
		a.Now = c.now()
	}
	if a.DeferRelated {
		ctx = DeferRelated(ctx)
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w", it.GUID, err)
	}
	defer tx.Rollback()
	// Versions of one item are applied one at a time, whichever instance
	// or command receives them, so what is read below cannot change
	// before the commit (Dialect.LockWireItem).
	if err := c.d.LockWireItem(ctx, tx, it.SourceID, it.GUID); err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: lock: %w", it.GUID, err)
	}
	cur, err := c.wireCurrent(ctx, tx, it.SourceID, it.GUID)
	if err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w", it.GUID, err)
	}
	plan := store.DecideWire(cur, a)
	res := store.WireResult{Outcome: plan.Outcome, Reason: plan.Reason, StoryID: cur.StoryID}
	if it.Version <= cur.Known {
		return res, nil // a repeat: nothing to record
	}
	if plan.Write {
		if res.StoryID, err = c.writeWireStory(ctx, tx, cur, a, plan); err != nil {
			return store.WireResult{}, fmt.Errorf("apply wire item %q v%d: %w", it.GUID, it.Version, err)
		}
	}
	// Older versions still waiting in the queue give way to this one.
	if _, err := c.d.TxExec(ctx, tx, "UPDATE wire_items SET state = 'superseded' WHERE source_id = ? AND guid = ? AND state = 'queued'",
		it.SourceID, it.GUID); err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w", it.GUID, c.d.MapErr(err))
	}
	dup, err := c.duplicateOf(ctx, tx, it)
	if err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w", it.GUID, err)
	}
	if _, err := c.d.TxExec(ctx, tx, `INSERT INTO wire_items (source_id, guid, version, pub_status, headline, section_id, urgency,
		language, embargo_at, version_created_at, received_at, state, story_id, note, fingerprint, duplicate_of, item_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.SourceID, it.GUID, it.Version, it.PubStatus, it.Headline, NullID(it.SectionID), it.Urgency, it.Language,
		NullMicro(it.EmbargoAt), NullMicro(it.VersionCreatedAt), Micro(a.Now), plan.State, NullID(res.StoryID),
		it.Note, it.Fingerprint, NullID(dup), string(it.Item)); err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q v%d: %w", it.GUID, it.Version, c.d.MapErr(err))
	}
	res.DuplicateOf = dup
	res.RelatedDeferred = a.DeferRelated && plan.Write && plan.Status == story.StatusPublished
	if err := tx.Commit(); err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w", it.GUID, c.d.MapErr(err))
	}
	return res, nil
}

// duplicateOf returns the earliest item of another source with the same
// fingerprint, or 0.
func (c *Core) duplicateOf(ctx context.Context, tx *sql.Tx, it store.WireItem) (int64, error) {
	if it.Fingerprint == "" {
		return 0, nil
	}
	var id int64
	err := c.d.TxQueryRow(ctx, tx, "SELECT id FROM wire_items WHERE fingerprint = ? AND source_id != ? ORDER BY id LIMIT 1",
		it.Fingerprint, it.SourceID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, c.d.MapErr(err)
}

// wireCurrent reads what is known of an item inside tx.
func (c *Core) wireCurrent(ctx context.Context, tx *sql.Tx, sourceID int64, guid string) (store.WireCurrent, error) {
	var cur store.WireCurrent
	if err := c.d.TxQueryRow(ctx, tx, "SELECT coalesce(max(version), 0) FROM wire_items WHERE source_id = ? AND guid = ?",
		sourceID, guid).Scan(&cur.Known); err != nil {
		return cur, c.d.MapErr(err)
	}
	var status string
	var wv int
	err := c.d.TxQueryRow(ctx, tx, "SELECT id, status, wire_version FROM stories WHERE source_id = ? AND wire_id = ?",
		sourceID, guid).Scan(&cur.StoryID, &status, &wv)
	if errors.Is(err, sql.ErrNoRows) {
		return cur, nil
	}
	if err != nil {
		return cur, c.d.MapErr(err)
	}
	cur.Status = story.Status(status)
	cur.Known = max(cur.Known, wv)
	return cur, nil
}

// writeWireStory creates or updates the item's story as plan says, with
// a "wire" revision, and returns its id.
func (c *Core) writeWireStory(ctx context.Context, tx *sql.Tx, cur store.WireCurrent, a store.WireApply, plan store.WirePlan) (int64, error) {
	var next *story.Story
	if cur.StoryID == 0 {
		st := *a.Story
		st.ID, st.Version, st.CreatedAt, st.ModifiedAt = 0, 0, a.Now, a.Now
		st.Notes = nil // a.Notes are for the story's readers of before
		if st.Type == "" {
			st.Type = story.TypeNews
		}
		next = &st
	} else {
		// Read on another connection: it sees the last commit; this
		// transaction has not changed the story yet, and another change
		// meanwhile fails the version check of updateStory.
		old, err := c.Story(ctx, cur.StoryID)
		if err != nil {
			return 0, err
		}
		next = old
		if plan.Status != story.StatusKilled && plan.Status != story.StatusWithheld {
			n := a.Story
			next.Headline, next.Standfirst, next.Body, next.BodySource = n.Headline, n.Standfirst, n.Body, n.BodySource
			next.Bylines, next.Tags, next.Language = n.Bylines, n.Tags, n.Language
			if n.Lead != nil {
				next.Lead = n.Lead
			}
			// An agency's correction goes on the page with the new copy.
			for _, note := range a.Notes {
				if note.At.IsZero() {
					note.At = a.Now
				}
				next.Notes = append(next.Notes, note)
			}
		}
	}
	next.Status, next.WireID, next.WireVersion = plan.Status, a.Item.GUID, a.Item.Version
	if plan.Status == story.StatusPublished {
		if next.FirstPublishedAt.IsZero() {
			next.FirstPublishedAt, next.PublishedAt = a.Now, a.Now
		}
		next.UpdatedAt = a.Now
	}
	var err error
	if cur.StoryID == 0 {
		next.ID, err = c.insertStory(ctx, tx, next)
	} else {
		err = c.updateStory(ctx, tx, next)
	}
	if err != nil {
		return 0, err
	}
	if _, err := c.d.TxExec(ctx, tx, "UPDATE stories SET scheduled_at = ? WHERE id = ?", NullMicro(plan.ScheduledAt), next.ID); err != nil {
		return 0, c.d.MapErr(err)
	}
	snap, err := json.Marshal(next)
	if err != nil {
		return 0, err
	}
	if _, err := c.d.TxExec(ctx, tx, `INSERT INTO story_revisions (story_id, number, user_id, created_at, kind, pending, snapshot)
		VALUES (?, (SELECT coalesce(max(number), 0) + 1 FROM story_revisions WHERE story_id = ?), NULL, ?, 'wire', 0, ?)`,
		next.ID, next.ID, Micro(a.Now), string(snap)); err != nil {
		return 0, fmt.Errorf("wire revision: %w", c.d.MapErr(err))
	}
	return next.ID, nil
}

// WireItems lists received item versions matching q, newest first.
func (c *Core) WireItems(ctx context.Context, q store.WireQuery) ([]store.WireItem, error) {
	// The WHERE clause is built from what is set, so that an item's
	// versions are found through the (source_id, guid, version) index.
	where, args := "1 = 1", []any{}
	if q.SourceID != 0 {
		where, args = where+" AND source_id = ?", append(args, q.SourceID)
	}
	if q.GUID != "" {
		where, args = where+" AND guid = ?", append(args, q.GUID)
	}
	rows, err := c.d.Read(ctx, `SELECT id, source_id, guid, version, pub_status, headline, coalesce(section_id, 0), urgency,
		language, embargo_at, version_created_at, received_at, state, coalesce(story_id, 0), note, fingerprint,
		coalesce(duplicate_of, 0), item_json
		FROM wire_items WHERE `+where+` ORDER BY received_at DESC, id DESC LIMIT ?`, append(args, ClampLimit(q.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("wire items: %w", err)
	}
	defer rows.Close()
	var out []store.WireItem
	for rows.Next() {
		var w store.WireItem
		var embargo, created sql.NullInt64
		var received int64
		var item string
		if err := rows.Scan(&w.ID, &w.SourceID, &w.GUID, &w.Version, &w.PubStatus, &w.Headline, &w.SectionID, &w.Urgency,
			&w.Language, &embargo, &created, &received, &w.State, &w.StoryID, &w.Note, &w.Fingerprint, &w.DuplicateOf, &item); err != nil {
			return nil, fmt.Errorf("wire items: %w", err)
		}
		w.EmbargoAt, w.VersionCreatedAt = FromMicro(embargo), FromMicro(created)
		w.ReceivedAt, w.Item = FromMicro(sql.NullInt64{Int64: received, Valid: true}), []byte(item)
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("wire items: %w", err)
	}
	return out, nil
}
