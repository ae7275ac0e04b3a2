package sqlshare

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// DeskStories lists stories in any status for the newsroom, newest change first.
func (c *Core) DeskStories(ctx context.Context, q store.DeskQuery) ([]store.DeskItem, error) {
	var b strings.Builder
	var args []any
	b.WriteString("SELECT " + SummaryCols + `, s.status, coalesce(s.owner_id, 0), coalesce(o.name, ''), s.modified_at, s.scheduled_at,
		EXISTS (SELECT 1 FROM story_revisions r WHERE r.story_id = s.id AND r.pending = 1)` + SummaryFrom +
		" LEFT JOIN users o ON o.id = s.owner_id WHERE 1 = 1")
	if len(q.Statuses) > 0 {
		b.WriteString(" AND s.status IN (" + Placeholders(len(q.Statuses)) + ")")
		for _, st := range q.Statuses {
			args = append(args, string(st))
		}
	}
	if q.OwnerID > 0 {
		b.WriteString(" AND s.owner_id = ?")
		args = append(args, q.OwnerID)
	}
	if q.IDs != nil {
		if len(q.IDs) == 0 {
			return nil, nil
		}
		b.WriteString(" AND s.id IN (" + Placeholders(len(q.IDs)) + ")")
		args = append(args, Int64Args(q.IDs)...)
	}
	if w := strings.TrimSpace(q.Query); w != "" {
		b.WriteString(" AND s.headline " + c.d.CaseLike() + ` ? ESCAPE '\'`)
		args = append(args, "%"+strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(w)+"%")
	}
	b.WriteString(" ORDER BY s.modified_at DESC, s.id DESC LIMIT ?")
	args = append(args, ClampLimit(q.Limit))
	rows, err := Query(ctx, c.d, c.db, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("desk stories: %w", err)
	}
	defer rows.Close()
	var out []store.DeskItem
	var sums []story.Summary
	for rows.Next() {
		var it store.DeskItem
		var status string
		var modified int64
		var scheduled sql.NullInt64
		sum, err := ScanSummary(rows, &status, &it.OwnerID, &it.OwnerName, &modified, &scheduled, &it.HasPending)
		if err != nil {
			return nil, fmt.Errorf("desk stories: %w", err)
		}
		it.Summary, it.Status = sum, story.Status(status)
		it.ModifiedAt, it.ScheduledAt = time.UnixMicro(modified).UTC(), FromMicro(scheduled)
		out = append(out, it)
		sums = append(sums, sum)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("desk stories: %w", err)
	}
	if err := c.AttachBylines(ctx, sums); err != nil {
		return nil, fmt.Errorf("desk stories: %w", err)
	}
	for i := range out {
		out[i].Bylines = sums[i].Bylines
	}
	return out, nil
}

// AddRevision appends a revision with the next number for its story.
func (c *Core) AddRevision(ctx context.Context, r store.Revision) (int64, error) {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("add revision: %w", err)
	}
	defer tx.Rollback()
	id, err := c.addRevision(ctx, tx, r)
	if err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

// addRevision is AddRevision inside the caller's transaction.
func (c *Core) addRevision(ctx context.Context, tx *sql.Tx, r store.Revision) (int64, error) {
	snap, err := json.Marshal(r.Snapshot)
	if err != nil {
		return 0, fmt.Errorf("add revision: %w", err)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = c.now()
	}
	if r.Pending {
		// One staged edit per story: a newer one replaces the older.
		if err := c.clearPending(ctx, tx, r.StoryID); err != nil {
			return 0, fmt.Errorf("add revision: %w", err)
		}
	}
	var id int64
	err = QueryRow(ctx, c.d, tx, `INSERT INTO story_revisions (story_id, number, user_id, created_at, kind, pending, snapshot)
		VALUES (?, (SELECT coalesce(max(number), 0) + 1 FROM story_revisions WHERE story_id = ?), ?, ?, ?, ?, ?) RETURNING id`,
		r.StoryID, r.StoryID, NullID(r.UserID), Micro(r.CreatedAt), r.Kind, B2I(r.Pending), string(snap)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add revision to %d: %w", r.StoryID, c.d.MapErr(err))
	}
	return id, nil
}

