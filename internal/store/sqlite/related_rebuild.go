package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"dateline/internal/search"
	"dateline/internal/store"
)

// A rebuild reads every published story once, counts its terms and keys,
// computes all signatures and related lists in memory (an inverted index
// over the signatures makes the all-pairs scoring cost the number of
// shared terms, not stories²), then writes counts, profiles, signatures
// and lists.

// relDoc is a published story in a rebuild. Its terms are numbered in the
// rebuild's own dictionary.
type relDoc struct {
	id       int64
	lang     string
	base     int32 // base language, numbered, so pairs compare fast
	modified int64
	terms    []int32   // profile terms
	tf       []float32 // their weighted frequencies
	names    []bool
	keys     []int32 // tag and language keys
	sig      []termWeight
}

type termWeight struct {
	term int32
	w    float64
}

type rebuild struct {
	docs  []relDoc
	terms []string         // term number → term
	ids   map[string]int32 // term → number
	df    []int            // term number → published stories with it
}

// rawDoc is a story row on its way to a profile.
type rawDoc struct {
	doc                        relDoc
	headline, standfirst, body string
	tags                       []string
}

// dict numbers terms; each worker keeps its own, merged at the end, so
// no map is shared between goroutines.
type dict struct {
	ids   map[string]int32
	terms []string
	docs  []relDoc
}

func (d *dict) intern(t string) int32 {
	id, ok := d.ids[t]
	if !ok {
		id = int32(len(d.terms))
		d.ids[t] = id
		d.terms = append(d.terms, t)
	}
	return id
}

// loadRebuild reads the published stories and computes their profiles and
// signatures on every core. q is the transaction of a small-archive
// rebuild, or the database for a full one (a transaction would hold the
// write lock all along).
func loadRebuild(ctx context.Context, q querier) (*rebuild, error) {
	tags, err := publishedTags(ctx, q)
	if err != nil {
		return nil, err
	}
	work := make(chan *rawDoc, 256)
	dicts := make([]*dict, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range dicts {
		dc := &dict{ids: map[string]int32{}}
		dicts[w] = dc
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				p := search.NewProfile(d.headline, d.standfirst, bodyText(d.body))
				doc := d.doc
				doc.terms = make([]int32, len(p.Terms))
				doc.tf = make([]float32, len(p.Terms))
				for i, t := range p.Terms {
					doc.terms[i], doc.tf[i] = dc.intern(t), float32(p.TF[i])
				}
				doc.names = p.Name
				for _, slug := range d.tags {
					doc.keys = append(doc.keys, dc.intern(search.TagKey(slug)))
				}
				doc.keys = append(doc.keys, dc.intern(search.LangKey(doc.lang)))
				dc.docs = append(dc.docs, doc)
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
			d := &rawDoc{}
			if err := rows.Scan(&d.doc.id, &d.doc.lang, &d.doc.modified, &d.headline, &d.standfirst, &d.body); err != nil {
				return err
			}
			d.tags = tags[d.doc.id]
			work <- d
		}
		return rows.Err()
	}()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	rb := &rebuild{ids: map[string]int32{}}
	for _, dc := range dicts {
		to := make([]int32, len(dc.terms))
		for i, t := range dc.terms {
			id, ok := rb.ids[t]
			if !ok {
				id = int32(len(rb.terms))
				rb.ids[t] = id
				rb.terms = append(rb.terms, t)
			}
			to[i] = id
		}
		for _, doc := range dc.docs {
			for i, t := range doc.terms {
				doc.terms[i] = to[t]
			}
			for i, t := range doc.keys {
				doc.keys[i] = to[t]
			}
			rb.docs = append(rb.docs, doc)
		}
	}
	slices.SortFunc(rb.docs, func(a, b relDoc) int { return int(a.id - b.id) })
	rb.count()
	rb.signatures()
	return rb, nil
}

// count sets each term's number of stories, and numbers base languages.
func (rb *rebuild) count() {
	rb.df = make([]int, len(rb.terms))
	bases := map[string]int32{}
	for i := range rb.docs {
		d := &rb.docs[i]
		for _, t := range d.terms {
			rb.df[t]++
		}
		keys := slices.Clone(d.keys)
		slices.Sort(keys)
		for _, t := range slices.Compact(keys) {
			rb.df[t]++
		}
		b := search.BaseLang(d.lang)
		if _, ok := bases[b]; !ok {
			bases[b] = int32(len(bases))
		}
		d.base = bases[b]
	}
}

