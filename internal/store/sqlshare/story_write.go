package sqlshare

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// CreateStory inserts st with its bylines, tags, related links and notes in
// one transaction and returns its id.
func (c *Core) CreateStory(ctx context.Context, st *story.Story) (int64, error) {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("create story: %w", err)
	}
	defer tx.Rollback()
	id, err := c.insertStory(ctx, tx, st)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("create story: %w", c.d.MapErr(err))
	}
	return id, nil
}

// StoryDefaults fills what a new story has unless it says otherwise: made
// and changed now, version 1. Every path that creates stories (the story
// save, the SQLite bulk loader) starts from it.
func StoryDefaults(st *story.Story, now time.Time) {
	if st.CreatedAt.IsZero() {
		st.CreatedAt = now
	}
	if st.ModifiedAt.IsZero() {
		st.ModifiedAt = now
	}
	if st.Version == 0 {
		st.Version = 1
	}
}

// insertStory is CreateStory inside the caller's transaction.
func (c *Core) insertStory(ctx context.Context, tx *sql.Tx, st *story.Story) (int64, error) {
	now := c.now()
	StoryDefaults(st, now)
	a, err := StoryArgs(st)
	if err != nil {
		return 0, fmt.Errorf("create story: %w", err)
	}
	var id int64
	err = c.d.TxQueryRow(ctx, tx, `INSERT INTO stories (slug, language, type, status, section_id, headline, standfirst,
		lead_media_id, lead_caption, lead_credit, lead_alt, source_id, body_json, body_source, word_count,
		seo_title, seo_description, wire_id, wire_version, version,
		first_published_at, published_at, updated_at, created_at, modified_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a...).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create story %q: %w", st.Headline, c.d.MapErr(err))
	}
	st.ID = id
	if err := WriteChildren(ctx, c.d, tx, st); err != nil {
		return 0, fmt.Errorf("create story %q: %w", st.Headline, err)
	}
	if err := c.indexStory(ctx, tx, st); err != nil {
		return 0, fmt.Errorf("create story %q: %w", st.Headline, err)
	}
	if err := RecordEvent(ctx, c.d, tx, "", st, Micro(now)); err != nil {
		return 0, fmt.Errorf("create story %q: %w", st.Headline, err)
	}
	return id, nil
}

// UpdateStory replaces st when st.Version is the stored version, and
// increments st.Version.
func (c *Core) UpdateStory(ctx context.Context, st *story.Story) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	defer tx.Rollback()
	if err := c.updateStory(ctx, tx, st); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, c.d.MapErr(err))
	}
	return nil
}

// updateStory is UpdateStory inside the caller's transaction.
func (c *Core) updateStory(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	old, err := StoryStatus(ctx, c.d, tx, st.ID)
	if err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	st.ModifiedAt = c.now()
	st.Version++
	a, err := StoryArgs(st)
	if err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	a = append(a, st.ID, st.Version-1)
	res, err := c.d.TxExec(ctx, tx, `UPDATE stories SET slug = ?, language = ?, type = ?, status = ?, section_id = ?,
		headline = ?, standfirst = ?, lead_media_id = ?, lead_caption = ?, lead_credit = ?, lead_alt = ?,
		source_id = ?, body_json = ?, body_source = ?, word_count = ?, seo_title = ?, seo_description = ?,
		wire_id = ?, wire_version = ?, version = ?, first_published_at = ?, published_at = ?, updated_at = ?,
		created_at = ?, modified_at = ?
		WHERE id = ? AND version = ?`, a...)
	if err != nil {
		st.Version--
		return fmt.Errorf("update story %d: %w", st.ID, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		st.Version--
		var v int
		err := QueryRow(ctx, c.d, tx, "SELECT version FROM stories WHERE id = ?", st.ID).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("update story %d: %w", st.ID, store.ErrNotFound)
		}
		return fmt.Errorf("update story %d: %w: it was saved by someone else (version %d, yours %d)", st.ID, store.ErrConflict, v, st.Version)
	}
	for _, t := range []string{"story_bylines", "story_tags", "story_related", "story_notes"} {
		if _, err := c.d.TxExec(ctx, tx, "DELETE FROM "+t+" WHERE story_id = ?", st.ID); err != nil {
			return fmt.Errorf("update story %d: %w", st.ID, err)
		}
	}
	if err := WriteChildren(ctx, c.d, tx, st); err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	if err := c.indexStory(ctx, tx, st); err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	if err := RecordEvent(ctx, c.d, tx, old, st, Micro(st.ModifiedAt)); err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	return nil
}

// StoryArgs are st's values for the columns of the stories table, in
// the order the INSERT and UPDATE of a story name them. It sets
// st.WordCount to the count it stores, so every writer (the story save,
// the SQLite bulk loader) leaves the story as a read would return it.
func StoryArgs(st *story.Story) ([]any, error) {
	if st.Section.ID == 0 || st.Headline == "" || !st.Type.Valid() || st.Status == "" || st.Language == "" {
		return nil, fmt.Errorf("%w: a story needs a section, headline, type, status and language", store.ErrInvalid)
	}
	body, err := json.Marshal(st.Body)
	if err != nil {
		return nil, err
	}
	st.WordCount = story.WordCount(st.Body)
	var lead, src sql.NullInt64
	var caption, credit, alt string
	if st.Lead != nil {
		lead = sql.NullInt64{Int64: st.Lead.MediaID, Valid: true}
		caption, credit, alt = st.Lead.Caption, st.Lead.Credit, st.Lead.Alt
	}
	if st.Source != nil {
		src = sql.NullInt64{Int64: st.Source.ID, Valid: true}
	}
	var wireID sql.NullString
	if st.WireID != "" {
		wireID = sql.NullString{String: st.WireID, Valid: true}
	}
	return []any{st.Slug, st.Language, string(st.Type), string(st.Status), st.Section.ID, st.Headline, st.Standfirst,
		lead, caption, credit, alt, src, string(body), st.BodySource, st.WordCount,
		st.SEOTitle, st.SEODesc, wireID, st.WireVersion, st.Version,
		NullMicro(st.FirstPublishedAt), NullMicro(st.PublishedAt), NullMicro(st.UpdatedAt),
		Micro(st.CreatedAt), Micro(st.ModifiedAt)}, nil
}

// ListedAt is the list key a story's byline and tag rows carry
// (listed_at, migration 0023): its first publication while it is
// published, NULL otherwise. The stores' triggers keep the column exact
// whoever writes; a writer that gives the right key spares SQLite a
// second write of each row.
func ListedAt(st *story.Story) sql.NullInt64 {
	if st.Status != story.StatusPublished {
		return sql.NullInt64{}
	}
	return NullMicro(st.FirstPublishedAt)
}

// WriteChildren writes st's bylines, tags, related links and notes in tx.
func WriteChildren(ctx context.Context, d Dialect, tx *sql.Tx, st *story.Story) error {
	listed := ListedAt(st)
	for i, b := range st.Bylines {
		var aid sql.NullInt64
		if b.AuthorID > 0 {
			aid = sql.NullInt64{Int64: b.AuthorID, Valid: true}
		}
		if _, err := d.TxExec(ctx, tx, "INSERT INTO story_bylines (story_id, position, author_id, name, listed_at) VALUES (?, ?, ?, ?, ?)",
			st.ID, i, aid, b.Name, listed); err != nil {
			return fmt.Errorf("byline %q: %w", b.Name, d.MapErr(err))
		}
	}
	for i := range st.Tags {
		t := &st.Tags[i]
		if t.ID == 0 {
			got, err := ensureTag(ctx, d, tx, t.Name)
			if err != nil {
				return err
			}
			*t = got
		}
		if _, err := d.TxExec(ctx, tx, "INSERT INTO story_tags (story_id, tag_id, position, listed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
			st.ID, t.ID, i, listed); err != nil {
			return fmt.Errorf("tag %q: %w", t.Name, d.MapErr(err))
		}
	}
	for i, rid := range st.Related {
		if _, err := d.TxExec(ctx, tx, "INSERT INTO story_related (story_id, position, related_id) VALUES (?, ?, ?)",
			st.ID, i, rid); err != nil {
			return fmt.Errorf("related %d: %w", rid, d.MapErr(err))
		}
	}
	for _, n := range st.Notes {
		if _, err := d.TxExec(ctx, tx, "INSERT INTO story_notes (story_id, kind, text, at) VALUES (?, ?, ?, ?)",
			st.ID, n.Kind, n.Text, Micro(n.At)); err != nil {
			return fmt.Errorf("note: %w", d.MapErr(err))
		}
	}
	return nil
}
