package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// ApplyWire records a received item version and applies the plan
// store.DecideWire makes for it, in one transaction.
func (s *Store) ApplyWire(ctx context.Context, a store.WireApply) (store.WireResult, error) {
	it := a.Item
	if it.SourceID == 0 || it.GUID == "" || it.Version < 1 || a.Story == nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w: needs a source, a guid, a version and a story", it.GUID, store.ErrInvalid)
	}
	if a.Now.IsZero() {
		a.Now = s.now()
	}
	if a.DeferRelated {
		ctx = sqlshare.DeferRelated(ctx)
	}
	// _txlock=immediate: the write lock is held from here, so what is read
	// below cannot change before the commit.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w", it.GUID, err)
	}
	defer tx.Rollback()
	cur, err := s.wireCurrent(ctx, tx, it.SourceID, it.GUID)
	if err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w", it.GUID, err)
	}
	plan := store.DecideWire(cur, a)
	res := store.WireResult{Outcome: plan.Outcome, Reason: plan.Reason, StoryID: cur.StoryID}
	if it.Version <= cur.Known {
		return res, nil // a repeat: nothing to record
	}
	if plan.Write {
		if res.StoryID, err = s.writeWireStory(ctx, tx, cur, a, plan); err != nil {
			return store.WireResult{}, fmt.Errorf("apply wire item %q v%d: %w", it.GUID, it.Version, err)
		}
	}
	// Older versions still waiting in the queue give way to this one.
	if _, err := s.txExec(ctx, tx, "UPDATE wire_items SET state = 'superseded' WHERE source_id = ? AND guid = ? AND state = 'queued'",
		it.SourceID, it.GUID); err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w", it.GUID, mapErr(err))
	}
	dup, err := s.duplicateOf(ctx, tx, it)
	if err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w", it.GUID, err)
	}
	if _, err := s.txExec(ctx, tx, `INSERT INTO wire_items (source_id, guid, version, pub_status, headline, section_id, urgency,
		language, embargo_at, version_created_at, received_at, state, story_id, note, fingerprint, duplicate_of, item_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.SourceID, it.GUID, it.Version, it.PubStatus, it.Headline, nullID(it.SectionID), it.Urgency, it.Language,
		nullMicro(it.EmbargoAt), nullMicro(it.VersionCreatedAt), micro(a.Now), plan.State, nullID(res.StoryID),
		it.Note, it.Fingerprint, nullID(dup), string(it.Item)); err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q v%d: %w", it.GUID, it.Version, mapErr(err))
	}
	res.DuplicateOf = dup
	res.RelatedDeferred = a.DeferRelated && plan.Write && plan.Status == story.StatusPublished
	if err := tx.Commit(); err != nil {
		return store.WireResult{}, fmt.Errorf("apply wire item %q: %w", it.GUID, mapErr(err))
	}
	return res, nil
}

// duplicateOf returns the earliest item of another source with the same
// fingerprint, or 0.
func (s *Store) duplicateOf(ctx context.Context, tx *sql.Tx, it store.WireItem) (int64, error) {
	if it.Fingerprint == "" {
		return 0, nil
	}
	var id int64
	err := s.txQueryRow(ctx, tx, "SELECT id FROM wire_items WHERE fingerprint = ? AND source_id != ? ORDER BY id LIMIT 1",
		it.Fingerprint, it.SourceID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, mapErr(err)
}

// wireCurrent reads what is known of an item inside tx.
func (s *Store) wireCurrent(ctx context.Context, tx *sql.Tx, sourceID int64, guid string) (store.WireCurrent, error) {
	var cur store.WireCurrent
	if err := s.txQueryRow(ctx, tx, "SELECT coalesce(max(version), 0) FROM wire_items WHERE source_id = ? AND guid = ?",
		sourceID, guid).Scan(&cur.Known); err != nil {
		return cur, mapErr(err)
	}
	var status string
	var wv int
	err := s.txQueryRow(ctx, tx, "SELECT id, status, wire_version FROM stories WHERE source_id = ? AND wire_id = ?",
		sourceID, guid).Scan(&cur.StoryID, &status, &wv)
	if errors.Is(err, sql.ErrNoRows) {
		return cur, nil
	}
	if err != nil {
		return cur, mapErr(err)
	}
	cur.Status = story.Status(status)
	cur.Known = max(cur.Known, wv)
	return cur, nil
}

// writeWireStory creates or updates the item's story as plan says, with
// a "wire" revision, and returns its id.
func (s *Store) writeWireStory(ctx context.Context, tx *sql.Tx, cur store.WireCurrent, a store.WireApply, plan store.WirePlan) (int64, error) {
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
		// Read on another connection: it sees the last commit, which is
		// current because this transaction holds the write lock.
		old, err := s.Story(ctx, cur.StoryID)
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
		next.ID, err = s.insertStory(ctx, tx, next)
	} else {
		err = s.updateStory(ctx, tx, next)
	}
	if err != nil {
		return 0, err
	}
	if _, err := s.txExec(ctx, tx, "UPDATE stories SET scheduled_at = ? WHERE id = ?", nullMicro(plan.ScheduledAt), next.ID); err != nil {
		return 0, mapErr(err)
	}
	snap, err := json.Marshal(next)
	if err != nil {
		return 0, err
	}
	if _, err := s.txExec(ctx, tx, `INSERT INTO story_revisions (story_id, number, user_id, created_at, kind, pending, snapshot)
		VALUES (?, (SELECT coalesce(max(number), 0) + 1 FROM story_revisions WHERE story_id = ?), NULL, ?, 'wire', 0, ?)`,
		next.ID, next.ID, micro(a.Now), string(snap)); err != nil {
		return 0, fmt.Errorf("wire revision: %w", mapErr(err))
	}
	return next.ID, nil
}

// WireItems lists received item versions matching q, newest first.
func (s *Store) WireItems(ctx context.Context, q store.WireQuery) ([]store.WireItem, error) {
	// The WHERE clause is built from what is set, so that an item's
	// versions are found through the (source_id, guid, version) index.
	where, args := "1 = 1", []any{}
	if q.SourceID != 0 {
		where, args = where+" AND source_id = ?", append(args, q.SourceID)
	}
	if q.GUID != "" {
		where, args = where+" AND guid = ?", append(args, q.GUID)
	}
	rows, err := s.read(ctx, `SELECT id, source_id, guid, version, pub_status, headline, coalesce(section_id, 0), urgency,
		language, embargo_at, version_created_at, received_at, state, coalesce(story_id, 0), note, fingerprint,
		coalesce(duplicate_of, 0), item_json
		FROM wire_items WHERE `+where+` ORDER BY received_at DESC, id DESC LIMIT ?`, append(args, clampLimit(q.Limit))...)
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
		w.EmbargoAt, w.VersionCreatedAt = fromMicro(embargo), fromMicro(created)
		w.ReceivedAt, w.Item = fromMicro(sql.NullInt64{Int64: received, Valid: true}), []byte(item)
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("wire items: %w", err)
	}
	return out, nil
}

// txExec runs a statement inside tx as a prepared statement from the
// cache: parsing SQL was a fifth of an import's cost.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, sqlText string, args ...any) (sql.Result, error) {
	st, cached, err := s.stmts.get(ctx, s.db, sqlText)
	if err != nil || !cached {
		if err == nil {
			st.Close()
		}
		return exec(ctx, tx, sqlText, args...)
	}
	store.CountQuery(ctx)
	return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

// txQueryRow is txExec for a query of one row.
func (s *Store) txQueryRow(ctx context.Context, tx *sql.Tx, sqlText string, args ...any) *sql.Row {
	st, cached, err := s.stmts.get(ctx, s.db, sqlText)
	if err != nil || !cached {
		if err == nil {
			st.Close()
		}
		return queryRow(ctx, tx, sqlText, args...)
	}
	store.CountQuery(ctx)
	return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
}
