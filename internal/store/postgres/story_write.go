package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"dateline/internal/store"
	"dateline/internal/story"
)

// CreateStory inserts st with its bylines, tags, related links and notes in
// one transaction and returns its id.
func (s *Store) CreateStory(ctx context.Context, st *story.Story) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("create story: %w", err)
	}
	defer tx.Rollback()
	id, err := s.insertStory(ctx, tx, st)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("create story: %w", mapErr(err))
	}
	return id, nil
}

// insertStory is CreateStory inside the caller's transaction.
func (s *Store) insertStory(ctx context.Context, tx *sql.Tx, st *story.Story) (int64, error) {
	now := s.now()
	if st.CreatedAt.IsZero() {
		st.CreatedAt = now
	}
	if st.ModifiedAt.IsZero() {
		st.ModifiedAt = now
	}
	if st.Version == 0 {
		st.Version = 1
	}
	a, err := storyArgs(st)
	if err != nil {
		return 0, fmt.Errorf("create story: %w", err)
	}
	id, err := insertID(ctx, tx, `INSERT INTO stories (slug, language, type, status, section_id, headline, standfirst,
		lead_media_id, lead_caption, lead_credit, lead_alt, source_id, body_json, body_source, word_count,
		seo_title, seo_description, wire_id, wire_version, version,
		first_published_at, published_at, updated_at, created_at, modified_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a...)
	if err != nil {
		return 0, fmt.Errorf("create story %q: %w", st.Headline, mapErr(err))
	}
	st.ID = id
	if err := s.writeChildren(ctx, tx, st); err != nil {
		return 0, fmt.Errorf("create story %q: %w", st.Headline, err)
	}
	if err := indexStory(ctx, tx, st); err != nil {
		return 0, fmt.Errorf("create story %q: %w", st.Headline, err)
	}
	if err := recordEvent(ctx, tx, "", st, micro(now)); err != nil {
		return 0, fmt.Errorf("create story %q: %w", st.Headline, err)
	}
	return id, nil
}

// UpdateStory replaces st when st.Version is the stored version, and
// increments st.Version.
func (s *Store) UpdateStory(ctx context.Context, st *story.Story) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	defer tx.Rollback()
	if err := s.updateStory(ctx, tx, st); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, mapErr(err))
	}
	return nil
}

// updateStory is UpdateStory inside the caller's transaction.
func (s *Store) updateStory(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	old, err := storyStatus(ctx, tx, st.ID)
	if err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	st.ModifiedAt = s.now()
	st.Version++
	a, err := storyArgs(st)
	if err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	a = append(a, st.ID, st.Version-1)
	res, err := exec(ctx, tx, `UPDATE stories SET slug = ?, language = ?, type = ?, status = ?, section_id = ?,
		headline = ?, standfirst = ?, lead_media_id = ?, lead_caption = ?, lead_credit = ?, lead_alt = ?,
		source_id = ?, body_json = ?, body_source = ?, word_count = ?, seo_title = ?, seo_description = ?,
		wire_id = ?, wire_version = ?, version = ?, first_published_at = ?, published_at = ?, updated_at = ?,
		created_at = ?, modified_at = ?
		WHERE id = ? AND version = ?`, a...)
	if err != nil {
		st.Version--
		return fmt.Errorf("update story %d: %w", st.ID, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		st.Version--
		var v int
		err := queryRow(ctx, tx, "SELECT version FROM stories WHERE id = ?", st.ID).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("update story %d: %w", st.ID, store.ErrNotFound)
		}
		return fmt.Errorf("update story %d: %w: it was saved by someone else (version %d, yours %d)", st.ID, store.ErrConflict, v, st.Version)
	}
	for _, t := range []string{"story_bylines", "story_tags", "story_related", "story_notes"} {
		if _, err := exec(ctx, tx, "DELETE FROM "+t+" WHERE story_id = ?", st.ID); err != nil {
			return fmt.Errorf("update story %d: %w", st.ID, err)
		}
	}
	if err := s.writeChildren(ctx, tx, st); err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	if err := indexStory(ctx, tx, st); err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	if err := recordEvent(ctx, tx, old, st, micro(st.ModifiedAt)); err != nil {
		return fmt.Errorf("update story %d: %w", st.ID, err)
	}
	return nil
}

func storyArgs(st *story.Story) ([]any, error) {
	if st.Section.ID == 0 || st.Headline == "" || !st.Type.Valid() || st.Status == "" || st.Language == "" {
		return nil, fmt.Errorf("%w: a story needs a section, headline, type, status and language", store.ErrInvalid)
	}
	body, err := json.Marshal(st.Body)
	if err != nil {
		return nil, err
	}
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
		lead, caption, credit, alt, src, string(body), st.BodySource, story.WordCount(st.Body),
		st.SEOTitle, st.SEODesc, wireID, st.WireVersion, st.Version,
		nullMicro(st.FirstPublishedAt), nullMicro(st.PublishedAt), nullMicro(st.UpdatedAt),
		micro(st.CreatedAt), micro(st.ModifiedAt)}, nil
}

func (s *Store) writeChildren(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	for i, b := range st.Bylines {
		var aid sql.NullInt64
		if b.AuthorID > 0 {
			aid = sql.NullInt64{Int64: b.AuthorID, Valid: true}
		}
		if _, err := exec(ctx, tx, "INSERT INTO story_bylines (story_id, position, author_id, name) VALUES (?, ?, ?, ?)",
			st.ID, i, aid, b.Name); err != nil {
			return fmt.Errorf("byline %q: %w", b.Name, mapErr(err))
		}
	}
	for i := range st.Tags {
		t := &st.Tags[i]
		if t.ID == 0 {
			got, err := s.EnsureTagIn(ctx, tx, t.Name)
			if err != nil {
				return err
			}
			*t = got
		}
		if _, err := exec(ctx, tx, "INSERT INTO story_tags (story_id, tag_id, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			st.ID, t.ID, i); err != nil {
			return fmt.Errorf("tag %q: %w", t.Name, mapErr(err))
		}
	}
	for i, rid := range st.Related {
		if _, err := exec(ctx, tx, "INSERT INTO story_related (story_id, position, related_id) VALUES (?, ?, ?)",
			st.ID, i, rid); err != nil {
			return fmt.Errorf("related %d: %w", rid, mapErr(err))
		}
	}
	for _, n := range st.Notes {
		if _, err := exec(ctx, tx, "INSERT INTO story_notes (story_id, kind, text, at) VALUES (?, ?, ?, ?)",
			st.ID, n.Kind, n.Text, micro(n.At)); err != nil {
			return fmt.Errorf("note: %w", mapErr(err))
		}
	}
	return nil
}
