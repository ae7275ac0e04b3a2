package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// Article sitemaps cut the published stories into fixed blocks of ids,
// (N-1)·size < id ≤ N·size, rather than into runs of 50,000 by position
// (ROW_NUMBER or OFFSET). Finding block N is then one seek in the
// stories_sitemap index, however large N, and nothing is stored; a story
// stays in the same block for its whole life, so unpublishing one story
// does not shift every later page and change their lastmod, and a block
// can never hold more than size stories. The price is that blocks are not
// full (drafts and spiked stories take ids too) and one may be empty: the
// index then leaves it out and asking for it answers 404.

// sitemapBatch is how many rows each query of a stream reads. Rows are
// read into a batch and the query is closed before fn is called, so a
// slow client writing the sitemap never holds a connection or an old
// read snapshot (which would keep SQLite's WAL from being checkpointed).
const sitemapBatch = 1000

// storyBlockSize is the block size stories_sitemap_block (migration 0022)
// is built for: sitemap.MaxURLs, as the index says "(id - 1) / 50000".
const storyBlockSize = 50000

const sitemapStoryCols = `s.id, s.slug, sec.slug, s.language, s.first_published_at, s.updated_at, m.hash, m.width`

// sitemapTexts are the sitemap statements in one dialect. SQLite is told
// its indexes (IndexedBy): without statistics it would pick
// stories_status_modified and read every row.
type sitemapTexts struct {
	stories, news string
	// lastID is the highest published story id; blockNewest the newest
	// LastMod (store.SitemapStory) among ids in (?, ?]; blockIndexed the
	// same for block number ? (from 0) of storyBlockSize ids, the last
	// entry of the block's run in stories_sitemap_block.
	lastID, blockNewest, blockIndexed string
	// tagNewest selects each tag with the first publication of its
	// newest published story: the top of the tag's run in
	// story_tags_listed (migration 0023), one seek a tag. Authors take
	// theirs from story_bylines_listed the same way.
	tagNewest, tagBlock              string
	sections, authors, sources, tags string
}

func newSitemapTexts(d Dialect) *sitemapTexts {
	t := &sitemapTexts{}
	joins := `
	JOIN sections sec ON sec.id = s.section_id
	LEFT JOIN media m ON m.id = s.lead_media_id`
	t.stories = "SELECT " + sitemapStoryCols + " FROM stories s" + d.IndexedBy("stories_sitemap") + joins + `
		WHERE s.status = 'published' AND s.id > ? AND s.id <= ? ORDER BY s.id LIMIT ?`
	// The news sitemap walks the newest-first index of published stories.
	t.news = "SELECT " + sitemapStoryCols + ", s.headline FROM stories s" + d.IndexedBy("stories_published") + joins + `
		WHERE s.status = 'published' AND s.first_published_at >= ?
		ORDER BY s.first_published_at DESC, s.id DESC LIMIT ?`
	lastMod := d.Greatest() + "(coalesce(updated_at, 0), coalesce(first_published_at, 0))"
	t.lastID = "SELECT coalesce(max(id), 0) FROM stories" + d.IndexedBy("stories_sitemap") + " WHERE status = 'published'"
	t.blockNewest = "SELECT max(" + lastMod + ") FROM stories" + d.IndexedBy("stories_sitemap") +
		" WHERE status = 'published' AND id > ? AND id <= ?"
	t.blockIndexed = "SELECT (SELECT " + lastMod + " FROM stories" + d.IndexedBy("stories_sitemap_block") +
		" WHERE status = 'published' AND (id - 1) / 50000 = ? ORDER BY " + lastMod + " DESC LIMIT 1)"
	t.tagNewest = `SELECT t.id, t.slug, (SELECT st.listed_at FROM story_tags st` + d.IndexedBy("story_tags_listed") + `
		WHERE st.tag_id = t.id AND st.listed_at IS NOT NULL ORDER BY st.listed_at DESC LIMIT 1) AS newest
	FROM tags t`
	t.tagBlock = "SELECT max(newest) FROM (" + t.tagNewest + " WHERE t.id > ? AND t.id <= ?) AS b"
	t.tags = t.tagNewest + " WHERE t.id > ? AND t.id <= ? ORDER BY t.id LIMIT ?"
	t.sections = `SELECT sec.id, sec.slug, (SELECT first_published_at FROM stories
		WHERE section_id = sec.id AND status = 'published' ORDER BY first_published_at DESC, id DESC LIMIT 1)
	FROM sections sec ORDER BY sec.position, sec.name`
	t.authors = `SELECT a.id, a.slug, (SELECT b.listed_at FROM story_bylines b` + d.IndexedBy("story_bylines_listed") + `
		WHERE b.author_id = a.id AND b.listed_at IS NOT NULL ORDER BY b.listed_at DESC LIMIT 1)
	FROM authors a ORDER BY a.slug`
	t.sources = `SELECT src.id, src.slug, (SELECT first_published_at FROM stories
		WHERE source_id = src.id AND status = 'published' ORDER BY first_published_at DESC, id DESC LIMIT 1)
	FROM sources src ORDER BY src.slug`
	return t
}

