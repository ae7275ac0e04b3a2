package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dateline/internal/search"
	"dateline/internal/store"
	"dateline/internal/story"
)

// Search: the query side of full-text search, the same on both stores.
// What each store's index is (SQLite's FTS5 table with bm25, PostgreSQL's
// tsvector with ts_rank) comes from its dialect: FullTextMatch and
// FullTextHits. Filling the index stays in each store.

// Ranking. Among equals the newer story wins: the relevance is raised by
// up to a quarter for a story published now, by half that for one a month
// old, fading with age.
const (
	recencyBoost  = 0.25
	recencyMicros = 30 * 24 * 3600 * 1e6 // the boost halves after a month
	snippetWords  = 32
	// searchWindow is how many of the newest matches a search scores.
	searchWindow = 1000
)

// Search returns published stories matching q, best first.
func (c *Core) Search(ctx context.Context, q string, limit int) ([]story.Summary, error) {
	res, err := c.SearchStories(ctx, store.SearchQuery{Text: q, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]story.Summary, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.Summary
	}
	return out, nil
}

// SearchStories runs q: strictly (every word), then with typing slips
// corrected, then relaxed (any word), stopping at the first that finds
// something. Later pages run the mode the first page settled on, recorded
// in the cursor.
func (c *Core) SearchStories(ctx context.Context, q store.SearchQuery) (store.SearchResult, error) {
	pq := search.Parse(q.Text)
	res := store.SearchResult{Query: pq}
	if !pq.Searchable() {
		return res, nil
	}
	if bases := pq.Bases(); len(bases) > 0 {
		forms, err := c.SearchForms(ctx, bases)
		if err != nil {
			return res, fmt.Errorf("search %q: %w", q.Text, err)
		}
		pq = pq.Expand(forms)
		res.Query = pq
	}
	ref := q.After.Ref
	if ref.IsZero() {
		ref = c.now().UTC().Truncate(time.Second)
	}
	if !q.After.IsZero() {
		if q.After.Corrected {
			if cq, ok, err := c.CorrectQuery(ctx, pq); err != nil {
				return res, fmt.Errorf("search %q: %w", q.Text, err)
			} else if ok {
				pq, res.Query, res.Corrected = cq, cq, true
			}
		}
		res.Relaxed = q.After.Relaxed
		return c.searchPage(ctx, q, pq, res, ref)
	}
	try := func(pq search.Query, relaxed, corrected bool) (store.SearchResult, error) {
		r := res
		r.Query, r.Relaxed, r.Corrected = pq, relaxed, corrected
		return c.searchPage(ctx, q, pq, r, ref)
	}
	out, err := try(pq, false, false)
	if err != nil || len(out.Hits) > 0 {
		return out, err
	}
	cq, ok, err := c.CorrectQuery(ctx, pq)
	if err != nil {
		return out, fmt.Errorf("search %q: %w", q.Text, err)
	}
	if ok {
		if fixed, err := try(cq, false, true); err != nil || len(fixed.Hits) > 0 {
			return fixed, err
		}
	}
	if len(pq.Positive()) > 1 {
		return try(pq, true, false)
	}
	return out, nil
}

