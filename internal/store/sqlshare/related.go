package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"

	"dateline/internal/search"
	"dateline/internal/store"
	"dateline/internal/story"
)

// Related stories are kept in story_auto_related, relatedKept per story,
// from signatures in story_terms (see migration 0006 and package search).
// Only published stories have signatures, so only they are ever related.
const (
	relatedKept = 12 // more than a page shows, so a killed story leaves slack
	// relatedNeighbours is how many of a newly published story's best
	// matches are offered it for their own lists.
	relatedNeighbours = 40
	// affectedRecomputed caps the lists redone at once when a story
	// leaves; the rest keep their slack until the next rebuild.
	affectedRecomputed = 16
)

// RelatedWindow bounds the scoring, the rebuild's and each save's: a
// story is scored against the RelatedWindow stories before it and the
// RelatedWindow after it, by id, among those sharing each term of its
// signature, not against every story with the term.
//
// Why a window, and why in stories: a signature term may be in up to
// search.MaxDF stories, 2% of the archive, so scoring every pair that
// shares a term costs the sum over terms of (stories with it)², about
// 2.6·10¹¹ posting visits at a million stories (the first try at a
// million ran out of its time box: bench/RESULTS.md); and one save visited
// every posting of its terms, up to 20,000 a term. With the window, a
// rebuild costs at most 2·RelatedWindow visits per signature term, linear
// in the archive, and a save at most that for its own ~22 terms, whatever
// the archive's size. Ids follow creation, so the window is the stories
// written nearest in time to this one, which for news is where its
// related story nearly always is (the same event, its follow-ups); a
// common term still relates stories of the same weeks, where an absolute
// cap on document frequency (dropping terms in more than N stories) would
// lose such topical terms altogether at a million stories. The window is
// counted in postings, not in ids, so it is symmetric (stories i and j
// are within it of each other or neither is), which the saves' offers to
// neighbours rely on; and a term in at most RelatedWindow+1 stories is
// scored whole, so every archive where search.MaxDF is at most that
// (under 25,000 stories at 500) gets exactly the lists it got before
// the window. A variable only so tests can use a small one.
var RelatedWindow = 500

// SmallArchive: up to this many published stories the lists are rebuilt
// in full whenever the archive has grown by a quarter, so word weights
// stay right while it is young (the demo, a new site); see
// youngArchiveGrew. A variable only so tests can exercise the incremental
// path alone.
var SmallArchive = 300

// RelateStory keeps the related lists current after st was written: the
// term counts move to its new text (or off it, when it is not published),
// its signature and list are replaced or removed, its best matches may
// take it into their lists, and stories that listed a story that left are
// recomputed.
func (c *Core) RelateStory(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	published := st.Status == story.StatusPublished
	if published && relatedDeferred(ctx) {
		return c.markRelatedStale(ctx, tx) // a bulk wire import: RebuildRelated does it once at the end
	}
	var p search.Profile
	var terms []string
	if published {
		p = search.NewProfile(st.Headline, st.Standfirst, story.BodyText(st.Body))
		terms = CountedTerms(p, st)
	}
	counts, docs, err := Recount(ctx, c.d, tx, st.ID, terms)
	if err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	if grown, err := c.youngArchiveGrew(ctx, tx, docs); err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	} else if grown {
		if _, err := c.rebuildLists(ctx, tx); err != nil {
			return fmt.Errorf("relate %d: %w", st.ID, err)
		}
		return nil
	}
	affected, err := Int64s(Query(ctx, c.d, tx, "SELECT story_id FROM story_auto_related WHERE related_id = ? ORDER BY score DESC", st.ID))
	if err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	for _, q := range []string{
		"DELETE FROM story_terms WHERE story_id = ?",
		"DELETE FROM story_auto_related WHERE story_id = ?",
		"DELETE FROM story_auto_related WHERE related_id = ?",
	} {
		if _, err := Exec(ctx, c.d, tx, q, st.ID); err != nil {
			return fmt.Errorf("relate %d: %w", st.ID, err)
		}
	}
	if !published {
		return c.recomputeLists(ctx, tx, affected[:min(len(affected), affectedRecomputed)])
	}
	if err := c.insertTerms(ctx, tx, st.ID, SignatureOf(p, st, counts, docs)); err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	cands, err := c.candidates(ctx, tx, st.ID, st.Language)
	if err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	if err := c.insertList(ctx, tx, st.ID, cands[:min(len(cands), relatedKept)]); err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	if err := c.offerToNeighbours(ctx, tx, st.ID, cands[:min(len(cands), relatedNeighbours)]); err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	return nil
}