// SitemapQueries are the sitemap statements in dialect d, by name, for a
// store's query-plan tests.
func SitemapQueries(d Dialect) map[string]string {
	t := newSitemapTexts(d)
	return map[string]string{
		"stories": t.stories, "news": t.news, "story last id": t.lastID, "story block": t.blockNewest,
		"story block (indexed)": t.blockIndexed, "tag block": t.tagBlock, "tags": t.tags,
		"sections": t.sections, "authors": t.authors, "sources": t.sources,
	}
}

func scanSitemapStory(rows *sql.Rows, extra ...any) (store.SitemapStory, error) {
	var e store.SitemapStory
	var first, updated, width sql.NullInt64
	var hash sql.NullString
	dest := append([]any{&e.ID, &e.Slug, &e.SectionSlug, &e.Language, &first, &updated, &hash, &width}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return e, err
	}
	e.FirstPublishedAt, e.UpdatedAt = FromMicro(first), FromMicro(updated)
	if hash.Valid {
		e.Lead = &story.Image{Hash: hash.String, Width: int(width.Int64)}
	}
	return e, nil
}

// EachSitemapStory calls fn for every published story with an id in
// (after, upto], by id ascending, reading sitemapBatch rows at a time.
func (c *Core) EachSitemapStory(ctx context.Context, after, upto int64, fn func(store.SitemapStory) error) error {
	if upto <= 0 {
		upto = math.MaxInt64
	}
	batch := make([]store.SitemapStory, 0, sitemapBatch)
	for {
		batch = batch[:0]
		rows, err := c.d.Read(ctx, c.sm.stories, after, upto, sitemapBatch)
		if err != nil {
			return fmt.Errorf("sitemap stories after %d: %w", after, err)
		}
		for rows.Next() {
			e, err := scanSitemapStory(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("sitemap stories after %d: %w", after, err)
			}
			batch = append(batch, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sitemap stories after %d: %w", after, err)
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(batch) < sitemapBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// SitemapStoryBlocks returns the non-empty blocks of size story ids with
// the newest LastMod in each: one index seek for the last id, then, for
// blocks of storyBlockSize (what the site asks for), one seek per block in
// stories_sitemap_block; any other size scans each block's range of the
// covering index, which reads the whole archive.
func (c *Core) SitemapStoryBlocks(ctx context.Context, size int) ([]store.SitemapBlock, error) {
	if size == storyBlockSize {
		return c.blocks(ctx, size, c.sm.lastID, c.sm.blockIndexed, func(lo, hi int64) []any {
			return []any{lo / storyBlockSize}
		})
	}
	return c.blocks(ctx, size, c.sm.lastID, c.sm.blockNewest, nil)
}

// SitemapTagBlocks returns the non-empty blocks of size tag ids.
func (c *Core) SitemapTagBlocks(ctx context.Context, size int) ([]store.SitemapBlock, error) {
	return c.blocks(ctx, size, "SELECT coalesce(max(id), 0) FROM tags", c.sm.tagBlock, nil)
}

// blocks runs lastID once, then newest for each block of size ids up to
// it; a block whose newest is NULL is empty and left out. newest takes
// the block's bounds, (lo, hi], or what args makes of them.
func (c *Core) blocks(ctx context.Context, size int, lastID, newest string, args func(lo, hi int64) []any) ([]store.SitemapBlock, error) {
	if size <= 0 {
		return nil, fmt.Errorf("sitemap blocks of %d: %w", size, store.ErrInvalid)
	}
	var last int64
	if err := c.d.ReadRow(ctx, lastID).Scan(&last); err != nil {
		return nil, fmt.Errorf("sitemap blocks: %w", err)
	}
	var out []store.SitemapBlock
	for n := 1; int64(n-1)*int64(size) < last; n++ {
		var at sql.NullInt64
		lo := int64(n-1) * int64(size)
		a := []any{lo, lo + int64(size)}
		if args != nil {
			a = args(lo, lo+int64(size))
		}
		if err := c.d.ReadRow(ctx, newest, a...).Scan(&at); err != nil {
			return nil, fmt.Errorf("sitemap block %d: %w", n, err)
		}
		if at.Valid {
			out = append(out, store.SitemapBlock{N: n, LastMod: FromMicro(at)})
		}
	}
	return out, nil
}

// EachSitemapTag calls fn for every tag with an id in (after, upto] that
// has a published story, by id. Tags without one are read and skipped
// here, not filtered in SQL, where the filter would run the probe twice.
func (c *Core) EachSitemapTag(ctx context.Context, after, upto int64, fn func(store.SitemapPage) error) error {
	if upto <= 0 {
		upto = math.MaxInt64
	}
	batch := make([]store.SitemapPage, 0, sitemapBatch)
	for {
		var err error
		batch, err = c.sitemapPages(ctx, batch[:0], c.sm.tags, after, upto, sitemapBatch)
		if err != nil {
			return fmt.Errorf("sitemap tags after %d: %w", after, err)
		}
		for _, p := range batch {
			if p.LastMod.IsZero() {
				continue
			}
			if err := fn(p); err != nil {
				return err
			}
		}
		if len(batch) < sitemapBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// EachNewsStory calls fn for up to limit published stories first
// published at or after since, newest first. limit is capped at 1,000,
// the most a news sitemap holds, so one batch holds them all.
func (c *Core) EachNewsStory(ctx context.Context, since time.Time, limit int, fn func(store.SitemapStory) error) error {
	rows, err := c.d.Read(ctx, c.sm.news, Micro(since), min(max(limit, 1), 1000))
	if err != nil {
		return fmt.Errorf("news sitemap stories: %w", err)
	}
	var batch []store.SitemapStory
	for rows.Next() {
		var headline string
		e, err := scanSitemapStory(rows, &headline)
		if err != nil {
			rows.Close()
			return fmt.Errorf("news sitemap stories: %w", err)
		}
		e.Headline = headline
		batch = append(batch, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("news sitemap stories: %w", err)
	}
	for _, e := range batch {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// SitemapSections returns every section in display order, each with its
// newest story read from the top of its section index.
func (c *Core) SitemapSections(ctx context.Context) ([]store.SitemapPage, error) {
	out, err := c.sitemapPages(ctx, nil, c.sm.sections)
	if err != nil {
		return nil, fmt.Errorf("sitemap sections: %w", err)
	}
	return out, nil
}

// SitemapAuthors returns every staff author by slug; LastMod as for tags.
func (c *Core) SitemapAuthors(ctx context.Context) ([]store.SitemapPage, error) {
	out, err := c.sitemapPages(ctx, nil, c.sm.authors)
	if err != nil {
		return nil, fmt.Errorf("sitemap authors: %w", err)
	}
	return out, nil
}

// SitemapSources returns the sources with a published story, by slug.
func (c *Core) SitemapSources(ctx context.Context) ([]store.SitemapPage, error) {
	all, err := c.sitemapPages(ctx, nil, c.sm.sources)
	if err != nil {
		return nil, fmt.Errorf("sitemap sources: %w", err)
	}
	out := all[:0]
	for _, p := range all {
		if !p.LastMod.IsZero() {
			out = append(out, p)
		}
	}
	return out, nil
}

// sitemapPages appends the (id, slug, newest) rows of a query to out.
func (c *Core) sitemapPages(ctx context.Context, out []store.SitemapPage, q string, args ...any) ([]store.SitemapPage, error) {
	rows, err := c.d.Read(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p store.SitemapPage
		var at sql.NullInt64
		if err := rows.Scan(&p.ID, &p.Slug, &at); err != nil {
			return nil, err
		}
		p.LastMod = FromMicro(at)
		out = append(out, p)
	}
	return out, rows.Err()
}
