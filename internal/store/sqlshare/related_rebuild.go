package sqlshare

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"

	"dateline/internal/search"
)

// A rebuild reads every published story once, counts its terms and keys,
// then, chunk by chunk, computes signatures and writes them with the
// profiles, and last scores the pairs through an inverted index over the
// signatures and writes the lists, chunk by chunk again. Each story pairs
// only with its RelatedWindow neighbours in each shared term's postings
// (see RelatedWindow), so the scoring costs at most 2·RelatedWindow
// visits per signature term: linear in the archive.
//
// Memory, at a million stories: what is held for every story at once is
// its profile packed as varints (dict.pack: a few hundred bytes, dropped
// once its signature and profile are written), its signature (about 22
// terms, 12 bytes each, in one array for all stories) and the postings
// (12 bytes an entry); lists are written as each chunk is scored, never
// held for the archive.

// relDoc is a published story in a rebuild. Its terms are numbered in the
// rebuild's own dictionary (keys) or in its worker's (packed).
type relDoc struct {
	id       int64
	modified int64
	lang     string
	base     int32 // base language, numbered, so pairs compare fast
	dict     uint8 // the worker dictionary that numbered packed's terms
	// packed is the profile (dict.pack); nil once the signature and
	// profile are written.
	packed []byte
	keys   []int32 // tag and language keys
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
	local [][]int32        // worker dictionary → its term number → term number
	// The signatures, story after story in one run each (docs[i]'s are
	// at sigStart[i]:sigStart[i+1]): 12 bytes a term, no slice a story.
	sigStart []int32
	sigTerm  []int32
	sigW     []float64
}

// sig returns the signature of docs[i]: its terms and their weights.
func (rb *rebuild) sig(i int) ([]int32, []float64) {
	a, b := rb.sigStart[i], rb.sigStart[i+1]
	return rb.sigTerm[a:b], rb.sigW[a:b]
}

