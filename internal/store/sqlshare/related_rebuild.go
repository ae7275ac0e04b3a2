package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"dateline/internal/search"
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
	c     *Core
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
func (c *Core) loadRebuild(ctx context.Context, q Querier) (*rebuild, error) {
	tags, err := c.publishedTags(ctx, q)
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
				p := search.NewProfile(d.headline, d.standfirst, c.s.BodyText(d.body))
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
		rows, err := Query(ctx, c.d, q, `SELECT id, language, modified_at, headline, standfirst, body_json
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
	rb := &rebuild{c: c, ids: map[string]int32{}}
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
				sig := search.Signature(p, df, KeepKeys(keys, docs), docs)
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
func (c *Core) publishedTags(ctx context.Context, q Querier) (map[int64][]string, error) {
	out := map[int64][]string{}
	err := c.eachRow(ctx, q, func(r *sql.Rows) error {
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
func (rb *rebuild) related(k int) [][]Scored {
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
	out := make([][]Scored, len(rb.docs))
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
				best := make([]Scored, 0, k+1)
				for _, j := range touched {
					c := Scored{ID: rb.docs[j].id, Score: acc[j]}
					if rb.docs[j].base != d.base {
						c.Score *= search.CrossLanguage
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
func keepBest(best []Scored, c Scored, k int) []Scored {
	better := func(a, b Scored) bool { return a.Score > b.Score || a.Score == b.Score && a.ID > b.ID }
	if len(best) == k && !better(c, best[k-1]) {
		return best
	}
	i := len(best)
	for i > 0 && better(c, best[i-1]) {
		i--
	}
	best = append(best, Scored{})
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
func (c *Core) rebuildLists(ctx context.Context, tx *sql.Tx) (int, error) {
	rb, err := c.loadRebuild(ctx, tx)
	if err != nil {
		return 0, err
	}
	for _, q := range []string{"DELETE FROM story_terms", "DELETE FROM story_auto_related"} {
		if _, err := Exec(ctx, c.d, tx, q); err != nil {
			return 0, err
		}
	}
	if err := rb.write(ctx, tx, rb.docs, rb.related(relatedKept)); err != nil {
		return 0, err
	}
	return len(rb.docs), c.markBuilt(ctx, tx, len(rb.docs))
}

// RebuildRelated recounts terms and recomputes every published story's
// signature and related list. It reads without holding the write lock and
// writes in chunks, each its own short transaction, so the newsroom can
// save stories meanwhile; a story changed since it was read keeps what its
// own save computed. (Counts moved by saves during a rebuild are
// overwritten; the next rebuild sets them right.)
func (c *Core) RebuildRelated(ctx context.Context) (int, error) {
	rb, err := c.loadRebuild(ctx, c.db)
	if err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	lists := rb.related(relatedKept)
	// One connection does the writing, chunk after chunk, set up for it
	// by the dialect (Dialect.BulkWrite).
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	defer conn.Close()
	restore, err := c.d.BulkWrite(ctx, conn)
	if err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	defer restore()
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
	if err := c.markBuilt(ctx, tx, len(rb.docs)); err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	return len(rb.docs), nil
}
