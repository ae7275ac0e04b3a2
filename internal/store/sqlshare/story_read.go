package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"dateline/internal/store"
	"dateline/internal/story"
)

// SummaryCols and SummaryFrom select what a list item shows; scanSummary
// reads them in this order.
const SummaryCols = `s.id, s.slug, s.language, s.type, s.headline, s.standfirst, s.word_count,
	s.first_published_at, s.updated_at,
	sec.id, sec.slug, sec.name,
	m.id, m.hash, m.width, m.height, s.lead_caption, s.lead_credit, s.lead_alt,
	src.id, src.slug, src.name, src.label, src.url`

const SummaryFrom = ` FROM stories s
	JOIN sections sec ON sec.id = s.section_id
	LEFT JOIN media m ON m.id = s.lead_media_id
	LEFT JOIN sources src ON src.id = s.source_id`

type Scanner interface{ Scan(...any) error }

// summaryRow is what ScanSummary scans into, in one allocation: as
// separate locals, each target escaped to the heap through Scan's
// arguments, 19 allocations a row.
type summaryRow struct {
	v                                         story.Summary
	first, updated, mid, mw, mh, srcID        sql.NullInt64
	mhash, srcSlug, srcName, srcLabel, srcURL sql.NullString
	caption, credit, alt                      string
	words                                     int
	dest                                      [40]any // SummaryCols, and room for a story's extra columns
}

func ScanSummary(sc Scanner, extra ...any) (story.Summary, error) {
	t := new(summaryRow)
	v := &t.v
	dest := append(t.dest[:0], &v.ID, &v.Slug, &v.Language, &v.Type, &v.Headline, &v.Standfirst, &t.words,
		&t.first, &t.updated, &v.Section.ID, &v.Section.Slug, &v.Section.Name,
		&t.mid, &t.mhash, &t.mw, &t.mh, &t.caption, &t.credit, &t.alt,
		&t.srcID, &t.srcSlug, &t.srcName, &t.srcLabel, &t.srcURL)
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return *v, err
	}
	v.FirstPublishedAt, v.UpdatedAt = FromMicro(t.first), FromMicro(t.updated)
	v.ReadingMinutes = story.MinutesForWords(t.words)
	if t.mid.Valid {
		v.Lead = &story.Image{MediaID: t.mid.Int64, Hash: t.mhash.String, Width: int(t.mw.Int64), Height: int(t.mh.Int64),
			Caption: t.caption, Credit: t.credit, Alt: t.alt}
	}
	if t.srcID.Valid {
		v.Source = &story.Source{ID: t.srcID.Int64, Slug: t.srcSlug.String, Name: t.srcName.String, Label: t.srcLabel.String, URL: t.srcURL.String}
	}
	return *v, nil
}

// Story returns the story with that id in any status, with its children
// (bylines, tags, related ids, notes) packed into the same row: one
// statement (packed.go).
func (c *Core) Story(ctx context.Context, id int64) (*story.Story, error) {
	var children string
	st, err := scanStory(c.d.ReadRow(ctx, c.q.story, id), &children)
	if err != nil {
		return nil, fmt.Errorf("story %d: %w", id, c.d.MapErr(err))
	}
	if err := unpackChildren(st, children); err != nil {
		return nil, fmt.Errorf("story %d: %w", id, err)
	}
	return st, nil
}

// addChild adds a child of st read by the children queries (a UNION ALL
// of bylines, tags, related ids and notes, tagged by kind) or from a
// packed column (packed.go).
func addChild(st *story.Story, kind string, ref int64, slug, name string, at int64) {
	switch kind {
	case "b":
		st.Bylines = append(st.Bylines, story.Byline{AuthorID: ref, AuthorSlug: slug, Name: name})
	case "t":
		st.Tags = append(st.Tags, story.Tag{ID: ref, Slug: slug, Name: name})
	case "r":
		st.Related = append(st.Related, ref)
	case "n":
		st.Notes = append(st.Notes, story.Note{Kind: slug, Text: name, At: FromMicro(sql.NullInt64{Int64: at, Valid: true})})
	}
}

// ListStories returns published stories matching q, newest first.
func (c *Core) ListStories(ctx context.Context, q store.ListQuery) ([]story.Summary, error) {
	sqlText, args := listSQL(c.q, q)
	out, err := c.summaries(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("list stories: %w", err)
	}
	return out, nil
}

// ListSQL is the SQL of ListStories in dialect d.
func ListSQL(d Dialect, q store.ListQuery) (string, []any) { return listSQL(newTexts(d), q) }

