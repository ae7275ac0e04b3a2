package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dateline/internal/search"
	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// indexStory replaces the story's row in the full-text index, whatever its
// status (the newsroom searches drafts too), and keeps the related-story
// lists current.
func indexStory(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	if err := indexText(ctx, tx, st); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if err := relateStory(ctx, tx, st); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

// indexText replaces the story's row in the full-text index: a tsvector
// made in Go from the same folded terms the query side uses (tsvector.go).
func indexText(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	var tags []string
	for _, t := range st.Tags {
		tags = append(tags, t.Name)
	}
	names, err := bylineNames(ctx, tx, st.Bylines)
	if err != nil {
		return err
	}
	if st.Source != nil {
		names = append(names, st.Source.Label, st.Source.Name)
	}
	vec := tsvector([]weighted{
		{'A', search.IndexText(st.Headline)},
		{'B', search.IndexText(st.Standfirst)},
		{'D', search.IndexText(story.BodyText(st.Body))},
		{'B', search.IndexText(strings.Join(tags, " "))},
		{'C', search.IndexText(strings.Join(names, " "))},
	})
	_, err = exec(ctx, tx, `INSERT INTO story_search (id, tsv) VALUES (?, ?::tsvector)
		ON CONFLICT (id) DO UPDATE SET tsv = excluded.tsv`, st.ID, vec)
	return err
}

// bylineNames returns the credited names, looking up staff whose byline
// carries only their id.
func bylineNames(ctx context.Context, tx *sql.Tx, bylines []story.Byline) ([]string, error) {
	var names []string
	var ids []int64
	for _, b := range bylines {
		switch {
		case b.Name != "":
			names = append(names, b.Name)
		case b.AuthorID > 0:
			ids = append(ids, b.AuthorID)
		}
	}
	if len(ids) == 0 {
		return names, nil
	}
	rows, err := query(ctx, tx, "SELECT name FROM authors WHERE id IN ("+placeholders(len(ids))+")", int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// Search returns published stories matching q, best first.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]story.Summary, error) {
	res, err := s.SearchStories(ctx, store.SearchQuery{Text: q, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]story.Summary, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.Summary
	}
	return out, nil
}

// Ranking. Weights for ts_rank, in its order D, C, B, A: a word in the
// headline (A) counts ten times one in the body (D); standfirst and tags
// (B) and names (C) come between, as the SQLite store's bm25 weights
// have it. Among equals the newer story wins: the score is raised by up
// to a quarter for a story published now, by half that for one a month
// old, fading with age.
const (
	rankWeights   = "'{0.1, 0.4, 0.6, 1.0}'"
	recencyBoost  = 0.25
	recencyMicros = 30 * 24 * 3600 * 1e6 // the boost halves after a month
	snippetWords  = 32
	// searchWindow is how many of the newest matches a search scores.
	searchWindow = 1000
)

// SearchStories runs q: strictly (every word), then with typing slips
// corrected, then relaxed (any word), stopping at the first that finds
// something. Later pages run the mode the first page settled on, recorded
// in the cursor.
func (s *Store) SearchStories(ctx context.Context, q store.SearchQuery) (store.SearchResult, error) {
	pq := search.Parse(q.Text)
	res := store.SearchResult{Query: pq}
	if !pq.Searchable() {
		return res, nil
	}
	if bases := pq.Bases(); len(bases) > 0 {
		forms, err := s.SearchForms(ctx, bases)
		if err != nil {
			return res, fmt.Errorf("search %q: %w", q.Text, err)
		}
		pq = pq.Expand(forms)
		res.Query = pq
	}
	ref := q.After.Ref
	if ref.IsZero() {
		ref = s.now().UTC().Truncate(time.Second)
	}
	if !q.After.IsZero() {
		if q.After.Corrected {
			if cq, ok, err := s.CorrectQuery(ctx, pq); err != nil {
				return res, fmt.Errorf("search %q: %w", q.Text, err)
			} else if ok {
				pq, res.Query, res.Corrected = cq, cq, true
			}
		}
		res.Relaxed = q.After.Relaxed
		return s.searchPage(ctx, q, pq, res, ref)
	}
	try := func(pq search.Query, relaxed, corrected bool) (store.SearchResult, error) {
		r := res
		r.Query, r.Relaxed, r.Corrected = pq, relaxed, corrected
		return s.searchPage(ctx, q, pq, r, ref)
	}
	out, err := try(pq, false, false)
	if err != nil || len(out.Hits) > 0 {
		return out, err
	}
	cq, ok, err := s.CorrectQuery(ctx, pq)
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
func (s *Store) searchPage(ctx context.Context, q store.SearchQuery, pq search.Query, res store.SearchResult, ref time.Time) (store.SearchResult, error) {
	match := tsquery(pq, res.Relaxed)
	if match == "" {
		return res, nil
	}
	limit := clampLimit(q.Limit)
	var args []any
	arg := func(v any) string { // numbered: the statement uses some twice
		args = append(args, v)
		return "?" + strconv.Itoa(len(args))
	}
	refArg, matchArg, window := arg(micro(ref)), arg(match), arg(searchWindow)
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
		where.WriteString(" AND coalesce(x.first_published_at, x.created_at) >= " + arg(micro(q.From)))
	}
	if !q.To.IsZero() {
		where.WriteString(" AND coalesce(x.first_published_at, x.created_at) < " + arg(micro(q.To)))
	}
	after := ""
	if !q.After.IsZero() {
		sc := arg(q.After.Score)
		after = " WHERE h.score < " + sc + " OR (h.score = " + sc + " AND h.id < " + arg(q.After.ID) + ")"
	}
	// A word in much of the archive would have every one of its stories
	// scored; only the newest searchWindow matches are (among so many the
	// recent win anyway): "recent" finds where that window starts without
	// scoring, and the index then seeks past everything older.
	rows, err := s.read(ctx, `WITH recent AS (
			SELECT id FROM story_search WHERE tsv @@ `+matchArg+`::tsquery ORDER BY id DESC LIMIT `+window+`),
		bound AS (SELECT CASE WHEN count(*) < `+window+` THEN 0 ELSE min(id) END AS b FROM recent),
		hits AS MATERIALIZED (
		SELECT ss.id,
			ts_rank(`+rankWeights+`, ss.tsv, `+matchArg+`::tsquery)::float8 * (1.0 + `+fmt.Sprint(recencyBoost)+` /
				(1.0 + greatest(0, `+refArg+` - coalesce(x.first_published_at, x.created_at))::float8 / `+fmt.Sprint(recencyMicros)+`)) AS score
		FROM story_search ss JOIN stories x ON x.id = ss.id
		WHERE ss.tsv @@ `+matchArg+`::tsquery AND ss.id >= (SELECT b FROM bound)`+where.String()+`)
		SELECT `+summaryCols+`, (SELECT count(*) FROM hits), (SELECT b FROM bound) > 0, h.score, s.status, s.body_json
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
		sum, err := scanSummary(rows, &res.Total, &res.More, &h.Score, &status, &body)
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
	if err := s.attachBylines(ctx, sums); err != nil {
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
	sn := pq.Snippet(sqlshare.BodyText(bodyJSON), snippetWords)
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
func (s *Store) Languages(ctx context.Context) ([]string, error) {
	rows, err := s.read(ctx, `WITH RECURSIVE l(x) AS (
		SELECT (SELECT min(language) FROM stories WHERE status = 'published')
		UNION ALL
		SELECT (SELECT min(language) FROM stories WHERE status = 'published' AND language > l.x) FROM l WHERE l.x IS NOT NULL)
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
