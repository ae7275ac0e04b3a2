package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"dateline/internal/store"
	"dateline/internal/story"
)

// storyExtraCols are what a complete story adds to SummaryCols; scanStory
// reads them in this order.
const storyExtraCols = `, s.status, s.body_json, s.body_source, s.seo_title, s.seo_description, s.wire_id,
	s.wire_version, s.version, s.published_at, s.created_at, s.modified_at, s.word_count`

// scanStory reads SummaryCols and storyExtraCols, then into extra what
// follows them, into a story without its children (bylines, tags,
// related, notes).
func scanStory(sc Scanner, extra ...any) (*story.Story, error) {
	var st story.Story
	var body string
	var status, wireID sql.NullString
	var published, created, modified sql.NullInt64
	sum, err := ScanSummary(sc, append([]any{&status, &body, &st.BodySource, &st.SEOTitle, &st.SEODesc, &wireID,
		&st.WireVersion, &st.Version, &published, &created, &modified, &st.WordCount}, extra...)...)
	if err != nil {
		return nil, err
	}
	st.ID, st.Slug, st.Language, st.Type, st.Section = sum.ID, sum.Slug, sum.Language, sum.Type, sum.Section
	st.Headline, st.Standfirst, st.Lead, st.Source = sum.Headline, sum.Standfirst, sum.Lead, sum.Source
	st.FirstPublishedAt, st.UpdatedAt = sum.FirstPublishedAt, sum.UpdatedAt
	st.Status, st.WireID = story.Status(status.String), wireID.String
	st.PublishedAt, st.CreatedAt, st.ModifiedAt = FromMicro(published), FromMicro(created), FromMicro(modified)
	if st.Body, err = DecodeBody(body); err != nil {
		return nil, fmt.Errorf("story %d: body: %w", st.ID, err)
	}
	return &st, nil
}

