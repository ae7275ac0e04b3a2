package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"dateline/internal/search"
	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
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

// smallArchive: up to this many published stories the lists are rebuilt
// in full whenever the archive has grown by a quarter, so word weights
// stay right while it is young (the demo, a new site); see
// youngArchiveGrew. A variable only so tests can exercise the incremental
// path alone.
var smallArchive = 300

// relateStory keeps the related lists current after st was written: the
// term counts move to its new text (or off it, when it is not published),
// its signature and list are replaced or removed, its best matches may
// take it into their lists, and stories that listed a story that left are
// recomputed.
func relateStory(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	published := st.Status == story.StatusPublished
	if published && relatedDeferred(ctx) {
		return markRelatedStale(ctx, tx) // a bulk wire import: RebuildRelated does it once at the end
	}
	var p search.Profile
	var terms []string
	if published {
		p = search.NewProfile(st.Headline, st.Standfirst, story.BodyText(st.Body))
		terms = countedTerms(p, st)
	}
	counts, docs, err := recount(ctx, tx, st.ID, terms)
	if err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	if grown, err := youngArchiveGrew(ctx, tx, docs); err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	} else if grown {
		if _, err := rebuildLists(ctx, tx); err != nil {
			return fmt.Errorf("relate %d: %w", st.ID, err)
		}
		return nil
	}
	affected, err := sqlshare.Int64s(query(ctx, tx, "SELECT story_id FROM story_auto_related WHERE related_id = ? ORDER BY score DESC", st.ID))
	if err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	for _, q := range []string{
		"DELETE FROM story_terms WHERE story_id = ?",
		"DELETE FROM story_auto_related WHERE story_id = ?",
		"DELETE FROM story_auto_related WHERE related_id = ?",
	} {
		if _, err := exec(ctx, tx, q, st.ID); err != nil {
			return fmt.Errorf("relate %d: %w", st.ID, err)
		}
	}
	if !published {
		return recomputeLists(ctx, tx, affected[:min(len(affected), affectedRecomputed)])
	}
	if err := insertTerms(ctx, tx, st.ID, sqlshare.SignatureOf(p, st, counts, docs)); err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	cands, err := candidates(ctx, tx, st.ID, st.Language)
	if err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	if err := insertList(ctx, tx, st.ID, cands[:min(len(cands), relatedKept)]); err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	if err := offerToNeighbours(ctx, tx, st.ID, cands[:min(len(cands), relatedNeighbours)]); err != nil {
		return fmt.Errorf("relate %d: %w", st.ID, err)
	}
	return nil
}

// youngArchiveGrew reports whether a small archive (at most smallArchive
// published stories) has a quarter more or fewer stories than at its last
// rebuild: word weights move fast while an archive is young, so its lists
// are then rebuilt in full (milliseconds at that size); between such
// steps, and past that size, saves update them one story at a time.
func youngArchiveGrew(ctx context.Context, tx *sql.Tx, docs int) (bool, error) {
	if docs > smallArchive {
		return false, nil
	}
	var built sql.NullString
	if err := queryRow(ctx, tx, "SELECT (SELECT value FROM settings WHERE key = 'search.related_built')").Scan(&built); err != nil {
		return false, err
	}
	n, _ := strconv.Atoi(built.String)
	return n == 0 || docs*4 > n*5 || docs*5 < n*4, nil
}

func insertTerms(ctx context.Context, tx *sql.Tx, id int64, sig []search.Weighted) error {
	for _, w := range sig {
		if _, err := exec(ctx, tx, "INSERT INTO story_terms (term, story_id, weight) VALUES (?, ?, ?)", w.Term, id, w.Weight); err != nil {
			return err
		}
	}
	return nil
}

func insertList(ctx context.Context, tx *sql.Tx, id int64, list []sqlshare.Scored) error {
	for _, c := range list {
		if _, err := exec(ctx, tx, "INSERT INTO story_auto_related (story_id, related_id, score) VALUES (?, ?, ?)", id, c.ID, c.Score); err != nil {
			return err
		}
	}
	return nil
}

