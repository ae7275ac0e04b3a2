package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"dateline/internal/search"
)

// A rebuild computes every published story's signature and related list
// in memory, from one pass over the stories and the index vocabulary,
// then writes them in chunks: an inverted index over the signatures makes
// the all-pairs scoring cost the number of shared terms, not stories².

// relDoc is a published story in a rebuild.
type relDoc struct {
	id       int64
	lang     string
	modified int64
	sig      []termWeight
}

type termWeight struct {
	term int32
	w    float64
}

type rebuild struct {
	docs  []relDoc
	terms []string // term id → term
}

// rawDoc is a story row waiting for its signature.
type rawDoc struct {
	i                          int
	headline, standfirst, body string
	tags                       []string
}

// loadRebuild reads the published stories and computes their signatures
// on every core. q is the transaction of a small-archive rebuild, or the
// database for a full one (no transaction: it would hold the write lock).
func loadRebuild(ctx context.Context, q querier) (*rebuild, error) {
	var docsN int
	if err := queryRow(ctx, q, "SELECT coalesce(max(id), 0) FROM stories").Scan(&docsN); err != nil {
		return nil, err
	}
	df, err := allDocCounts(ctx, q)
	if err != nil {
		return nil, err
	}
	tagDF, err := tagCounts(ctx, q, nil)
	if err != nil {
		return nil, err
	}
	tags, err := publishedTags(ctx, q)
	if err != nil {
		return nil, err
	}
	rb := &rebuild{}
	sigs := [][]search.Weighted{}
	work := make(chan rawDoc, 256)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				p := search.NewProfile(d.headline, d.standfirst, bodyText(d.body))
				sig := search.Signature(p, d.tags, docsN, func(t string) int { return df[t] }, func(s string) int { return tagDF[s] })
				mu.Lock()
				sigs[d.i] = sig
				mu.Unlock()
			}
		}()
	}
	err = func() error {
		defer close(work)
		rows, err := query(ctx, q, `SELECT id, language, modified_at, headline, standfirst, body_json
			FROM stories WHERE status = 'published' ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d relDoc
			var raw rawDoc
			if err := rows.Scan(&d.id, &d.lang, &d.modified, &raw.headline, &raw.standfirst, &raw.body); err != nil {
				return err
			}
			raw.i, raw.tags = len(rb.docs), tags[d.id]
			rb.docs = append(rb.docs, d)
			mu.Lock()
			sigs = append(sigs, nil)
			mu.Unlock()
			work <- raw
		}
		return rows.Err()
	}()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	ids := map[string]int32{}
	for i, sig := range sigs {
		tw := make([]termWeight, len(sig))
		for j, w := range sig {
			id, ok := ids[w.Term]
			if !ok {
				id = int32(len(rb.terms))
				ids[w.Term] = id
				rb.terms = append(rb.terms, w.Term)
			}
			tw[j] = termWeight{id, w.Weight}
		}
		rb.docs[i].sig = tw
	}
	return rb, nil
}

// allDocCounts reads the whole index vocabulary with document counts.
func allDocCounts(ctx context.Context, q querier) (map[string]int, error) {
	rows, err := query(ctx, q, "SELECT term, doc FROM story_search_vocab")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, rows.Err()
}

// publishedTags returns the tag slugs of every published story.
func publishedTags(ctx context.Context, q querier) (map[int64][]string, error) {
	rows, err := query(ctx, q, `SELECT st.story_id, t.slug FROM story_tags st
		JOIN tags t ON t.id = st.tag_id JOIN stories s ON s.id = st.story_id
		WHERE s.status = 'published' ORDER BY st.story_id, st.position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var slug string
		if err := rows.Scan(&id, &slug); err != nil {
			return nil, err
		}
		out[id] = append(out[id], slug)
	}
	return out, rows.Err()
}

// related scores every pair of stories that share a term, through an
// inverted index, and keeps each story's best k, on every core.
func (rb *rebuild) related(k int) [][]scored {
	type posting struct {
		doc int32
		w   float64
	}
	postings := make([][]posting, len(rb.terms))
	for i, d := range rb.docs {
		for _, tw := range d.sig {
			postings[tw.term] = append(postings[tw.term], posting{int32(i), tw.w})
		}
	}
	out := make([][]scored, len(rb.docs))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc := make([]float64, len(rb.docs))
			var touched []int32
			for i := w; i < len(rb.docs); i += workers {
				d := rb.docs[i]
				touched = touched[:0]
				for _, tw := range d.sig {
					for _, p := range postings[tw.term] {
						if int(p.doc) == i {
							continue
						}
						if acc[p.doc] == 0 {
							touched = append(touched, p.doc)
						}
						acc[p.doc] += tw.w * p.w
					}
				}
				best := make([]scored, 0, k+1)
				for _, j := range touched {
					c := scored{rb.docs[j].id, acc[j] * search.LanguageFactor(d.lang, rb.docs[j].lang)}
					acc[j] = 0
					best = keepBest(best, c, k)
				}
				out[i] = best
			}
		}()
	}
	wg.Wait()
	return out
}

// keepBest inserts c into best (sorted, at most k long) if it belongs.
func keepBest(best []scored, c scored, k int) []scored {
	better := func(a, b scored) bool { return a.score > b.score || a.score == b.score && a.id > b.id }
	if len(best) == k && !better(c, best[k-1]) {
		return best
	}
	i := len(best)
	for i > 0 && better(c, best[i-1]) {
		i--
	}
	best = append(best, scored{})
	copy(best[i+1:], best[i:])
	best[i] = c
	if len(best) > k {
		best = best[:k]
	}
	return best
}