// APIStories returns complete stories matching q: one query for the
// stories and one for all their children, whatever the page size.
func (c *Core) APIStories(ctx context.Context, q store.APIQuery) ([]*story.Story, error) {
	text, args := apiStoriesSQL(c.q, q)
	rows, err := c.d.Read(ctx, text, args...)
	if err != nil {
		return nil, fmt.Errorf("api stories: %w", err)
	}
	defer rows.Close()
	var out []*story.Story
	for rows.Next() {
		st, err := scanStory(rows)
		if err != nil {
			return nil, fmt.Errorf("api stories: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("api stories: %w", err)
	}
	if err := c.loadChildrenOf(ctx, out); err != nil {
		return nil, fmt.Errorf("api stories: %w", err)
	}
	return out, nil
}

// APIStoriesSQL builds the query for q in dialect d. The published list
// seeks the stories_published index; the change list seeks
// stories_modified.
func APIStoriesSQL(d Dialect, q store.APIQuery) (string, []any) { return apiStoriesSQL(newTexts(d), q) }

func apiStoriesSQL(t *texts, q store.APIQuery) (string, []any) {
	d := t.d
	var b strings.Builder
	var args []any
	from := SummaryFrom
	changes := !q.ChangedSince.IsZero()
	// A tag's or an author's published stories walk their listed index
	// in page order, as their pages do (listedSQL).
	listed := len(q.Statuses) == 0 && !changes && (q.TagID > 0 || q.AuthorID > 0)
	table, col, id := "story_tags", "tag_id", q.TagID
	if q.TagID == 0 {
		table, col, id = "story_bylines", "author_id", q.AuthorID
	}
	switch {
	case listed:
		from = t.listedFrom(table)
	case q.TagID == 0 && q.AuthorID == 0 && len(q.Statuses) == 0 && !changes:
		from = t.publishedFrom(q.SectionID, q.SourceID)
	}
	b.WriteString("SELECT " + SummaryCols + storyExtraCols + from)
	if listed {
		b.WriteString(" WHERE f." + col + " = ? AND f.listed_at IS NOT NULL AND s.id = f.story_id")
		args = append(args, id)
		if q.TagID == 0 {
			b.WriteString(firstByline)
		}
	} else {
		if q.TagID > 0 {
			b.WriteString(" JOIN story_tags ft ON ft.story_id = s.id AND ft.tag_id = ?")
			args = append(args, q.TagID)
		}
		b.WriteString(" WHERE 1 = 1")
	}
	if q.AuthorID > 0 && (!listed || q.TagID > 0) {
		b.WriteString(" AND EXISTS (SELECT 1 FROM story_bylines fb WHERE fb.story_id = s.id AND fb.author_id = ?)")
		args = append(args, q.AuthorID)
	}
	switch {
	case len(q.Statuses) > 0:
		b.WriteString(" AND s.status IN (" + Placeholders(len(q.Statuses)) + ")")
		for _, st := range q.Statuses {
			args = append(args, string(st))
		}
	case changes:
		// Taken down or sent back to the desk after being public: the
		// partner must learn of it to remove its copy.
		b.WriteString(" AND (s.status = 'published' OR s.first_published_at IS NOT NULL)")
	default:
		b.WriteString(" AND s.status = 'published'")
	}
	for _, f := range []struct {
		col string
		id  int64
	}{{"s.section_id", q.SectionID}, {"s.source_id", q.SourceID}} {
		if f.id > 0 {
			b.WriteString(" AND " + f.col + " = ?")
			args = append(args, f.id)
		}
	}
	if q.Language != "" {
		b.WriteString(" AND (lower(s.language) = ? OR lower(s.language) " + d.CaseLike() + " ? ESCAPE '\\')")
		args = append(args, q.Language, strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q.Language)+"-%")
	}
	if changes {
		since := Micro(q.ChangedSince)
		b.WriteString(" AND s.modified_at > ?")
		args = append(args, since)
		if !q.After.IsZero() {
			at := Micro(q.After.At)
			b.WriteString(" AND (s.modified_at > ? OR (s.modified_at = ? AND s.id > ?))")
			args = append(args, at, at, q.After.ID)
		}
		b.WriteString(" ORDER BY s.modified_at, s.id")
	} else if listed {
		if !q.After.IsZero() {
			at := Micro(q.After.At)
			b.WriteString(" AND f.listed_at <= ? AND (f.listed_at < ? OR f.story_id < ?)")
			args = append(args, at, at, q.After.ID)
		}
		b.WriteString(" ORDER BY f.listed_at DESC, f.story_id DESC")
	} else {
		key := "s.first_published_at"
		if len(q.Statuses) > 0 {
			key = "coalesce(s.first_published_at, s.created_at)"
		}
		if !q.After.IsZero() {
			at := Micro(q.After.At)
			b.WriteString(" AND (" + key + " < ? OR (" + key + " = ? AND s.id < ?))")
			args = append(args, at, at, q.After.ID)
		}
		b.WriteString(" ORDER BY " + key + " DESC, s.id DESC")
	}
	b.WriteString(" LIMIT ?")
	args = append(args, ClampLimit(q.Limit))
	return b.String(), args
}

// loadChildrenOf reads the bylines, tags, related ids and notes of every
// story in list with one query.
func (c *Core) loadChildrenOf(ctx context.Context, list []*story.Story) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*story.Story, len(list))
	ids := make([]any, 0, len(list))
	for _, st := range list {
		if _, ok := byID[st.ID]; !ok {
			ids = append(ids, st.ID)
		}
		byID[st.ID] = st
	}
	in := Placeholders(len(ids))
	args := make([]any, 0, 4*len(ids))
	for range 4 {
		args = append(args, ids...)
	}
	rows, err := c.d.Read(ctx, `
		SELECT b.story_id, 'b', b.position, coalesce(b.author_id, 0), coalesce(a.slug, ''), b.name, 0
			FROM story_bylines b LEFT JOIN authors a ON a.id = b.author_id WHERE b.story_id IN (`+in+`)
		UNION ALL SELECT st.story_id, 't', st.position, t.id, t.slug, t.name, 0
			FROM story_tags st JOIN tags t ON t.id = st.tag_id WHERE st.story_id IN (`+in+`)
		UNION ALL SELECT story_id, 'r', position, related_id, '', '', 0 FROM story_related WHERE story_id IN (`+in+`)
		UNION ALL SELECT story_id, 'n', id, 0, kind, text, at FROM story_notes WHERE story_id IN (`+in+`)
		ORDER BY 1, 2, 3`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sid, pos, ref, at int64
		var kind, slug, name string
		if err := rows.Scan(&sid, &kind, &pos, &ref, &slug, &name, &at); err != nil {
			return err
		}
		st := byID[sid]
		addChild(st, kind, ref, slug, name, at)
	}
	return rows.Err()
}

// APITags returns tags carried by at least one published story, by slug.
func (c *Core) APITags(ctx context.Context, afterSlug string, limit int) ([]story.Tag, error) {
	rows, err := c.d.Read(ctx, `SELECT t.id, t.slug, t.name FROM tags t
		WHERE t.slug > ? AND EXISTS (SELECT 1 FROM story_tags st JOIN stories s ON s.id = st.story_id
			WHERE st.tag_id = t.id AND s.status = 'published')
		ORDER BY t.slug LIMIT ?`, afterSlug, ClampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("api tags: %w", err)
	}
	defer rows.Close()
	var out []story.Tag
	for rows.Next() {
		var t story.Tag
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name); err != nil {
			return nil, fmt.Errorf("api tags: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("api tags: %w", err)
	}
	return out, nil
}