// addSig appends the signature of the next story.
func (rb *rebuild) addSig(sig []termWeight) {
	if len(rb.sigStart) == 0 {
		rb.sigStart = append(rb.sigStart, 0)
	}
	for _, tw := range sig {
		rb.sigTerm, rb.sigW = append(rb.sigTerm, tw.term), append(rb.sigW, tw.w)
	}
	rb.sigStart = append(rb.sigStart, int32(len(rb.sigTerm)))
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

// pack encodes a profile in a worker's dictionary, exactly as long as it
// needs (it is held for every story until its signature is written):
// the terms in order of their numbers, each as uvarint(the difference
// from the previous number) then uvarint(2·frequency + 1 if a name).
// Frequencies are sums of field weights (3, 2, 1), whole numbers, so they
// pack exactly. scratch is the worker's, reused.
func (d *dict) pack(p search.Profile, scratch *packScratch) []byte {
	s := scratch.terms[:0]
	for i, t := range p.Terms {
		v := uint64(p.TF[i]) * 2
		if p.Name[i] {
			v++
		}
		s = append(s, [2]uint64{uint64(d.intern(t)), v})
	}
	slices.SortFunc(s, func(a, b [2]uint64) int { return int(a[0]) - int(b[0]) })
	b := scratch.bytes[:0]
	var prev uint64
	for _, tv := range s {
		b = binary.AppendUvarint(b, tv[0]-prev)
		b = binary.AppendUvarint(b, tv[1])
		prev = tv[0]
	}
	scratch.terms, scratch.bytes = s, b
	return slices.Clone(b)
}

// packScratch is a worker's buffers for pack.
type packScratch struct {
	terms [][2]uint64
	bytes []byte
}

// eachTerm calls fn with each profile term of d, numbered in the
// rebuild's dictionary, its frequency and name flag.
func (rb *rebuild) eachTerm(d *relDoc, fn func(term int32, tf float64, name bool)) {
	to := rb.local[d.dict]
	b := d.packed
	var t uint64
	for len(b) > 0 {
		delta, n := binary.Uvarint(b)
		b = b[n:]
		v, n := binary.Uvarint(b)
		b = b[n:]
		t += delta
		fn(to[t], float64(v/2), v%2 == 1)
	}
}

// loadRebuild reads the published stories, computes their profiles on
// every core and counts the terms. q is the transaction of a
// small-archive rebuild, or the database for a full one (a transaction
// would hold the write lock all along).
func (c *Core) loadRebuild(ctx context.Context, q Querier) (*rebuild, error) {
	tags, err := c.publishedTags(ctx, q)
	if err != nil {
		return nil, err
	}
	work := make(chan *rawDoc, 256)
	dicts := make([]*dict, min(runtime.GOMAXPROCS(0), 256))
	var wg sync.WaitGroup
	for w := range dicts {
		dc := &dict{ids: map[string]int32{}}
		dicts[w] = dc
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch packScratch
			for d := range work {
				p := search.NewProfile(d.headline, d.standfirst, BodyText(d.body))
				doc := d.doc
				doc.dict = uint8(w)
				doc.packed = dc.pack(p, &scratch)
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
		// status || '' keeps SQLite off the index on status, which would
		// give the stories in another order and sort them all, bodies and
		// all, before the first came back (18.5 s against 1.1 s at 100,000
		// stories); the table itself is read in id order.
		rows, err := Query(ctx, c.d, q, `SELECT id, language, modified_at, headline, standfirst, body_json
			FROM stories WHERE status || '' = 'published' ORDER BY id`)
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
			delete(tags, d.doc.id)
			work <- d
		}
		return rows.Err()
	}()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	rb := &rebuild{c: c, ids: map[string]int32{}, local: make([][]int32, len(dicts))}
	n := 0
	for _, dc := range dicts {
		n += len(dc.docs)
	}
	rb.docs = make([]relDoc, 0, n)
	for w, dc := range dicts {
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
		rb.local[w] = to
		for _, doc := range dc.docs {
			for i, t := range doc.keys {
				doc.keys[i] = to[t]
			}
			rb.docs = append(rb.docs, doc)
		}
		dicts[w] = nil
	}
	slices.SortFunc(rb.docs, func(a, b relDoc) int { return int(a.id - b.id) })
	rb.count()
	return rb, nil
}

// count sets each term's number of stories, and numbers base languages.
func (rb *rebuild) count() {
	rb.df = make([]int, len(rb.terms))
	bases := map[string]int32{}
	for i := range rb.docs {
		d := &rb.docs[i]
		rb.eachTerm(d, func(t int32, _ float64, _ bool) { rb.df[t]++ })
		keys := slices.Clone(d.keys)
		slices.Sort(keys)
		for _, t := range slices.Compact(keys) {
			rb.df[t]++
		}
		b := search.BaseLang(d.lang)
		if _, ok := bases[b]; !ok {
			bases[b] = int32(len(bases))
		}
		d.base, d.lang = bases[b], ""
	}
}

// signatures computes the signatures of docs[from:to], on every core,
// and appends them (from is the number of stories with one so far).
func (rb *rebuild) signatures(from, to int) {
	n := len(rb.docs)
	sigs := make([][]termWeight, to-from)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var p search.Profile
			var df []int
			for i := from + w; i < to; i += workers {
				d := &rb.docs[i]
				p.Terms, p.TF, p.Name, df = p.Terms[:0], p.TF[:0], p.Name[:0], df[:0]
				rb.eachTerm(d, func(t int32, tf float64, name bool) {
					p.Terms, p.TF, p.Name = append(p.Terms, rb.terms[t]), append(p.TF, tf), append(p.Name, name)
					df = append(df, rb.df[t])
				})
				keys := make([]search.Key, 0, len(d.keys))
				for _, k := range d.keys {
					keys = append(keys, search.Key{Term: rb.terms[k], DF: rb.df[k]})
				}
				sig := search.Signature(p, df, KeepKeys(keys, n), n)
				out := make([]termWeight, len(sig))
				for j, s := range sig {
					out[j] = termWeight{rb.ids[s.Term], s.Weight}
				}
				sigs[i-from] = out
			}
		}()
	}
	wg.Wait()
	for _, sig := range sigs {
		rb.addSig(sig)
	}
}