func listSQL(t *texts, q store.ListQuery) (string, []any) {
	if q.TagID > 0 || q.AuthorID > 0 {
		return listedSQL(t, q)
	}
	var b strings.Builder
	var args []any
	from := SummaryFrom
	if q.SectionID == 0 && q.SourceID == 0 {
		// The whole archive, newest first, walks stories_published, which
		// is in that order: the first rows are the answer. Named where the
		// dialect names indexes, because before ANALYZE SQLite would rather
		// sort everything from (status, modified_at).
		from = t.publishedFrom(0, 0)
	}
	b.WriteString("SELECT " + SummaryCols + from)
	b.WriteString(" WHERE s.status = 'published'")
	args = sectionSourceFilter(&b, args, q)
	if !q.After.IsZero() {
		at := Micro(q.After.At)
		b.WriteString(" AND (s.first_published_at < ? OR (s.first_published_at = ? AND s.id < ?))")
		args = append(args, at, at, q.After.ID)
	}
	if len(q.Exclude) > 0 {
		b.WriteString(" AND s.id NOT IN (" + Placeholders(len(q.Exclude)) + ")")
		args = append(args, Int64Args(q.Exclude)...)
	}
	b.WriteString(" ORDER BY s.first_published_at DESC, s.id DESC LIMIT ?")
	args = append(args, ClampLimit(q.Limit))
	return b.String(), args
}

// sectionSourceFilter adds a list's section and source conditions on s.
func sectionSourceFilter(b *strings.Builder, args []any, q store.ListQuery) []any {
	if q.SectionID > 0 {
		b.WriteString(" AND s.section_id = ?")
		args = append(args, q.SectionID)
	}
	if q.SourceID > 0 {
		b.WriteString(" AND s.source_id = ?")
		args = append(args, q.SourceID)
	}
	return args
}

// listedSQL is listSQL for a tag's or an author's stories. It walks the
// tag's or author's run of story_tags_listed or story_bylines_listed
// (migration 0023), whose listed_at is the story's first_published_at
// while it is published, so the rows come in page order and the first
// ones are the answer, however many stories the tag or author has. The
// status test stays as a guard; a tag given with an author is a filter.
func listedSQL(t *texts, q store.ListQuery) (string, []any) {
	var b strings.Builder
	var args []any
	table, col, id := "story_tags", "tag_id", q.TagID
	if q.TagID == 0 {
		table, col, id = "story_bylines", "author_id", q.AuthorID
	}
	b.WriteString("SELECT " + SummaryCols + t.listedFrom(table))
	b.WriteString(" WHERE f." + col + " = ? AND f.listed_at IS NOT NULL AND s.id = f.story_id AND s.status = 'published'")
	args = append(args, id)
	if q.TagID == 0 {
		b.WriteString(firstByline)
	}
	if q.TagID > 0 && q.AuthorID > 0 {
		b.WriteString(" AND EXISTS (SELECT 1 FROM story_bylines fb WHERE fb.story_id = s.id AND fb.author_id = ?)")
		args = append(args, q.AuthorID)
	}
	args = sectionSourceFilter(&b, args, q)
	if !q.After.IsZero() {
		// The first term bounds the index range on both planners; the
		// second only sorts out the stories of the cursor's own moment.
		at := Micro(q.After.At)
		b.WriteString(" AND f.listed_at <= ? AND (f.listed_at < ? OR f.story_id < ?)")
		args = append(args, at, at, q.After.ID)
	}
	if len(q.Exclude) > 0 {
		b.WriteString(" AND f.story_id NOT IN (" + Placeholders(len(q.Exclude)) + ")")
		args = append(args, Int64Args(q.Exclude)...)
	}
	b.WriteString(" ORDER BY f.listed_at DESC, f.story_id DESC LIMIT ?")
	args = append(args, ClampLimit(q.Limit))
	return b.String(), args
}

// firstByline keeps, of an author's bylines on one story, the first: a
// story that names its author twice is listed once. One seek into the
// story's few bylines per row read.
const firstByline = ` AND NOT EXISTS (SELECT 1 FROM story_bylines f2
	WHERE f2.story_id = f.story_id AND f2.author_id = f.author_id AND f2.position < f.position)`

// SectionFronts returns up to n newest published stories of each section.
// One query: a UNION ALL of per-section index seeks, so the cost grows with
// the number of sections, never with the archive.
func (c *Core) SectionFronts(ctx context.Context, sectionIDs []int64, n int, exclude []int64) (map[int64][]story.Summary, error) {
	out := make(map[int64][]story.Summary, len(sectionIDs))
	if len(sectionIDs) == 0 {
		return out, nil
	}
	var b strings.Builder
	var args []any
	notIn := ""
	if len(exclude) > 0 {
		notIn = " AND s.id NOT IN (" + Placeholders(len(exclude)) + ")"
	}
	for i, id := range sectionIDs {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString("SELECT * FROM (SELECT " + SummaryCols + SummaryFrom +
			" WHERE s.status = 'published' AND s.section_id = ?" + notIn +
			" ORDER BY s.first_published_at DESC, s.id DESC LIMIT ?) AS f")
		args = append(args, id)
		args = append(args, Int64Args(exclude)...)
		args = append(args, n)
	}
	list, err := c.summaries(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("section fronts: %w", err)
	}
	for _, v := range list {
		out[v.Section.ID] = append(out[v.Section.ID], v)
	}
	return out, nil
}