// rebuildAll rebuilds every list inside tx: the small-archive path, where
// it costs milliseconds.
func rebuildAll(ctx context.Context, tx *sql.Tx) (int, error) {
	rb, err := loadRebuild(ctx, tx)
	if err != nil {
		return 0, err
	}
	for _, q := range []string{"DELETE FROM story_terms", "DELETE FROM story_auto_related"} {
		if _, err := exec(ctx, tx, q); err != nil {
			return 0, err
		}
	}
	if err := rb.write(ctx, tx, rb.docs, rb.related(relatedKept)); err != nil {
		return 0, err
	}
	return len(rb.docs), markBuilt(ctx, tx)
}

// RebuildRelated recomputes every published story's related list. It
// reads without holding the write lock and writes in chunks, each its own
// short transaction, so the newsroom can save stories meanwhile; a story
// changed since it was read keeps what its own save computed.
func (s *Store) RebuildRelated(ctx context.Context) (int, error) {
	rb, err := loadRebuild(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	lists := rb.related(relatedKept)
	const chunk = 2000
	for from := 0; from < len(rb.docs); from += chunk {
		to := min(from+chunk, len(rb.docs))
		if err := s.writeChunk(ctx, rb, rb.docs[from:to], lists[from:to]); err != nil {
			return 0, fmt.Errorf("rebuild related: %w", err)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	defer tx.Rollback()
	if err := markBuilt(ctx, tx); err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	return len(rb.docs), nil
}

func (s *Store) writeChunk(ctx context.Context, rb *rebuild, docs []relDoc, lists [][]scored) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.id
	}
	current := map[int64]int64{}
	for _, part := range splitIDs(ids, 500) {
		rows, err := query(ctx, tx, "SELECT id, modified_at FROM stories WHERE status = 'published' AND id IN ("+placeholders(len(part))+")", int64Args(part)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, mod int64
			if err := rows.Scan(&id, &mod); err != nil {
				rows.Close()
				return err
			}
			current[id] = mod
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	var keepDocs []relDoc
	var keepLists [][]scored
	var keepIDs []int64
	for i, d := range docs {
		if mod, ok := current[d.id]; ok && mod == d.modified {
			keepDocs, keepLists, keepIDs = append(keepDocs, d), append(keepLists, lists[i]), append(keepIDs, d.id)
		}
	}
	for _, part := range splitIDs(keepIDs, 500) {
		for _, t := range []string{"story_terms", "story_auto_related"} {
			if _, err := exec(ctx, tx, "DELETE FROM "+t+" WHERE story_id IN ("+placeholders(len(part))+")", int64Args(part)...); err != nil {
				return err
			}
		}
	}
	if err := rb.write(ctx, tx, keepDocs, keepLists); err != nil {
		return err
	}
	return tx.Commit()
}

// write inserts the signatures and lists of docs, many rows a statement.
func (rb *rebuild) write(ctx context.Context, tx *sql.Tx, docs []relDoc, lists [][]scored) error {
	const rowsPer = 300
	var b strings.Builder
	var args []any
	n := 0
	flush := func(table string) error {
		if n == 0 {
			return nil
		}
		_, err := exec(ctx, tx, "INSERT INTO "+table+" VALUES "+b.String(), args...)
		b.Reset()
		args, n = args[:0], 0
		return err
	}
	add := func(table string, a ...any) error {
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?)")
		args = append(args, a...)
		if n++; n == rowsPer {
			return flush(table)
		}
		return nil
	}
	for _, d := range docs {
		for _, tw := range d.sig {
			if err := add("story_terms (term, story_id, weight)", rb.terms[tw.term], d.id, tw.w); err != nil {
				return err
			}
		}
	}
	if err := flush("story_terms (term, story_id, weight)"); err != nil {
		return err
	}
	for i, d := range docs {
		for _, c := range lists[i] {
			if err := add("story_auto_related (story_id, related_id, score)", d.id, c.id, c.score); err != nil {
				return err
			}
		}
	}
	return flush("story_auto_related (story_id, related_id, score)")
}

func splitIDs(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// markBuilt records that the lists are fresh, and for how large an
// archive, so RelatedStale can tell when word weights have drifted.
func markBuilt(ctx context.Context, tx *sql.Tx) error {
	var docs int
	if err := queryRow(ctx, tx, "SELECT coalesce(max(id), 0) FROM stories").Scan(&docs); err != nil {
		return err
	}
	for k, v := range map[string]string{"search.related_stale": "0", "search.related_built": strconv.Itoa(docs)} {
		if _, err := exec(ctx, tx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return err
		}
	}
	return nil
}

// RelatedStale reports whether a rebuild is due: a migration asked for
// one, or the archive has more than doubled since the last (word weights
// depend on its size).
func (s *Store) RelatedStale(ctx context.Context) (bool, error) {
	var stale, built sql.NullString
	var docs int
	err := s.readRow(ctx, `SELECT (SELECT value FROM settings WHERE key = 'search.related_stale'),
		(SELECT value FROM settings WHERE key = 'search.related_built'),
		(SELECT coalesce(max(id), 0) FROM stories)`).Scan(&stale, &built, &docs)
	if err != nil {
		return false, fmt.Errorf("related stale: %w", err)
	}
	if stale.String == "1" {
		return true, nil
	}
	n, _ := strconv.Atoi(built.String)
	return docs > smallArchive && docs > 2*n, nil
}