// youngArchiveGrew reports whether a small archive (at most SmallArchive
// published stories) has a quarter more or fewer stories than at its last
// rebuild: word weights move fast while an archive is young, so its lists
// are then rebuilt in full (milliseconds at that size); between such
// steps, and past that size, saves update them one story at a time.
func (c *Core) youngArchiveGrew(ctx context.Context, tx *sql.Tx, docs int) (bool, error) {
	if docs > SmallArchive {
		return false, nil
	}
	var built sql.NullString
	if err := QueryRow(ctx, c.d, tx, "SELECT (SELECT value FROM settings WHERE key = 'search.related_built')").Scan(&built); err != nil {
		return false, err
	}
	n, _ := strconv.Atoi(built.String)
	return n == 0 || docs*4 > n*5 || docs*5 < n*4, nil
}

func (c *Core) insertTerms(ctx context.Context, tx *sql.Tx, id int64, sig []search.Weighted) error {
	for _, w := range sig {
		if _, err := Exec(ctx, c.d, tx, "INSERT INTO story_terms (term, story_id, weight) VALUES (?, ?, ?)", w.Term, id, w.Weight); err != nil {
			return err
		}
	}
	return nil
}

func (c *Core) insertList(ctx context.Context, tx *sql.Tx, id int64, list []Scored) error {
	for _, cand := range list {
		if _, err := Exec(ctx, c.d, tx, "INSERT INTO story_auto_related (story_id, related_id, score) VALUES (?, ?, ?)", id, cand.ID, cand.Score); err != nil {
			return err
		}
	}
	return nil
}

