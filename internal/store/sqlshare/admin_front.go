package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// CuratedStories returns a scope's chosen published stories in their
// order, then the newest others. It is one statement: the chosen part
// reaches stories through the curation rows (a handful of id lookups), the
// rest is the usual index seek with the chosen ids left out, and only the
// few rows that result are sorted.
func (c *Core) CuratedStories(ctx context.Context, scope string, q store.ListQuery) ([]story.Summary, error) {
	var b strings.Builder
	var args []any
	section := ""
	if q.SectionID > 0 {
		section = " AND s.section_id = ?"
	}
	b.WriteString("SELECT * FROM (")
	if q.After.IsZero() {
		b.WriteString("SELECT " + SummaryCols + `, 0 AS grp,
			(SELECT c.position FROM curation c WHERE c.scope = ? AND c.story_id = s.id) AS pos,
			s.first_published_at AS fpa, s.id AS sid` + SummaryFrom + `
			WHERE s.status = 'published' AND s.id IN (SELECT story_id FROM curation WHERE scope = ?)` + section + `
			UNION ALL `)
		args = append(args, scope, scope)
		if q.SectionID > 0 {
			args = append(args, q.SectionID)
		}
	}
	b.WriteString("SELECT * FROM (SELECT " + SummaryCols + `, 1 AS grp, 0 AS pos, s.first_published_at AS fpa, s.id AS sid` +
		c.q.publishedFrom(q.SectionID, 0) + ` WHERE s.status = 'published'` + section + ` AND s.id NOT IN (SELECT story_id FROM curation WHERE scope = ?)`)
	if q.SectionID > 0 {
		args = append(args, q.SectionID)
	}
	args = append(args, scope)
	if !q.After.IsZero() {
		at := Micro(q.After.At)
		b.WriteString(" AND (s.first_published_at < ? OR (s.first_published_at = ? AND s.id < ?))")
		args = append(args, at, at, q.After.ID)
	}
	if len(q.Exclude) > 0 {
		b.WriteString(" AND s.id NOT IN (" + Placeholders(len(q.Exclude)) + ")")
		args = append(args, Int64Args(q.Exclude)...)
	}
	b.WriteString(" ORDER BY s.first_published_at DESC, s.id DESC LIMIT ?) AS rest) AS c ORDER BY grp, pos, fpa DESC, sid DESC")
	args = append(args, ClampLimit(q.Limit))

	rows, err := c.d.Read(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("curated stories %q: %w", scope, err)
	}
	defer rows.Close()
	var out []story.Summary
	for rows.Next() {
		var grp, pos int64
		var fpa sql.NullInt64
		var sid int64
		v, err := ScanSummary(rows, &grp, &pos, &fpa, &sid)
		if err != nil {
			return nil, fmt.Errorf("curated stories %q: %w", scope, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("curated stories %q: %w", scope, err)
	}
	if err := c.AttachBylines(ctx, out); err != nil {
		return nil, fmt.Errorf("curated stories %q: %w", scope, err)
	}
	return out, nil
}

// SetBreaking marks one story as breaking news until a time (and no
// other), or clears its mark when until is zero.
func (c *Core) SetBreaking(ctx context.Context, storyID int64, until time.Time) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set breaking %d: %w", storyID, err)
	}
	defer tx.Rollback()
	if !until.IsZero() {
		if _, err := Exec(ctx, c.d, tx, "UPDATE stories SET breaking_until = NULL WHERE breaking_until IS NOT NULL AND id <> ?", storyID); err != nil {
			return fmt.Errorf("set breaking %d: %w", storyID, err)
		}
	}
	res, err := Exec(ctx, c.d, tx, "UPDATE stories SET breaking_until = ? WHERE id = ?", NullMicro(until), storyID)
	if err != nil {
		return fmt.Errorf("set breaking %d: %w", storyID, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set breaking %d: %w", storyID, store.ErrNotFound)
	}
	return tx.Commit()
}