// candidates scores every published story that shares a signature term
// with story id, best first: the dot product of the signatures, halved
// across languages (search.LanguageFactor), ties to the newer story.
func candidates(ctx context.Context, q querier, id int64, lang string) ([]sqlshare.Scored, error) {
	rows, err := query(ctx, q, `SELECT b.story_id, sum(a.weight * b.weight), x.language
		FROM story_terms a JOIN story_terms b ON b.term = a.term AND b.story_id <> a.story_id
		JOIN stories x ON x.id = b.story_id
		WHERE a.story_id = ? GROUP BY b.story_id, x.language`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sqlshare.Scored
	for rows.Next() {
		var c sqlshare.Scored
		var l string
		if err := rows.Scan(&c.ID, &c.Score, &l); err != nil {
			return nil, err
		}
		c.Score *= search.LanguageFactor(lang, l)
		out = append(out, c)
	}
	sqlshare.SortScored(out)
	return out, rows.Err()
}

// offerToNeighbours puts story id into each neighbour's list where it
// scores above the weakest entry, or the list has room: the measure is
// symmetric, so its score there is the one it has here.
func offerToNeighbours(ctx context.Context, tx *sql.Tx, id int64, neighbours []sqlshare.Scored) error {
	if len(neighbours) == 0 {
		return nil
	}
	ids := make([]int64, len(neighbours))
	for i, c := range neighbours {
		ids[i] = c.ID
	}
	type state struct {
		n   int
		min float64
	}
	lists := map[int64]state{}
	rows, err := query(ctx, tx, "SELECT story_id, count(*), min(score) FROM story_auto_related WHERE story_id IN ("+
		placeholders(len(ids))+") GROUP BY story_id", int64Args(ids)...)
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
	for _, c := range neighbours {
		st := lists[c.ID]
		if st.n >= relatedKept && c.Score <= st.min {
			continue
		}
		if _, err := exec(ctx, tx, "INSERT INTO story_auto_related (story_id, related_id, score) VALUES (?, ?, ?)", c.ID, id, c.Score); err != nil {
			return err
		}
		if st.n >= relatedKept {
			if _, err := exec(ctx, tx, `DELETE FROM story_auto_related WHERE story_id = ?1 AND related_id =
				(SELECT related_id FROM story_auto_related WHERE story_id = ?1 ORDER BY score, related_id LIMIT 1)`, c.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// recomputeLists redoes the lists of the given published stories.
func recomputeLists(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := query(ctx, tx, "SELECT id, language FROM stories WHERE status = 'published' AND id IN ("+placeholders(len(ids))+")", int64Args(ids)...)
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
		cands, err := candidates(ctx, tx, id, l)
		if err != nil {
			return err
		}
		if _, err := exec(ctx, tx, "DELETE FROM story_auto_related WHERE story_id = ?", id); err != nil {
			return err
		}
		if err := insertList(ctx, tx, id, cands[:min(len(cands), relatedKept)]); err != nil {
			return err
		}
	}
	return nil
}

// Related returns up to n published stories related to storyID: the
// editor's own choices first, in their order, then the precomputed ones,
// best first.
func (s *Store) Related(ctx context.Context, storyID int64, n int) ([]story.Summary, error) {
	rows, err := s.read(ctx, "SELECT "+summaryCols+", 0 AS k, r.position AS o"+summaryFrom+`
			JOIN story_related r ON r.related_id = s.id
			WHERE r.story_id = ?1 AND s.id <> ?1 AND s.status = 'published'
		UNION ALL SELECT `+summaryCols+", 1, -a.score"+summaryFrom+`
			JOIN story_auto_related a ON a.related_id = s.id
			WHERE a.story_id = ?1 AND s.status = 'published'
			AND s.id NOT IN (SELECT related_id FROM story_related WHERE story_id = ?1)
		ORDER BY k, o LIMIT ?2`, storyID, clampLimit(n))
	if err != nil {
		return nil, fmt.Errorf("related to %d: %w", storyID, err)
	}
	defer rows.Close()
	var out []story.Summary
	for rows.Next() {
		var k int
		var o float64
		v, err := scanSummary(rows, &k, &o)
		if err != nil {
			return nil, fmt.Errorf("related to %d: %w", storyID, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("related to %d: %w", storyID, err)
	}
	if err := s.attachBylines(ctx, out); err != nil {
		return nil, fmt.Errorf("related to %d: %w", storyID, err)
	}
	return out, nil
}

// Explore returns the editor's, related, newest and most-read stories in
// one statement (and one more for bylines): a UNION ALL of four small
// index walks, each tagged with its list.
func (s *Store) Explore(ctx context.Context, q store.ExploreQuery) (store.ExploreResult, error) {
	var res store.ExploreResult
	exclude := append([]int64{q.StoryID}, q.Exclude...)
	notIn := " AND s.id NOT IN (" + placeholders(len(exclude)) + ")"
	ex := int64Args(exclude)
	var parts []string
	var args []any
	if len(q.Editor) > 0 {
		parts = append(parts, "SELECT "+summaryCols+", 'e'"+summaryFrom+" WHERE s.status = 'published' AND s.id IN ("+placeholders(len(q.Editor))+")"+notIn)
		args = append(append(args, int64Args(q.Editor)...), ex...)
	}
	if q.Related > 0 {
		parts = append(parts, "SELECT * FROM (SELECT "+summaryCols+", 'r'"+summaryFrom+
			" JOIN story_auto_related r ON r.related_id = s.id WHERE r.story_id = ? AND s.status = 'published'"+notIn+
			" ORDER BY r.score DESC, s.id DESC LIMIT ?) AS r")
		args = append(append(append(args, q.StoryID), ex...), q.Related)
	}
	if q.Fresh > 0 {
		parts = append(parts, "SELECT * FROM (SELECT "+summaryCols+", 'f'"+summaryFrom+" WHERE s.status = 'published'"+notIn+
			" ORDER BY s.first_published_at DESC, s.id DESC LIMIT ?) AS f")
		args = append(append(args, ex...), q.Fresh)
	}
	if q.MostRead > 0 {
		parts = append(parts, "SELECT * FROM (SELECT "+summaryCols+", 'm'"+summaryFrom+
			" JOIN (SELECT story_id, sum(views) AS n FROM story_views WHERE hour >= ? GROUP BY story_id) v ON v.story_id = s.id"+
			" WHERE s.status = 'published'"+notIn+" ORDER BY v.n DESC, s.id DESC LIMIT ?) AS m")
		args = append(append(append(args, unixHour(q.Since)), ex...), q.MostRead)
	}
	if len(parts) == 0 {
		return res, nil
	}
	rows, err := s.read(ctx, sqlshare.JoinUnion(parts), args...)
	if err != nil {
		return res, fmt.Errorf("explore %d: %w", q.StoryID, err)
	}
	defer rows.Close()
	var all []story.Summary
	var kinds []string
	for rows.Next() {
		var kind string
		v, err := scanSummary(rows, &kind)
		if err != nil {
			return res, fmt.Errorf("explore %d: %w", q.StoryID, err)
		}
		all, kinds = append(all, v), append(kinds, kind)
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("explore %d: %w", q.StoryID, err)
	}
	if err := s.attachBylines(ctx, all); err != nil {
		return res, fmt.Errorf("explore %d: %w", q.StoryID, err)
	}
	editor := map[int64]story.Summary{}
	for i, v := range all {
		switch kinds[i] {
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
	for _, id := range q.Editor {
		if v, ok := editor[id]; ok {
			res.Editor = append(res.Editor, v)
			delete(editor, id)
		}
	}
	return res, nil
}
