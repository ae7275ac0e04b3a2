package sqlshare

import (
	"context"
	"fmt"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// viewsKept is how long hourly view counts are kept: most-read lists look
// back days, not months.
const viewsKept = 90 * 24 * time.Hour

// CountView writes one view of the story in the current hour at once.
// The site wraps the store in a store.ViewBuffer, so page views only
// count in memory and this runs in batches (AddViews).
func (c *Core) CountView(ctx context.Context, storyID int64) error {
	return c.AddViews(ctx, []store.ViewCount{{StoryID: storyID, Hour: c.now(), Views: 1}})
}

// AddViews adds the counts in one transaction, and forgets counts older
// than viewsKept. A count for a story that does not exist is skipped, so
// one bad id cannot keep a batch from being written.
func (c *Core) AddViews(ctx context.Context, views []store.ViewCount) error {
	if len(views) == 0 {
		return nil
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add views: %w", err)
	}
	defer tx.Rollback()
	for _, v := range views {
		if v.Views <= 0 {
			continue
		}
		if _, err := Exec(ctx, c.d, tx, `INSERT INTO story_views (hour, story_id, views)
			SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM stories WHERE id = ?2)
			ON CONFLICT (hour, story_id) DO UPDATE SET views = story_views.views + excluded.views`,
			UnixHour(v.Hour), v.StoryID, v.Views); err != nil {
			return fmt.Errorf("add views: %w", err)
		}
	}
	if _, err := Exec(ctx, c.d, tx, "DELETE FROM story_views WHERE hour < ?", UnixHour(c.now().Add(-viewsKept))); err != nil {
		return fmt.Errorf("add views: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add views: %w", c.d.MapErr(err))
	}
	return nil
}

// MostRead returns the most-viewed published stories since q.Since, in
// one statement; bylines are not loaded (the list shows headlines).
func (c *Core) MostRead(ctx context.Context, q store.MostReadQuery) ([]story.Summary, error) {
	args := []any{UnixHour(q.Since)}
	where := ""
	if q.SectionID > 0 {
		where += " AND s.section_id = ?"
		args = append(args, q.SectionID)
	}
	if len(q.Exclude) > 0 {
		where += " AND s.id NOT IN (" + Placeholders(len(q.Exclude)) + ")"
		args = append(args, Int64Args(q.Exclude)...)
	}
	args = append(args, ClampLimit(q.Limit))
	rows, err := c.d.Read(ctx, "SELECT "+SummaryCols+SummaryFrom+`
		JOIN (SELECT story_id, sum(views) AS n FROM story_views WHERE hour >= ? GROUP BY story_id) v ON v.story_id = s.id
		WHERE s.status = 'published'`+where+` ORDER BY v.n DESC, s.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("most read: %w", err)
	}
	list, err := Collect(rows, false)
	if err != nil {
		return nil, fmt.Errorf("most read: %w", err)
	}
	return list, nil
}