// searchPage runs one page of a search in one statement: the matches are
// scored through a covering index (never reading story rows), counted,
// and only the page's stories are read in full.
func (c *Core) searchPage(ctx context.Context, q store.SearchQuery, pq search.Query, res store.SearchResult, ref time.Time) (store.SearchResult, error) {
	match := c.d.FullTextMatch(pq, res.Relaxed)
	if match == "" {
		return res, nil
	}
	limit := ClampLimit(q.Limit)
	var args []any
	arg := func(v any) string { // numbered: the statement uses some twice
		args = append(args, v)
		return "?" + strconv.Itoa(len(args))
	}
	refArg, matchArg, window := arg(Micro(ref)), arg(match), arg(searchWindow)
	var where strings.Builder
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = []story.Status{story.StatusPublished}
	}
	where.WriteString(" AND x.status IN (")
	for i, st := range statuses {
		if i > 0 {
			where.WriteString(", ")
		}
		where.WriteString(arg(string(st)))
	}
	where.WriteString(")")
	if q.SectionID > 0 {
		where.WriteString(" AND x.section_id = " + arg(q.SectionID))
	}
	if q.Language != "" {
		where.WriteString(" AND x.language = " + arg(q.Language))
	}
	if !q.From.IsZero() {
		where.WriteString(" AND coalesce(x.first_published_at, x.created_at) >= " + arg(Micro(q.From)))
	}
	if !q.To.IsZero() {
		where.WriteString(" AND coalesce(x.first_published_at, x.created_at) < " + arg(Micro(q.To)))
	}
	after := ""
	if !q.After.IsZero() {
		sc := arg(q.After.Score)
		after = " WHERE h.score < " + sc + " OR (h.score = " + sc + " AND h.id < " + arg(q.After.ID) + ")"
	}
	from, key, cond, rank := c.d.FullTextHits(matchArg)
	age := "CAST(" + c.d.Greatest() + "(0, " + refArg + " - coalesce(x.first_published_at, x.created_at)) AS double precision)"
	// A word in much of the archive would have every one of its stories
	// scored; only the newest searchWindow matches are (among so many the
	// recent win anyway): "recent" finds where that window starts without
	// scoring, and the index then seeks past everything older.
	rows, err := c.d.Read(ctx, `WITH recent AS (
			SELECT `+key+` AS id FROM `+from+` WHERE `+cond+` ORDER BY `+key+` DESC LIMIT `+window+`),
		bound AS (SELECT CASE WHEN count(*) < `+window+` THEN 0 ELSE min(id) END AS b FROM recent),
		hits AS MATERIALIZED (
		SELECT `+key+` AS id,
			`+rank+` * (1.0 + `+fmt.Sprint(recencyBoost)+` / (1.0 + `+age+` / `+fmt.Sprint(recencyMicros)+`)) AS score
		FROM `+from+` JOIN stories x`+c.d.IndexedBy("stories_search_meta")+` ON x.id = `+key+`
		WHERE `+cond+` AND `+key+` >= (SELECT b FROM bound)`+where.String()+`)
		SELECT `+SummaryCols+`, (SELECT count(*) FROM hits), (SELECT b FROM bound) > 0, h.score, s.status, s.body_json
		FROM hits h JOIN stories s ON s.id = h.id
		JOIN sections sec ON sec.id = s.section_id
		LEFT JOIN media m ON m.id = s.lead_media_id
		LEFT JOIN sources src ON src.id = s.source_id`+after+`
		ORDER BY h.score DESC, h.id DESC LIMIT `+arg(limit+1), args...)
	if err != nil {
		return res, fmt.Errorf("search %q: %w", q.Text, err)
	}
	defer rows.Close()
	var sums []story.Summary
	for rows.Next() {
		var h store.SearchHit
		var status, body string
		sum, err := ScanSummary(rows, &res.Total, &res.More, &h.Score, &status, &body)
		if err != nil {
			return res, fmt.Errorf("search %q: %w", q.Text, err)
		}
		h.Summary, h.Status = sum, story.Status(status)
		h.Headline = pq.Highlight(sum.Headline)
		h.Snippet = snippet(pq, sum.Standfirst, body)
		res.Hits = append(res.Hits, h)
		sums = append(sums, sum)
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("search %q: %w", q.Text, err)
	}
	if len(res.Hits) > limit {
		res.Hits = res.Hits[:limit]
		sums = sums[:limit]
		last := res.Hits[limit-1]
		res.Next = store.SearchCursor{Ref: ref, Score: last.Score, ID: last.ID, Relaxed: res.Relaxed, Corrected: res.Corrected}
	}
	if err := c.AttachBylines(ctx, sums); err != nil {
		return res, fmt.Errorf("search %q: %w", q.Text, err)
	}
	for i := range res.Hits {
		res.Hits[i].Bylines = sums[i].Bylines
	}
	return res, nil
}

// snippet is the passage of the body that best matches; when the words
// matched elsewhere (headline, tags, names) it is the standfirst, which
// says best what the story is.
func snippet(pq search.Query, standfirst, bodyJSON string) []search.Fragment {
	sn := pq.Snippet(BodyText(bodyJSON), snippetWords)
	if hasHit(sn) || standfirst == "" {
		return sn
	}
	return pq.Snippet(standfirst, snippetWords*2)
}

func hasHit(fs []search.Fragment) bool {
	for _, f := range fs {
		if f.Hit {
			return true
		}
	}
	return false
}

// Languages returns the languages of published stories: a walk down an
// index, one seek per language, whatever the size of the archive.
func (c *Core) Languages(ctx context.Context) ([]string, error) {
	from := " FROM stories" + c.d.IndexedBy("stories_language")
	rows, err := c.d.Read(ctx, `WITH RECURSIVE l(x) AS (
		SELECT (SELECT min(language)`+from+` WHERE status = 'published')
		UNION ALL
		SELECT (SELECT min(language)`+from+` WHERE status = 'published' AND language > l.x) FROM l WHERE l.x IS NOT NULL)
		SELECT x FROM l WHERE x IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("languages: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, fmt.Errorf("languages: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// indexStory replaces the story's row in the store's full-text index and
// keeps the related lists current, inside tx.
func (c *Core) indexStory(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	if err := c.fill(ctx, tx, st); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if err := c.RelateStory(ctx, tx, st); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

// IndexedNames are the words a story's search index holds for who wrote
// it: the credited names, staff looked up by id, and the wire source.
func IndexedNames(ctx context.Context, d Dialect, tx *sql.Tx, st *story.Story) ([]string, error) {
	var names []string
	var ids []int64
	for _, b := range st.Bylines {
		switch {
		case b.Name != "":
			names = append(names, b.Name)
		case b.AuthorID > 0:
			ids = append(ids, b.AuthorID)
		}
	}
	if len(ids) > 0 {
		rows, err := Query(ctx, d, tx, "SELECT name FROM authors WHERE id IN ("+Placeholders(len(ids))+")", Int64Args(ids)...)
		err = EachRow(rows, err, func(r *sql.Rows) error {
			var n string
			err := r.Scan(&n)
			names = append(names, n)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if st.Source != nil {
		names = append(names, st.Source.Label, st.Source.Name)
	}
	return names, nil
}

// IndexedTags are the tag names a story's search index holds.
func IndexedTags(st *story.Story) []string {
	tags := make([]string, len(st.Tags))
	for i, t := range st.Tags {
		tags[i] = t.Name
	}
	return tags
}
