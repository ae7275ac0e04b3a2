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

// ApplyStoryChange writes a story, its workflow fields, the end of its
// staged edit and a revision in one transaction: all of them or none.
func (c *Core) ApplyStoryChange(ctx context.Context, ch store.StoryChange) (int64, error) {
	st := ch.Story
	id, version, modified := st.ID, st.Version, st.ModifiedAt
	err := c.applyStoryChange(ctx, ch)
	if err != nil {
		// The story as the caller had it: nothing was stored.
		st.ID, st.Version, st.ModifiedAt = id, version, modified
		return 0, err
	}
	return st.ID, nil
}

func (c *Core) applyStoryChange(ctx context.Context, ch store.StoryChange) error {
	st := ch.Story
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("story change: %w", err)
	}
	defer tx.Rollback()
	if st.ID == 0 {
		if _, err := c.insertStory(ctx, tx, st); err != nil {
			return err
		}
	} else if err := c.updateStory(ctx, tx, st); err != nil {
		return err
	}
	if ch.Meta != nil {
		if err := c.setStoryMeta(ctx, tx, st.ID, *ch.Meta); err != nil {
			return err
		}
	}
	if ch.ClearPending {
		if err := c.clearPending(ctx, tx, st.ID); err != nil {
			return err
		}
	}
	if ch.Revision != nil {
		r := *ch.Revision
		r.StoryID, r.Snapshot = st.ID, *st
		if _, err := c.addRevision(ctx, tx, r); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("story change of %d: %w", st.ID, c.d.MapErr(err))
	}
	return nil
}

// SaveAutosave stores an autosave revision, replacing the story's newest
// revision when that is an autosave by the same user.
func (c *Core) SaveAutosave(ctx context.Context, r store.Revision) (int64, error) {
	snap, err := json.Marshal(r.Snapshot)
	if err != nil {
		return 0, fmt.Errorf("autosave %d: %w", r.StoryID, err)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = c.now()
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("autosave %d: %w", r.StoryID, err)
	}
	defer tx.Rollback()
	var id, userID int64
	var kind string
	err = QueryRow(ctx, c.d, tx, `SELECT id, coalesce(user_id, 0), kind FROM story_revisions
		WHERE story_id = ? ORDER BY number DESC LIMIT 1`, r.StoryID).Scan(&id, &userID, &kind)
	if err == nil && kind == "autosave" && userID == r.UserID {
		if _, err := Exec(ctx, c.d, tx, "UPDATE story_revisions SET created_at = ?, snapshot = ? WHERE id = ?",
			Micro(r.CreatedAt), string(snap), id); err != nil {
			return 0, fmt.Errorf("autosave %d: %w", r.StoryID, c.d.MapErr(err))
		}
		return id, tx.Commit()
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("autosave %d: %w", r.StoryID, c.d.MapErr(err))
	}
	err = QueryRow(ctx, c.d, tx, `INSERT INTO story_revisions (story_id, number, user_id, created_at, kind, pending, snapshot)
		VALUES (?, (SELECT coalesce(max(number), 0) + 1 FROM story_revisions WHERE story_id = ?), ?, ?, 'autosave', 0, ?) RETURNING id`,
		r.StoryID, r.StoryID, NullID(r.UserID), Micro(r.CreatedAt), string(snap)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("autosave %d: %w", r.StoryID, c.d.MapErr(err))
	}
	return id, tx.Commit()
}

// LatestRevision returns a story's newest revision with its snapshot.
func (c *Core) LatestRevision(ctx context.Context, storyID int64) (store.Revision, error) {
	return c.revisionWhere(ctx, "r.story_id = ? ORDER BY r.number DESC LIMIT 1", storyID)
}

// PurgeSpiked deletes the stories spiked before a time. Revisions, bylines,
// tags, notes and curation go with them by cascade; the search index and
// other stories' related links are cleared here, where no key reaches.
func (c *Core) PurgeSpiked(ctx context.Context, before time.Time) ([]int64, error) {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("purge spiked: %w", err)
	}
	defer tx.Rollback()
	rows, err := Query(ctx, c.d, tx, "SELECT id FROM stories WHERE status = 'spiked' AND spiked_at < ?", Micro(before))
	if err != nil {
		return nil, fmt.Errorf("purge spiked: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("purge spiked: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("purge spiked: %w", err)
	}
	for _, id := range ids {
		for _, q := range []string{
			"DELETE FROM story_search WHERE " + c.d.SearchKey() + " = ?",
			"DELETE FROM story_related WHERE related_id = ?",
			"DELETE FROM stories WHERE id = ?",
		} {
			if _, err := Exec(ctx, c.d, tx, q, id); err != nil {
				return nil, fmt.Errorf("purge spiked story %d: %w", id, c.d.MapErr(err))
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("purge spiked: %w", err)
	}
	return ids, nil
}

// SourceList returns every wire source, by name.
func (c *Core) SourceList(ctx context.Context) ([]story.Source, error) {
	rows, err := c.d.Read(ctx, "SELECT "+SourceCols+" ORDER BY name, id")
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	var out []story.Source
	for rows.Next() {
		var src story.Source
		if err := rows.Scan(&src.ID, &src.Slug, &src.Name, &src.Label, &src.URL); err != nil {
			return nil, fmt.Errorf("sources: %w", err)
		}
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	return out, nil
}