// Summaries returns the published stories among ids, in the order of ids.
func (c *Core) Summaries(ctx context.Context, ids []int64) ([]story.Summary, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := c.summaries(ctx, "SELECT "+SummaryCols+SummaryFrom+
		" WHERE s.status = 'published' AND s.id IN ("+Placeholders(len(ids))+")", Int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("summaries: %w", err)
	}
	byID := make(map[int64]story.Summary, len(list))
	for _, v := range list {
		byID[v.ID] = v
	}
	out := make([]story.Summary, 0, len(list))
	for _, id := range ids {
		if v, ok := byID[id]; ok {
			out = append(out, v)
			delete(byID, id)
		}
	}
	return out, nil
}

// AutoRelated returns up to n published stories sharing tags or the
// section with st: most shared tags first, then same section, then newest.
func (c *Core) AutoRelated(ctx context.Context, st *story.Story, n int) ([]story.Summary, error) {
	tagIDs := make([]any, 0, len(st.Tags))
	for _, t := range st.Tags {
		tagIDs = append(tagIDs, t.ID)
	}
	args := []any{st.ID}
	shared := "0"
	if len(tagIDs) > 0 {
		shared = "(SELECT count(*) FROM story_tags x WHERE x.story_id = s.id AND x.tag_id IN (" + Placeholders(len(tagIDs)) + "))"
		args = append(tagIDs, args...)
	}
	// Candidates are bounded to the newest few hundred of the section and
	// of each shared tag, so the cost does not grow with the archive.
	q := "SELECT " + SummaryCols + ", " + shared + " AS shared" + SummaryFrom + `
		WHERE s.status = 'published' AND s.id <> ? AND s.id IN (
			SELECT id FROM (SELECT id FROM stories WHERE status = 'published' AND section_id = ?
				ORDER BY first_published_at DESC, id DESC LIMIT 200) AS recent`
	args = append(args, st.Section.ID)
	if len(tagIDs) > 0 {
		q += ` UNION SELECT story_id FROM story_tags WHERE tag_id IN (` + Placeholders(len(tagIDs)) + `)`
		args = append(args, tagIDs...)
	}
	q += `) ORDER BY shared DESC, (s.section_id = ?) DESC, s.first_published_at DESC, s.id DESC LIMIT ?`
	args = append(args, st.Section.ID, n)
	rows, err := c.d.Read(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("related to %d: %w", st.ID, err)
	}
	list, err := Collect(rows, true)
	if err != nil {
		return nil, fmt.Errorf("related to %d: %w", st.ID, err)
	}
	if err := c.AttachBylines(ctx, list); err != nil {
		return nil, fmt.Errorf("related to %d: %w", st.ID, err)
	}
	return list, nil
}

// CountStories returns the number of stories in any status.
func (c *Core) CountStories(ctx context.Context) (int, error) {
	var n int
	if err := c.d.ReadRow(ctx, "SELECT count(*) FROM stories").Scan(&n); err != nil {
		return 0, fmt.Errorf("count stories: %w", err)
	}
	return n, nil
}

// summaries runs a summary query and attaches bylines with one more query.
func (c *Core) summaries(ctx context.Context, q string, args ...any) ([]story.Summary, error) {
	rows, err := c.d.Read(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	list, err := Collect(rows, false)
	if err != nil {
		return nil, err
	}
	if err := c.AttachBylines(ctx, list); err != nil {
		return nil, err
	}
	return list, nil
}

func Collect(rows *sql.Rows, withShared bool) ([]story.Summary, error) {
	defer rows.Close()
	var out []story.Summary
	for rows.Next() {
		var extra []any
		if withShared {
			extra = append(extra, new(int64))
		}
		v, err := ScanSummary(rows, extra...)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AttachBylines loads the bylines of every listed story in one query.
func (c *Core) AttachBylines(ctx context.Context, list []story.Summary) error {
	if len(list) == 0 {
		return nil
	}
	idx := make(map[int64][]int, len(list))
	ids := make([]any, 0, len(list))
	for i, v := range list {
		if _, ok := idx[v.ID]; !ok {
			ids = append(ids, v.ID)
		}
		idx[v.ID] = append(idx[v.ID], i)
	}
	rows, err := c.d.Read(ctx, `SELECT b.story_id, coalesce(b.author_id, 0), coalesce(a.slug, ''), b.name
		FROM story_bylines b LEFT JOIN authors a ON a.id = b.author_id
		WHERE b.story_id IN (`+Placeholders(len(ids))+`) ORDER BY b.story_id, b.position`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		var b story.Byline
		if err := rows.Scan(&sid, &b.AuthorID, &b.AuthorSlug, &b.Name); err != nil {
			return err
		}
		for _, i := range idx[sid] {
			list[i].Bylines = append(list[i].Bylines, b)
		}
	}
	return rows.Err()
}