// publishedTags returns the tag slugs of every published story, in no
// order: a signature's keys are ranked by weight, then term (it read
// them in position order, which cost SQLite a sort of every tag row of
// the archive, minutes at a million stories).
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
		WHERE s.status = 'published'`)
	return out, err
}

// postings is the inverted index over the signatures, by term, each
// term's entries in story order (docs are sorted by id), with the weight
// beside the story: scoring reads them in a row (a reference into rb.sigW
// instead saved 4 bytes an entry and cost twice the time in cache misses).
type postings struct {
	start []int32 // term → its first entry; start[len(terms)] ends the last
	doc   []int32
	w     []float64
}

func (rb *rebuild) postings() postings {
	p := postings{start: make([]int32, len(rb.terms)+1)}
	for _, t := range rb.sigTerm {
		p.start[t+1]++
	}
	for t := range rb.terms {
		p.start[t+1] += p.start[t]
	}
	n := p.start[len(rb.terms)]
	p.doc, p.w = make([]int32, n), make([]float64, n)
	next := slices.Clone(p.start[:len(rb.terms)])
	for i := range rb.docs {
		for k := rb.sigStart[i]; k < rb.sigStart[i+1]; k++ {
			t := rb.sigTerm[k]
			p.doc[next[t]], p.w[next[t]] = int32(i), rb.sigW[k]
			next[t]++
		}
	}
	return p
}

// related scores docs[from:to] against their neighbours through the
// postings and keeps each one's best k, on every core: for each
// signature term, the RelatedWindow entries before the story's own and
// the RelatedWindow after it (all of them for a term in at most
// RelatedWindow+1 stories, as on any archive under 25,000 stories).
func (rb *rebuild) related(p postings, from, to, k int) [][]Scored {
	window := max(RelatedWindow, 1)
	out := make([][]Scored, to-from)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc := make([]float64, len(rb.docs))
			var touched []int32
			for i := from + w; i < to; i += workers {
				d := &rb.docs[i]
				touched = touched[:0]
				terms, weights := rb.sig(i)
				for k, term := range terms {
					w := weights[k]
					docs := p.doc[p.start[term]:p.start[term+1]]
					ws := p.w[p.start[term]:p.start[term+1]]
					r := sort.Search(len(docs), func(j int) bool { return docs[j] >= int32(i) })
					for j := max(0, r-window); j < min(len(docs), r+window+1); j++ {
						o := docs[j]
						if j == r {
							continue
						}
						if acc[o] == 0 {
							touched = append(touched, o)
						}
						acc[o] += w * ws[j]
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
				out[i-from] = best
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
	rb.signatures(0, len(rb.docs))
	for _, q := range []string{"DELETE FROM story_terms", "DELETE FROM story_auto_related"} {
		if _, err := Exec(ctx, c.d, tx, q); err != nil {
			return 0, err
		}
	}
	if err := rb.write(ctx, tx, rb.related(rb.postings(), 0, len(rb.docs), relatedKept)); err != nil {
		return 0, err
	}
	return len(rb.docs), c.markBuilt(ctx, tx, len(rb.docs))
}

// rebuildChunk is how many stories a rebuild writes a transaction.
const rebuildChunk = 10000

// RebuildRelated recounts terms and recomputes every published story's
// signature and related list. It reads without holding the write lock and
// writes in chunks, each its own short transaction, so the newsroom can
// save stories meanwhile; a story changed since it was read keeps what its
// own save computed. (Counts moved by saves during a rebuild are
// overwritten; the next rebuild sets them right.) Signatures and profiles
// are written first, chunk by chunk as they are computed, then the lists,
// chunk by chunk as they are scored.
func (c *Core) RebuildRelated(ctx context.Context) (int, error) {
	rb, err := c.loadRebuild(ctx, c.db)
	if err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
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
	for from := 0; from < len(rb.docs); from += rebuildChunk {
		to := min(from+rebuildChunk, len(rb.docs))
		rb.signatures(from, to)
		if err := rb.writeSignatures(ctx, conn, global, from, to); err != nil {
			return 0, fmt.Errorf("rebuild related: %w", err)
		}
	}
	p := rb.postings()
	for from := 0; from < len(rb.docs); from += rebuildChunk {
		to := min(from+rebuildChunk, len(rb.docs))
		if err := rb.writeLists(ctx, conn, rb.docs[from:to], rb.related(p, from, to, relatedKept)); err != nil {
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