const revisionCols = `r.id, r.story_id, r.number, coalesce(r.user_id, 0), coalesce(u.name, ''), r.created_at, r.kind, r.pending
	FROM story_revisions r LEFT JOIN users u ON u.id = r.user_id`

func scanRevision(sc Scanner, extra ...any) (store.Revision, error) {
	var r store.Revision
	var at int64
	if err := sc.Scan(append([]any{&r.ID, &r.StoryID, &r.Number, &r.UserID, &r.UserName, &at, &r.Kind, &r.Pending}, extra...)...); err != nil {
		return r, err
	}
	r.CreatedAt = time.UnixMicro(at).UTC()
	return r, nil
}

// Revisions lists a story's revisions, newest first, without snapshots.
func (c *Core) Revisions(ctx context.Context, storyID int64) ([]store.Revision, error) {
	rows, err := c.d.Read(ctx, "SELECT "+revisionCols+" WHERE r.story_id = ? ORDER BY r.number DESC", storyID)
	if err != nil {
		return nil, fmt.Errorf("revisions of %d: %w", storyID, err)
	}
	defer rows.Close()
	var out []store.Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, fmt.Errorf("revisions of %d: %w", storyID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Revision returns one revision with its snapshot.
func (c *Core) Revision(ctx context.Context, id int64) (store.Revision, error) {
	return c.revisionWhere(ctx, "r.id = ?", id)
}

// PendingRevision returns the staged edit of a story.
func (c *Core) PendingRevision(ctx context.Context, storyID int64) (store.Revision, error) {
	return c.revisionWhere(ctx, "r.story_id = ? AND r.pending = 1 ORDER BY r.number DESC LIMIT 1", storyID)
}

func (c *Core) revisionWhere(ctx context.Context, where string, arg any) (store.Revision, error) {
	var snap string
	// The snapshot column goes before revisionCols' FROM clause.
	cols := strings.Replace(revisionCols, "\n\tFROM", ", r.snapshot\n\tFROM", 1)
	r, err := scanRevision(c.d.ReadRow(ctx, "SELECT "+cols+" WHERE "+where, arg), &snap)
	if err != nil {
		return r, fmt.Errorf("revision: %w", c.d.MapErr(err))
	}
	if err := json.Unmarshal([]byte(snap), &r.Snapshot); err != nil {
		return r, fmt.Errorf("revision %d: %w", r.ID, err)
	}
	return r, nil
}

// clearPending marks a story's staged revisions as no longer pending.
func (c *Core) clearPending(ctx context.Context, q Querier, storyID int64) error {
	if _, err := Exec(ctx, c.d, q, "UPDATE story_revisions SET pending = 0 WHERE story_id = ? AND pending = 1", storyID); err != nil {
		return fmt.Errorf("clear the staged edit of %d: %w", storyID, c.d.MapErr(err))
	}
	return nil
}

// StoryMeta returns a story's workflow fields.
func (c *Core) StoryMeta(ctx context.Context, id int64) (store.StoryMeta, error) {
	var m store.StoryMeta
	var sched, spiked, breaking sql.NullInt64
	err := c.d.ReadRow(ctx, "SELECT coalesce(owner_id, 0), scheduled_at, spiked_at, breaking_until FROM stories WHERE id = ?", id).
		Scan(&m.OwnerID, &sched, &spiked, &breaking)
	if err != nil {
		return m, fmt.Errorf("story meta %d: %w", id, c.d.MapErr(err))
	}
	m.ScheduledAt, m.SpikedAt, m.BreakingUntil = FromMicro(sched), FromMicro(spiked), FromMicro(breaking)
	return m, nil
}

// SetStoryMeta saves a story's workflow fields.
func (c *Core) SetStoryMeta(ctx context.Context, id int64, m store.StoryMeta) error {
	return c.setStoryMeta(ctx, c.db, id, m)
}

func (c *Core) setStoryMeta(ctx context.Context, q Querier, id int64, m store.StoryMeta) error {
	res, err := Exec(ctx, c.d, q, "UPDATE stories SET owner_id = ?, scheduled_at = ?, spiked_at = ?, breaking_until = ? WHERE id = ?",
		NullID(m.OwnerID), NullMicro(m.ScheduledAt), NullMicro(m.SpikedAt), NullMicro(m.BreakingUntil), id)
	if err != nil {
		return fmt.Errorf("set story meta %d: %w", id, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set story meta %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// DueScheduled returns scheduled stories whose time has come.
func (c *Core) DueScheduled(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := c.d.Read(ctx, "SELECT id FROM stories WHERE status = 'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at", Micro(now))
	if err != nil {
		return nil, fmt.Errorf("due scheduled: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Curation returns the ordered story ids chosen for a scope.
func (c *Core) Curation(ctx context.Context, scope string) ([]int64, error) {
	rows, err := c.d.Read(ctx, "SELECT story_id FROM curation WHERE scope = ? ORDER BY position", scope)
	if err != nil {
		return nil, fmt.Errorf("curation %q: %w", scope, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// SetCuration replaces a scope's choice in one transaction.
func (c *Core) SetCuration(ctx context.Context, scope string, ids []int64) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set curation %q: %w", scope, err)
	}
	defer tx.Rollback()
	if _, err := Exec(ctx, c.d, tx, "DELETE FROM curation WHERE scope = ?", scope); err != nil {
		return fmt.Errorf("set curation %q: %w", scope, err)
	}
	for i, id := range ids {
		if _, err := Exec(ctx, c.d, tx, "INSERT INTO curation (scope, position, story_id) VALUES (?, ?, ?)", scope, i, id); err != nil {
			return fmt.Errorf("set curation %q: story %d: %w", scope, id, c.d.MapErr(err))
		}
	}
	return tx.Commit()
}

// Breaking returns the newest published story marked breaking at now.
func (c *Core) Breaking(ctx context.Context, now time.Time) (*story.Summary, error) {
	rows, err := c.d.Read(ctx, c.q.breaking, Micro(now))
	if err != nil {
		return nil, fmt.Errorf("breaking: %w", err)
	}
	list, err := Collect(rows, false)
	if err != nil {
		return nil, fmt.Errorf("breaking: %w", err)
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("breaking: %w", store.ErrNotFound)
	}
	return &list[0], nil
}

// SetMessageHandled marks a reader's message handled at a time, or not
// handled when at is zero.
func (c *Core) SetMessageHandled(ctx context.Context, id int64, at time.Time) error {
	res, err := Exec(ctx, c.d, c.db, "UPDATE messages SET handled_at = ? WHERE id = ?", NullMicro(at), id)
	if err != nil {
		return fmt.Errorf("message %d: %w", id, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("message %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// MediaLibrary lists pictures newest first, matching words in caption or credit.
func (c *Core) MediaLibrary(ctx context.Context, q string, limit int) ([]story.Media, error) {
	sqlText := `SELECT id, hash, mime, width, height, bytes, caption, credit, alt, focal_x, focal_y, created_at FROM media`
	var args []any
	for i, w := range strings.Fields(q) {
		if i == 0 {
			sqlText += " WHERE"
		} else {
			sqlText += " AND"
		}
		like := " " + c.d.CaseLike() + ` ? ESCAPE '\'`
		sqlText += " (caption" + like + " OR credit" + like + " OR alt" + like + ")"
		p := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(w) + "%"
		args = append(args, p, p, p)
	}
	sqlText += " ORDER BY id DESC LIMIT ?"
	args = append(args, ClampLimit(limit))
	rows, err := Query(ctx, c.d, c.db, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("media library: %w", err)
	}
	defer rows.Close()
	var out []story.Media
	for rows.Next() {
		var m story.Media
		var at int64
		if err := rows.Scan(&m.ID, &m.Hash, &m.Mime, &m.Width, &m.Height, &m.Bytes, &m.Caption, &m.Credit, &m.Alt, &m.FocalX, &m.FocalY, &at); err != nil {
			return nil, fmt.Errorf("media library: %w", err)
		}
		m.Created = time.UnixMicro(at).UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// UpdateMedia saves caption, credit, alt text and focal point.
func (c *Core) UpdateMedia(ctx context.Context, m story.Media) error {
	res, err := Exec(ctx, c.d, c.db, "UPDATE media SET caption = ?, credit = ?, alt = ?, focal_x = ?, focal_y = ? WHERE id = ?",
		m.Caption, m.Credit, m.Alt, m.FocalX, m.FocalY, m.ID)
	if err != nil {
		return fmt.Errorf("update media %d: %w", m.ID, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update media %d: %w", m.ID, store.ErrNotFound)
	}
	return nil
}