// candidates scores the published stories that share a signature term
// with story id, best first: the dot product of the signatures, halved
// across languages (search.LanguageFactor), ties to the newer story. For
// each term only the RelatedWindow postings on either side of the story's
// own count (RelatedWindow): a range of the term's index entries between
// the RelatedWindow-th before and after it, found by two index walks of
// that length, so one save reads a bounded number of entries however
// many stories share its terms.
func (c *Core) candidates(ctx context.Context, q Querier, id int64, lang string) ([]Scored, error) {
	skip := max(RelatedWindow, 1) - 1
	rows, err := Query(ctx, c.d, q, `SELECT b.story_id, sum(a.weight * b.weight), x.language
		FROM (SELECT t.term, t.story_id, t.weight,
				coalesce((SELECT p.story_id FROM story_terms p WHERE p.term = t.term AND p.story_id < t.story_id
					ORDER BY p.story_id DESC LIMIT 1 OFFSET ?), 0) AS lo,
				coalesce((SELECT n.story_id FROM story_terms n WHERE n.term = t.term AND n.story_id > t.story_id
					ORDER BY n.story_id LIMIT 1 OFFSET ?), ?) AS hi
			FROM story_terms t WHERE t.story_id = ?) a
		JOIN story_terms b ON b.term = a.term AND b.story_id >= a.lo AND b.story_id <= a.hi AND b.story_id <> a.story_id
		JOIN stories x`+c.d.IndexedBy("stories_search_meta")+` ON x.id = b.story_id
		GROUP BY b.story_id, x.language`, skip, skip, int64(math.MaxInt64), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Scored
	for rows.Next() {
		var cand Scored
		var l string
		if err := rows.Scan(&cand.ID, &cand.Score, &l); err != nil {
			return nil, err
		}
		cand.Score *= search.LanguageFactor(lang, l)
		out = append(out, cand)
	}
	SortScored(out)
	return out, rows.Err()
}

// offerToNeighbours puts story id into each neighbour's list where it
// scores above the weakest entry, or the list has room: the measure is
// symmetric, so its score there is the one it has here.
func (c *Core) offerToNeighbours(ctx context.Context, tx *sql.Tx, id int64, neighbours []Scored) error {
	if len(neighbours) == 0 {
		return nil
	}
	ids := make([]int64, len(neighbours))
	for i, cand := range neighbours {
		ids[i] = cand.ID
	}
	type state struct {
		n   int
		min float64
	}
	lists := map[int64]state{}
	rows, err := Query(ctx, c.d, tx, "SELECT story_id, count(*), min(score) FROM story_auto_related WHERE story_id IN ("+
		Placeholders(len(ids))+") GROUP BY story_id", Int64Args(ids)...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var sid int64
		var st state
		if err := rows.Scan(&sid, &st.n, &st.min); err != nil {
			rows.Close()
			return err
		}
		lists[sid] = st
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, cand := range neighbours {
		st := lists[cand.ID]
		if st.n >= relatedKept && cand.Score <= st.min {
			continue
		}
		if _, err := Exec(ctx, c.d, tx, "INSERT INTO story_auto_related (story_id, related_id, score) VALUES (?, ?, ?)", cand.ID, id, cand.Score); err != nil {
			return err
		}
		if st.n >= relatedKept {
			if _, err := Exec(ctx, c.d, tx, `DELETE FROM story_auto_related WHERE story_id = ?1 AND related_id =
				(SELECT related_id FROM story_auto_related WHERE story_id = ?1 ORDER BY score, related_id LIMIT 1)`, cand.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// recomputeLists redoes the lists of the given published stories.
func (c *Core) recomputeLists(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := Query(ctx, c.d, tx, "SELECT id, language FROM stories WHERE status = 'published' AND id IN ("+Placeholders(len(ids))+")", Int64Args(ids)...)
	if err != nil {
		return err
	}
	langs := map[int64]string{}
	for rows.Next() {
		var id int64
		var l string
		if err := rows.Scan(&id, &l); err != nil {
			rows.Close()
			return err
		}
		langs[id] = l
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		l, ok := langs[id]
		if !ok {
			continue
		}
		cands, err := c.candidates(ctx, tx, id, l)
		if err != nil {
			return err
		}
		if _, err := Exec(ctx, c.d, tx, "DELETE FROM story_auto_related WHERE story_id = ?", id); err != nil {
			return err
		}
		if err := c.insertList(ctx, tx, id, cands[:min(len(cands), relatedKept)]); err != nil {
			return err
		}
	}
	return nil
}

// Related returns up to n published stories related to storyID: the
// editor's own choices first, in their order, then the precomputed ones,
// best first.
func (c *Core) Related(ctx context.Context, storyID int64, n int) ([]story.Summary, error) {
	rows, err := c.d.Read(ctx, "SELECT "+SummaryCols+", 0 AS k, r.position AS o"+SummaryFrom+`
			JOIN story_related r ON r.related_id = s.id
			WHERE r.story_id = ?1 AND s.id <> ?1 AND s.status = 'published'
		UNION ALL SELECT `+SummaryCols+", 1, -a.score"+SummaryFrom+`
			JOIN story_auto_related a ON a.related_id = s.id
			WHERE a.story_id = ?1 AND s.status = 'published'
			AND s.id NOT IN (SELECT related_id FROM story_related WHERE story_id = ?1)
		ORDER BY k, o LIMIT ?2`, storyID, ClampLimit(n))
	if err != nil {
		return nil, fmt.Errorf("related to %d: %w", storyID, err)
	}
	defer rows.Close()
	var out []story.Summary
	for rows.Next() {
		var k int
		var o float64
		v, err := ScanSummary(rows, &k, &o)
		if err != nil {
			return nil, fmt.Errorf("related to %d: %w", storyID, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("related to %d: %w", storyID, err)
	}
	if err := c.AttachBylines(ctx, out); err != nil {
		return nil, fmt.Errorf("related to %d: %w", storyID, err)
	}
	return out, nil
}

// ExploreStatement is the statement Explore runs for q, with its
// arguments; "" when q asks for nothing. The related part walks
// story_auto_related_rank in score order (migration 0024), so it reads
// only the rows it returns, each with its story's row.
func (c *Core) ExploreStatement(q store.ExploreQuery) (string, []any) {
	exclude := append([]int64{q.StoryID}, q.Exclude...)
	notIn := " AND s.id NOT IN (" + Placeholders(len(exclude)) + ")"
	ex := Int64Args(exclude)
	// limited is a part whose rows are chosen by ORDER BY ... LIMIT.
	limited := func(kind, from, rest string) string {
		return "SELECT x.*, " + packedBylines("x.bid") + " FROM (SELECT " + SummaryCols + ", '" + kind + "' AS kind, s.id AS bid" +
			from + rest + ") AS x"
	}
	var parts []string
	var args []any
	if len(q.Editor) > 0 {
		parts = append(parts, "SELECT "+SummaryCols+", 'e', s.id, "+packedBylines("s.id")+SummaryFrom+
			" WHERE s.status = 'published' AND s.id IN ("+Placeholders(len(q.Editor))+")"+notIn)
		args = append(append(args, Int64Args(q.Editor)...), ex...)
	}
	if q.Related > 0 {
		parts = append(parts, limited("r", SummaryFrom, " JOIN story_auto_related r ON r.related_id = s.id WHERE r.story_id = ? AND s.status = 'published'"+notIn+
			" ORDER BY r.score DESC, r.related_id DESC LIMIT ?"))
		args = append(append(append(args, q.StoryID), ex...), q.Related)
	}
	if q.Fresh > 0 {
		parts = append(parts, limited("f", c.q.publishedFrom(0, 0), " WHERE s.status = 'published'"+notIn+
			" ORDER BY s.first_published_at DESC, s.id DESC LIMIT ?"))
		args = append(append(args, ex...), q.Fresh)
	}
	if q.MostRead > 0 {
		parts = append(parts, limited("m", SummaryFrom, " JOIN (SELECT story_id, sum(views) AS n FROM story_views WHERE hour >= ? GROUP BY story_id) v ON v.story_id = s.id"+
			" WHERE s.status = 'published'"+notIn+" ORDER BY v.n DESC, s.id DESC LIMIT ?"))
		args = append(append(append(args, UnixHour(q.Since)), ex...), q.MostRead)
	}
	if len(parts) == 0 {
		return "", nil
	}
	return JoinUnion(parts), args
}

// Explore returns the editor's, related, newest and most-read stories in
// one statement: a UNION ALL of four small index walks, each tagged with
// its list, each row carrying its story's bylines (packedBylines). The
// bylines are taken on the rows each part returns: the parts with a
// LIMIT are wrapped, so that no planner computes them for candidates the
// LIMIT drops.
func (c *Core) Explore(ctx context.Context, q store.ExploreQuery) (store.ExploreResult, error) {
	var res store.ExploreResult
	sqlText, args := c.ExploreStatement(q)
	if sqlText == "" {
		return res, nil
	}
	rows, err := c.d.Read(ctx, sqlText, args...)
	if err != nil {
		return res, fmt.Errorf("explore %d: %w", q.StoryID, err)
	}
	defer rows.Close()
	editor := map[int64]story.Summary{}
	for rows.Next() {
		var kind, bylines string
		var bid int64
		v, err := ScanSummary(rows, &kind, &bid, &bylines)
		if err != nil {
			return res, fmt.Errorf("explore %d: %w", q.StoryID, err)
		}
		if v.Bylines, err = unpackBylines(bylines); err != nil {
			return res, fmt.Errorf("explore %d: bylines of %d: %w", q.StoryID, v.ID, err)
		}
		switch kind {
		case "e":
			editor[v.ID] = v
		case "r":
			res.Related = append(res.Related, v)
		case "f":
			res.Fresh = append(res.Fresh, v)
		case "m":
			res.MostRead = append(res.MostRead, v)
		}
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("explore %d: %w", q.StoryID, err)
	}
	for _, id := range q.Editor {
		if v, ok := editor[id]; ok {
			res.Editor = append(res.Editor, v)
			delete(editor, id)
		}
	}
	return res, nil
}

// deferRelatedKey marks a context whose story writes leave the related
// lists to RebuildRelated (store.WireApply.DeferRelated): RelateStory,
// deep under the story's insert or update, reads it.
type deferRelatedKey struct{}

// DeferRelated returns a context in which RelateStory only marks the
// lists stale: a bulk wire import rebuilds them once at the end.
func DeferRelated(ctx context.Context) context.Context {
	return context.WithValue(ctx, deferRelatedKey{}, true)
}

func relatedDeferred(ctx context.Context) bool {
	v, _ := ctx.Value(deferRelatedKey{}).(bool)
	return v
}

// markRelatedStale asks for a rebuild of the related lists (RelatedStale
// then says so), in the transaction of the write that skipped them.
func (c *Core) markRelatedStale(ctx context.Context, tx *sql.Tx) error {
	_, err := Exec(ctx, c.d, tx, `INSERT INTO settings (key, value) VALUES ('search.related_stale', '1')
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
	return err
}