// signatures computes every story's signature, on every core.
func (rb *rebuild) signatures() {
	docs := len(rb.docs)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(rb.docs); i += workers {
				d := &rb.docs[i]
				p := search.Profile{Terms: make([]string, len(d.terms)), TF: make([]float64, len(d.terms)), Name: d.names}
				df := make([]int, len(d.terms))
				for j, t := range d.terms {
					p.Terms[j], p.TF[j], df[j] = rb.terms[t], float64(d.tf[j]), rb.df[t]
				}
				var keys []search.Key
				for _, k := range d.keys {
					keys = append(keys, search.Key{Term: rb.terms[k], DF: rb.df[k]})
				}
				sig := search.Signature(p, df, keepKeys(keys, docs), docs)
				d.sig = make([]termWeight, len(sig))
				for j, s := range sig {
					d.sig[j] = termWeight{rb.ids[s.Term], s.Weight}
				}
				// Only the signature needed the frequencies and name
				// flags; at a million stories they are gigabytes.
				d.tf, d.names = nil, nil
			}
		}()
	}
	wg.Wait()
}

// publishedTags returns the tag slugs of every published story.
func publishedTags(ctx context.Context, q querier) (map[int64][]string, error) {
	out := map[int64][]string{}
	err := eachRow(ctx, q, func(r *sql.Rows) error {
		var id int64
		var slug string
		err := r.Scan(&id, &slug)
		out[id] = append(out[id], slug)
		return err
	}, `SELECT st.story_id, t.slug FROM story_tags st
		JOIN tags t ON t.id = st.tag_id JOIN stories s ON s.id = st.story_id
		WHERE s.status = 'published' ORDER BY st.story_id, st.position`)
	return out, err
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
					c := scored{rb.docs[j].id, acc[j]}
					if rb.docs[j].base != d.base {
						c.score *= search.CrossLanguage
					}
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

// rebuildLists recomputes every signature and related list inside tx:
// the small-archive path, where it costs milliseconds. The term counts
// and profiles need no rewrite: every save keeps them exact (recount).
func rebuildLists(ctx context.Context, tx *sql.Tx) (int, error) {
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
	return len(rb.docs), markBuilt(ctx, tx, len(rb.docs))
}

// RebuildRelated recounts terms and recomputes every published story's
// signature and related list. It reads without holding the write lock and
// writes in chunks, each its own short transaction, so the newsroom can
// save stories meanwhile; a story changed since it was read keeps what its
// own save computed. (Counts moved by saves during a rebuild are
// overwritten; the next rebuild sets them right.)
func (s *Store) RebuildRelated(ctx context.Context) (int, error) {
	rb, err := loadRebuild(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	lists := rb.related(relatedKept)
	// One connection does the writing, set up for it and restored after:
	//   - cache_size: the chunks rewrite rows all over story_terms (it is
	//     ordered by term); with the default cache of a few megabytes each
	//     insert would read its page back from the file.
	//   - temp_store in memory: each multi-row insert keeps a statement
	//     journal of the pages it changes, a temporary file otherwise.
	//   - foreign_keys off: every row would look its story up in the
	//     stories table (big rows, rarely cached); writeChunk only writes
	//     rows for stories it has just seen published in the same
	//     transaction, which is the check the keys would make.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	defer conn.Close()
	var cache, temp int
	if err := conn.QueryRowContext(ctx, "SELECT * FROM pragma_cache_size, pragma_temp_store").Scan(&cache, &temp); err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	defer conn.ExecContext(context.Background(), "PRAGMA cache_size = "+strconv.Itoa(cache))
	defer conn.ExecContext(context.Background(), "PRAGMA temp_store = "+strconv.Itoa(temp))
	defer conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
	for _, p := range []string{"PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY", "PRAGMA foreign_keys = OFF"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return 0, fmt.Errorf("rebuild related: %w", err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	global, err := rb.writeCounts(ctx, tx)
	if err == nil {
		err = tx.Commit()
	}
	tx.Rollback()
	if err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	const chunk = 10000
	for from := 0; from < len(rb.docs); from += chunk {
		to := min(from+chunk, len(rb.docs))
		if err := rb.writeChunk(ctx, conn, global, rb.docs[from:to], lists[from:to]); err != nil {
			return 0, fmt.Errorf("rebuild related: %w", err)
		}
	}
	tx, err = conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	defer tx.Rollback()
	if err := markBuilt(ctx, tx, len(rb.docs)); err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	return len(rb.docs), nil
}

// writeCounts sets search_terms to the rebuild's counts and returns the
// table's id of every term.
func (rb *rebuild) writeCounts(ctx context.Context, tx *sql.Tx) (map[string]int64, error) {
	if _, err := exec(ctx, tx, "UPDATE search_terms SET docs = 0 WHERE docs <> 0"); err != nil {
		return nil, err
	}
	ins := newInserter(ctx, tx, "search_terms (term, docs)", 2,
		" ON CONFLICT (term) DO UPDATE SET docs = excluded.docs")
	if err := ins.add("", len(rb.docs)); err != nil {
		return nil, err
	}
	for i, t := range rb.terms {
		if err := ins.add(t, rb.df[i]); err != nil {
			return nil, err
		}
	}
	if err := ins.flush(); err != nil {
		return nil, err
	}
	global := make(map[string]int64, len(rb.terms))
	err := eachRow(ctx, tx, func(r *sql.Rows) error {
		var id int64
		var t string
		err := r.Scan(&id, &t)
		if _, ok := rb.ids[t]; ok {
			global[t] = id
		}
		return err
	}, "SELECT id, term FROM search_terms")
	return global, err
}

// profile is the stored form of a story's counted terms.
func (rb *rebuild) profile(global map[string]int64, d relDoc) []byte {
	ids := make([]int64, 0, len(d.terms)+len(d.keys))
	for _, t := range d.terms {
		ids = append(ids, global[rb.terms[t]])
	}
	for _, t := range d.keys {
		ids = append(ids, global[rb.terms[t]])
	}
	slices.Sort(ids)
	return encodeIDs(slices.Compact(ids))
}

// writeChunk replaces the profiles, signatures and lists of docs in one
// transaction, leaving out stories that changed since they were read.
// Most rows come out as they were, so rows are upserted (a value that did
// not change is not even written) and only those no longer wanted are
// deleted: a third of the page work of deleting and inserting everything.
func (rb *rebuild) writeChunk(ctx context.Context, conn *sql.Conn, global map[string]int64, docs []relDoc, lists [][]scored) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.id
	}
	current := map[int64]int64{}
	type pair struct {
		id  int64
		key string // a term, or a related id in decimal
	}
	oldTerms, oldRelated := map[pair]bool{}, map[pair]bool{}
	for _, part := range splitIDs(ids, 500) {
		in := "(" + placeholders(len(part)) + ")"
		err := eachRow(ctx, tx, func(r *sql.Rows) error {
			var id, mod int64
			err := r.Scan(&id, &mod)
			current[id] = mod
			return err
		}, "SELECT id, modified_at FROM stories WHERE status = 'published' AND id IN "+in, int64Args(part)...)
		if err == nil {
			err = eachRow(ctx, tx, func(r *sql.Rows) error {
				var p pair
				err := r.Scan(&p.id, &p.key)
				oldTerms[p] = true
				return err
			}, "SELECT story_id, term FROM story_terms WHERE story_id IN "+in, int64Args(part)...)
		}
		if err == nil {
			err = eachRow(ctx, tx, func(r *sql.Rows) error {
				var p pair
				var rel int64
				err := r.Scan(&p.id, &rel)
				p.key = strconv.FormatInt(rel, 10)
				oldRelated[p] = true
				return err
			}, "SELECT story_id, related_id FROM story_auto_related WHERE story_id IN "+in, int64Args(part)...)
		}
		if err != nil {
			return err
		}
	}
	type termRow struct {
		term int32
		id   int64
		w    float64
	}
	var terms []termRow
	var related [][3]any
	profiles := newInserter(ctx, tx, "story_profiles (story_id, terms)", 2,
		" ON CONFLICT (story_id) DO UPDATE SET terms = excluded.terms WHERE terms <> excluded.terms")
	for i, d := range docs {
		if mod, ok := current[d.id]; !ok || mod != d.modified {
			continue
		}
		if err := profiles.add(d.id, rb.profile(global, d)); err != nil {
			return err
		}
		for _, tw := range d.sig {
			terms = append(terms, termRow{tw.term, d.id, tw.w})
			delete(oldTerms, pair{d.id, rb.terms[tw.term]})
		}
		for _, c := range lists[i] {
			related = append(related, [3]any{d.id, c.id, c.score})
			delete(oldRelated, pair{d.id, strconv.FormatInt(c.id, 10)})
		}
	}
	if err := profiles.flush(); err != nil {
		return err
	}
	profiles.close()
	// In the table's own order, so consecutive rows land on the same pages.
	sort.Slice(terms, func(i, j int) bool {
		a, b := rb.terms[terms[i].term], rb.terms[terms[j].term]
		return a < b || a == b && terms[i].id < terms[j].id
	})
	ins := newInserter(ctx, tx, "story_terms (term, story_id, weight)", 3,
		" ON CONFLICT (term, story_id) DO UPDATE SET weight = excluded.weight WHERE weight <> excluded.weight")
	for _, r := range terms {
		if err := ins.add(rb.terms[r.term], r.id, r.w); err != nil {
			return err
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	ins.close()
	ins = newInserter(ctx, tx, "story_auto_related (story_id, related_id, score)", 3,
		" ON CONFLICT (story_id, related_id) DO UPDATE SET score = excluded.score WHERE score <> excluded.score")
	for _, r := range related {
		if err := ins.add(r[:]...); err != nil {
			return err
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	ins.close()
	// Stale rows go, many a statement.
	for _, stale := range []struct {
		rows  map[pair]bool
		sql   string
		value func(pair) any
	}{
		{oldTerms, "DELETE FROM story_terms WHERE (story_id, term) IN (VALUES ", func(p pair) any { return p.key }},
		{oldRelated, "DELETE FROM story_auto_related WHERE (story_id, related_id) IN (VALUES ", func(p pair) any {
			n, _ := strconv.ParseInt(p.key, 10, 64)
			return n
		}},
	} {
		var args []any
		flush := func() error {
			if len(args) == 0 {
				return nil
			}
			_, err := exec(ctx, tx, stale.sql+repeatJoin("(?, ?)", len(args)/2)+")", args...)
			args = args[:0]
			return err
		}
		for p := range stale.rows {
			if args = append(args, p.id, stale.value(p)); len(args) == 2*rowsPerInsert {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// eachRow runs a query and calls fn for each row.
func eachRow(ctx context.Context, q querier, fn func(*sql.Rows) error, sqlText string, args ...any) error {
	rows, err := query(ctx, q, sqlText, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// write inserts signatures and lists into emptied tables, many rows a
// statement.
func (rb *rebuild) write(ctx context.Context, tx *sql.Tx, docs []relDoc, lists [][]scored) error {
	ins := newInserter(ctx, tx, "story_terms (term, story_id, weight)", 3, "")
	for _, d := range docs {
		for _, tw := range d.sig {
			if err := ins.add(rb.terms[tw.term], d.id, tw.w); err != nil {
				return err
			}
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	ins = newInserter(ctx, tx, "story_auto_related (story_id, related_id, score)", 3, "")
	for i, d := range docs {
		for _, c := range lists[i] {
			if err := ins.add(d.id, c.id, c.score); err != nil {
				return err
			}
		}
	}
	return ins.flush()
}

// inserter batches rows into multi-row INSERT statements, with an
// optional conflict clause. A full batch always has the same text, so it
// is prepared once: parsing a 300-row statement costs more than running it.
type inserter struct {
	ctx        context.Context
	tx         *sql.Tx
	table, end string
	row        string // "(?, ?, ?)"
	b          strings.Builder
	args       []any
	n          int
	full       *sql.Stmt
}

const rowsPerInsert = 300

func newInserter(ctx context.Context, tx *sql.Tx, table string, columns int, onConflict string) *inserter {
	return &inserter{ctx: ctx, tx: tx, table: table, end: onConflict, row: "(" + placeholders(columns) + ")"}
}

func (in *inserter) add(values ...any) error {
	if in.n > 0 {
		in.b.WriteString(", ")
	}
	in.b.WriteString(in.row)
	in.args = append(in.args, values...)
	if in.n++; in.n == rowsPerInsert {
		return in.flush()
	}
	return nil
}

func (in *inserter) flush() error {
	if in.n == 0 {
		return nil
	}
	text := "INSERT INTO " + in.table + " VALUES " + in.b.String() + in.end
	var err error
	switch {
	case in.n < rowsPerInsert:
		_, err = exec(in.ctx, in.tx, text, in.args...)
	default:
		if in.full == nil {
			if in.full, err = in.tx.PrepareContext(in.ctx, text); err != nil {
				return err
			}
		}
		store.CountQuery(in.ctx)
		_, err = in.full.ExecContext(in.ctx, in.args...)
	}
	in.b.Reset()
	in.args, in.n = in.args[:0], 0
	return err
}

// close releases the prepared statement; the transaction's end would too.
func (in *inserter) close() {
	if in.full != nil {
		in.full.Close()
	}
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

// markBuilt records that the lists are fresh, and for how many published
// stories, so RelatedStale can tell when word weights have drifted.
func markBuilt(ctx context.Context, tx *sql.Tx, docs int) error {
	for k, v := range map[string]string{"search.related_stale": "0", "search.related_built": strconv.Itoa(docs)} {
		if _, err := exec(ctx, tx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return err
		}
	}
	return nil
}

// RelatedStale reports whether a rebuild is due: a migration asked for
// one, or a large archive has more than doubled since the last (word
// weights depend on its size; a small one rebuilds as it goes).
func (s *Store) RelatedStale(ctx context.Context) (bool, error) {
	var stale, built sql.NullString
	var docs int
	err := s.readRow(ctx, `SELECT (SELECT value FROM settings WHERE key = 'search.related_stale'),
		(SELECT value FROM settings WHERE key = 'search.related_built'),
		(SELECT coalesce((SELECT docs FROM search_terms WHERE term = ''), 0))`).Scan(&stale, &built, &docs)
	if err != nil {
		return false, fmt.Errorf("related stale: %w", err)
	}
	if stale.String == "1" {
		return true, nil
	}
	n, _ := strconv.Atoi(built.String)
	return docs > smallArchive && docs > 2*n, nil
}
