package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"dateline/internal/search"
)

// A rebuild reads the published stories twice. The first read counts
// each term's stories (a signature's weights need every count before
// any signature); the second computes the signatures, chunk by chunk,
// while the chunk before is written with the stories' profiles. Last it
// scores the pairs through an inverted index over the signatures and
// writes the lists, chunk by chunk again. Each story pairs only with its
// RelatedWindow neighbours in each shared term's postings (see
// RelatedWindow), so the scoring costs at most 2·RelatedWindow visits
// per signature term: linear in the archive.
//
// Memory, at a million stories: what is held for every story is its id
// and modification time, its signature's terms (4 bytes each, about 22
// a story) and the postings: a story and a weight an entry, 12 bytes.
// A signature's weights are moved into the postings in place, never
// held twice; nothing else is held for the archive (reading the stories
// again costs a read where holding their profiles cost half a gigabyte).
// Lists are written as each chunk is scored.

// relDoc is a published story in a rebuild, as its first read found it.
type relDoc struct {
	id       int64
	modified int64
	base     int32 // base language, numbered, so pairs compare fast
}

type termWeight struct {
	term int32
	w    float64
}

// sigPageBits: the signatures are held in pages of 1<<sigPageBits
// entries, so they grow without copying (an array grown by append holds
// its old and new copies at once as it grows, at a million stories
// 22 million entries).
const sigPageBits = 16

// paged is an array grown a page at a time.
type paged[T int32 | float64] struct {
	bits  uint // a page holds 1<<bits entries
	pages [][]T
	n     int
}

func (a *paged[T]) append(v T) {
	if a.n>>a.bits == len(a.pages) {
		a.pages = append(a.pages, make([]T, 0, 1<<a.bits))
	}
	p := &a.pages[len(a.pages)-1]
	*p = append(*p, v)
	a.n++
}

func (a *paged[T]) at(i int) T { return a.pages[i>>a.bits][i&(1<<a.bits-1)] }

func (a *paged[T]) set(i int, v T) { a.pages[i>>a.bits][i&(1<<a.bits-1)] = v }

// run returns the entries from i to j, or to the end of i's page if it
// ends first.
func (a *paged[T]) run(i, j int) []T {
	p, off := a.pages[i>>a.bits], i&(1<<a.bits-1)
	return p[off : off+min(j-i, len(p)-off)]
}

type rebuild struct {
	c *Core
	// since is a modification time, in microseconds, before the first
	// read began: a story saved after it read was saved after since.
	// An hour before the start, so another process's clock may lag.
	since int64
	docs  []relDoc
	terms []string         // term number → term
	ids   map[string]int32 // term → number
	df    []int            // term number → published stories with it
	// The signatures, story after story (docs[i]'s are entries
	// sigStart[i] to sigStart[i+1]): the terms, and the weights until
	// postings moves them into the index.
	sigStart []int32
	sigTerm  paged[int32]
	sigW     paged[float64]
	// acc is each scoring worker's accumulator, one per story, kept
	// from chunk to chunk (it is left all zero).
	acc [][]float64
}

func newRebuild(c *Core) *rebuild {
	return &rebuild{c: c, since: Micro(c.now().Add(-time.Hour)), ids: map[string]int32{},
		sigTerm: paged[int32]{bits: sigPageBits}, sigW: paged[float64]{bits: sigPageBits}}
}

// sigLen is the length of docs[i]'s signature.
func (rb *rebuild) sigLen(i int) int { return int(rb.sigStart[i+1] - rb.sigStart[i]) }

// addSig appends the signature of the next story.
func (rb *rebuild) addSig(sig []termWeight) {
	if len(rb.sigStart) == 0 {
		rb.sigStart = append(rb.sigStart, 0)
	}
	for _, tw := range sig {
		rb.sigTerm.append(tw.term)
		rb.sigW.append(tw.w)
	}
	rb.sigStart = append(rb.sigStart, int32(rb.sigTerm.n))
}

// rawDoc is a story row on its way to a profile.
type rawDoc struct {
	id, modified               int64
	lang                       string
	headline, standfirst, body string
	tags                       []string
}

// RebuildPage is how many stories a rebuild reads a statement: each page
// is its own short read, so a rebuild never keeps SQLite's WAL from being
// checkpointed while it writes. A variable only so tests can read a small
// archive in several pages.
var RebuildPage = 500

// readPublished calls fn with each published story and its tags, in id
// order. q is the transaction of a small-archive rebuild, or the
// database for a full one.
func (c *Core) readPublished(ctx context.Context, q Querier, fn func(*rawDoc) error) error {
	after := int64(math.MinInt64)
	for {
		var page []*rawDoc
		// status || '' keeps SQLite off the index on status, which would
		// give the stories in another order and sort them, bodies and all;
		// the table itself is read in id order.
		err := c.eachRow(ctx, q, func(r *sql.Rows) error {
			d := &rawDoc{}
			page = append(page, d)
			return r.Scan(&d.id, &d.lang, &d.modified, &d.headline, &d.standfirst, &d.body)
		}, `SELECT id, language, modified_at, headline, standfirst, body_json
			FROM stories WHERE status || '' = 'published' AND id > ? ORDER BY id LIMIT ?`, after, RebuildPage)
		if err != nil || len(page) == 0 {
			return err
		}
		if err := c.pageTags(ctx, q, page); err != nil {
			return err
		}
		for _, d := range page {
			if err := fn(d); err != nil {
				return err
			}
		}
		if len(page) < RebuildPage {
			return nil
		}
		after = page[len(page)-1].id
	}
}

// pageTags sets the tags of a page of stories, read by the story_tags
// key between the page's first and last id (CROSS JOIN keeps SQLite on
// that key, instead of seeking each tag's range of the index by tag).
// A signature's keys are ranked by weight, then term, so their order
// does not matter.
func (c *Core) pageTags(ctx context.Context, q Querier, page []*rawDoc) error {
	byID := make(map[int64]*rawDoc, len(page))
	for _, d := range page {
		byID[d.id] = d
	}
	return c.eachRow(ctx, q, func(r *sql.Rows) error {
		var id int64
		var slug string
		err := r.Scan(&id, &slug)
		if d := byID[id]; d != nil {
			d.tags = append(d.tags, slug)
		}
		return err
	}, `SELECT st.story_id, t.slug FROM story_tags st CROSS JOIN tags t
		WHERE t.id = st.tag_id AND st.story_id BETWEEN ? AND ?`, page[0].id, page[len(page)-1].id)
}

// counter numbers and counts terms; each worker keeps its own, merged at
// the end, so no map is shared between goroutines.
type counter struct {
	ids   map[string]int32
	terms []string
	df    []int
}

func (k *counter) intern(t string) int32 {
	id, ok := k.ids[t]
	if !ok {
		id = int32(len(k.terms))
		k.ids[t] = id
		k.terms = append(k.terms, t)
		k.df = append(k.df, 0)
	}
	return id
}

// countTerms is a rebuild's first read: it lists the published stories
// and counts, for each term and key, the stories with it, profiling them
// on every core.
func (c *Core) countTerms(ctx context.Context, q Querier) (*rebuild, error) {
	rb := newRebuild(c)
	work := make(chan *rawDoc, 256)
	counters := make([]*counter, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range counters {
		k := &counter{ids: map[string]int32{}}
		counters[w] = k
		wg.Add(1)
		go func() {
			defer wg.Done()
			var keys []int32
			for d := range work {
				for _, t := range search.NewProfile(d.headline, d.standfirst, BodyText(d.body)).Terms {
					k.df[k.intern(t)]++
				}
				keys = keys[:0]
				for _, slug := range d.tags {
					keys = append(keys, k.intern(search.TagKey(slug)))
				}
				keys = append(keys, k.intern(search.LangKey(d.lang)))
				slices.Sort(keys)
				for _, t := range slices.Compact(keys) {
					k.df[t]++
				}
			}
		}()
	}
	bases := map[string]int32{}
	err := c.readPublished(ctx, q, func(d *rawDoc) error {
		b := search.BaseLang(d.lang)
		if _, ok := bases[b]; !ok {
			bases[b] = int32(len(bases))
		}
		rb.docs = append(rb.docs, relDoc{id: d.id, modified: d.modified, base: bases[b]})
		select {
		case work <- d:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(work)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	rb.docs = slices.Clip(rb.docs)
	for _, k := range counters {
		for i, t := range k.terms {
			id, ok := rb.ids[t]
			if !ok {
				id = int32(len(rb.terms))
				rb.ids[t] = id
				rb.terms = append(rb.terms, t)
				rb.df = append(rb.df, 0)
			}
			rb.df[id] += k.df[i]
		}
	}
	return rb, nil
}

// sigChunk is the signatures of docs[from:to], and their stored profiles
// when the rebuild writes them.
type sigChunk struct {
	from, to int
	read     []bool // the second read found the story published
	sigs     [][]termWeight
	profiles [][]byte
	left     int // stories not yet computed
}

// sigScratch is a worker's buffers for signature.
type sigScratch struct {
	df    []int
	terms []int32
	ids   []int64
}

// signature computes d's signature and, with global (the table's id of
// each term), its stored profile: the ids of its counted terms and keys.
// A term the first read did not count (the story changed in between) is
// left out; such a story is not written (see unchanged) and is scored
// with what is left.
func (rb *rebuild) signature(d *rawDoc, global []int64, s *sigScratch) ([]termWeight, []byte) {
	p := search.NewProfile(d.headline, d.standfirst, BodyText(d.body))
	s.df, s.terms = s.df[:0], s.terms[:0]
	kept := 0
	for i, t := range p.Terms {
		id, ok := rb.ids[t]
		if !ok {
			continue
		}
		p.Terms[kept], p.TF[kept], p.Name[kept] = t, p.TF[i], p.Name[i]
		kept++
		s.df, s.terms = append(s.df, rb.df[id]), append(s.terms, id)
	}
	p.Terms, p.TF, p.Name = p.Terms[:kept], p.TF[:kept], p.Name[:kept]
	keys := make([]search.Key, 0, len(d.tags)+1)
	addKey := func(k string) {
		if id, ok := rb.ids[k]; ok {
			keys = append(keys, search.Key{Term: k, DF: rb.df[id]})
			s.terms = append(s.terms, id)
		}
	}
	for _, slug := range d.tags {
		addKey(search.TagKey(slug))
	}
	addKey(search.LangKey(d.lang))
	n := len(rb.docs)
	ws := search.Signature(p, s.df, KeepKeys(keys, n), n)
	sig := make([]termWeight, len(ws))
	for j, w := range ws {
		sig[j] = termWeight{rb.ids[w.Term], w.Weight}
	}
	if global == nil {
		return sig, nil
	}
	s.ids = s.ids[:0]
	for _, t := range s.terms {
		s.ids = append(s.ids, global[t])
	}
	slices.Sort(s.ids)
	return sig, EncodeIDs(slices.Compact(s.ids))
}

// signatures is a rebuild's second read: it computes every story's
// signature on every core, appends them to rb, and calls emit with each
// chunk of RebuildChunk stories in order. emit runs beside the
// computing of the next chunk, so a full rebuild writes one chunk while
// it reads the next. global is as for signature.
func (rb *rebuild) signatures(ctx context.Context, q Querier, global []int64, emit func(*sigChunk) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan *sigChunk, 1)
	var computeErr error
	go func() {
		defer close(ready)
		computeErr = rb.computeSignatures(ctx, q, global, ready)
	}()
	var err error
	for ch := range ready {
		if err == nil {
			if err = emit(ch); err != nil {
				cancel()
			}
		}
	}
	if err != nil {
		return err
	}
	return computeErr
}

// sigResult is one story's signature from a worker.
type sigResult struct {
	i       int
	read    bool
	sig     []termWeight
	profile []byte
}

// computeSignatures reads the stories, computes their signatures and
// sends each chunk to ready once all of it is computed.
func (rb *rebuild) computeSignatures(ctx context.Context, q Querier, global []int64, ready chan<- *sigChunk) error {
	type job struct {
		i int
		d *rawDoc
	}
	work := make(chan job, 256)
	results := make(chan sigResult, 1024)
	send := func(r sigResult) error {
		select {
		case results <- r:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	var wg sync.WaitGroup
	var readErr error
	wg.Go(func() {
		defer close(work)
		// Stories are matched to docs by id: one gone since the first
		// read gets no signature, one published since is left to its own
		// save.
		next := 0
		readErr = rb.c.readPublished(ctx, q, func(d *rawDoc) error {
			for ; next < len(rb.docs) && rb.docs[next].id < d.id; next++ {
				if err := send(sigResult{i: next}); err != nil {
					return err
				}
			}
			if next == len(rb.docs) || rb.docs[next].id != d.id {
				return nil
			}
			next++
			select {
			case work <- job{next - 1, d}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		for ; readErr == nil && next < len(rb.docs); next++ {
			readErr = send(sigResult{i: next})
		}
	})
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var s sigScratch
			for j := range work {
				sig, profile := rb.signature(j.d, global, &s)
				if send(sigResult{j.i, true, sig, profile}) != nil {
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	pending := map[int]*sigChunk{}
	next := 0
	var err error
	for r := range results {
		if err != nil {
			continue // draining after an error
		}
		c := r.i / RebuildChunk
		ch := pending[c]
		if ch == nil {
			from := c * RebuildChunk
			to := min(from+RebuildChunk, len(rb.docs))
			ch = &sigChunk{from: from, to: to, read: make([]bool, to-from),
				sigs: make([][]termWeight, to-from), profiles: make([][]byte, to-from), left: to - from}
			pending[c] = ch
		}
		k := r.i - ch.from
		ch.read[k], ch.sigs[k], ch.profiles[k] = r.read, r.sig, r.profile
		ch.left--
		for ch := pending[next]; ch != nil && ch.left == 0; ch = pending[next] {
			delete(pending, next)
			next++
			for _, sig := range ch.sigs {
				rb.addSig(sig)
			}
			select {
			case ready <- ch:
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
	}
	if readErr != nil {
		return readErr
	}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return err
}

// postings is the inverted index over the signatures, by term, each
// term's entries in story order (docs are sorted by id), with the weight
// beside the story: scoring reads them in a row (a reference into the
// signatures instead saved 8 bytes an entry and cost twice the time in
// cache misses).
type postings struct {
	start []int32 // term → its first entry; start[len(terms)] ends the last
	doc   []int32
	w     paged[float64]
}

// postings builds the index and moves the signatures' weights into it in
// place: the entries are permuted from signature order to index order
// cycle by cycle, each entry's place in the signatures found from its
// story and term, so no second copy of the weights (176 MB at a million
// stories) nor a map of places is ever held. A story's own weight for a
// term is found again in the index, by the search that finds its window.
func (rb *rebuild) postings() postings {
	n := rb.sigTerm.n
	p := postings{start: make([]int32, len(rb.terms)+1)}
	for _, page := range rb.sigTerm.pages {
		for _, t := range page {
			p.start[t+1]++
		}
	}
	for t := range rb.terms {
		p.start[t+1] += p.start[t]
	}
	p.doc = make([]int32, n)
	next := slices.Clone(p.start[:len(rb.terms)])
	for i := range rb.docs {
		for k := int(rb.sigStart[i]); k < int(rb.sigStart[i+1]); k++ {
			t := rb.sigTerm.at(k)
			p.doc[next[t]] = int32(i)
			next[t]++
		}
	}
	next = nil
	// from is the signature entry that index entry e holds.
	from := func(e int) int {
		d := p.doc[e]
		t := int32(sort.Search(len(rb.terms), func(t int) bool { return int(p.start[t+1]) > e }))
		for k := int(rb.sigStart[d]); k < int(rb.sigStart[d+1]); k++ {
			if rb.sigTerm.at(k) == t {
				return k
			}
		}
		panic("related rebuild: an index entry is not in its story's signature")
	}
	done := make([]uint64, (n+63)/64)
	w := rb.sigW
	for e0 := range n {
		if done[e0/64]&(1<<(e0%64)) != 0 {
			continue
		}
		first := w.at(e0)
		e := e0
		for {
			done[e/64] |= 1 << (e % 64)
			k := from(e)
			if k == e0 {
				w.set(e, first)
				break
			}
			if done[k/64]&(1<<(k%64)) != 0 {
				panic("related rebuild: a signature holds a term twice")
			}
			w.set(e, w.at(k))
			e = k
		}
	}
	p.w, rb.sigW = w, paged[float64]{bits: w.bits}
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
	workers := runtime.GOMAXPROCS(0)
	for len(rb.acc) < workers {
		rb.acc = append(rb.acc, make([]float64, len(rb.docs)))
	}
	var wg sync.WaitGroup
	for w := range workers {
		acc := rb.acc[w]
		wg.Go(func() {
			var touched []int32
			for i := from + w; i < to; i += workers {
				d := &rb.docs[i]
				touched = touched[:0]
				for x := rb.sigStart[i]; x < rb.sigStart[i+1]; x++ {
					term := rb.sigTerm.at(int(x))
					first := int(p.start[term])
					docs := p.doc[first:p.start[term+1]]
					r := sort.Search(len(docs), func(j int) bool { return docs[j] >= int32(i) })
					w := p.w.at(first + r)
					for lo, hi := max(0, r-window), min(len(docs), r+window+1); lo < hi; {
						ws := p.w.run(first+lo, first+hi)
						ds := docs[lo : lo+len(ws)]
						for j, o := range ds {
							if lo+j == r {
								continue
							}
							if acc[o] == 0 {
								touched = append(touched, o)
							}
							acc[o] += w * ws[j]
						}
						lo += len(ws)
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
		})
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
	rb, err := c.countTerms(ctx, tx)
	if err != nil {
		return 0, err
	}
	var chunks []*sigChunk
	if err := rb.signatures(ctx, tx, nil, func(ch *sigChunk) error {
		chunks = append(chunks, ch)
		return nil
	}); err != nil {
		return 0, err
	}
	for _, q := range []string{"DELETE FROM story_terms", "DELETE FROM story_auto_related"} {
		if _, err := Exec(ctx, c.d, tx, q); err != nil {
			return 0, err
		}
	}
	if err := rb.writeTerms(ctx, tx, chunks); err != nil {
		return 0, err
	}
	if err := rb.write(ctx, tx, rb.related(rb.postings(), 0, len(rb.docs), relatedKept)); err != nil {
		return 0, err
	}
	return len(rb.docs), c.markBuilt(ctx, tx, len(rb.docs))
}

// RebuildChunk is how many stories a rebuild writes a transaction. A
// variable only so tests can cut a small archive into several chunks.
var RebuildChunk = 10000

// RebuildRelated recounts terms and recomputes every published story's
// signature and related list. It reads without holding the write lock and
// writes in chunks, each its own short transaction, so the newsroom can
// save stories meanwhile; a story changed since it was first read keeps
// what its own save computed. (Counts moved by saves during a rebuild are
// overwritten; the next rebuild sets them right.) Signatures and profiles
// are written first, chunk by chunk as they are computed, then the lists,
// chunk by chunk as they are scored, each chunk scored while the one
// before is written.
func (c *Core) RebuildRelated(ctx context.Context) (int, error) {
	rb, err := c.countTerms(ctx, c.db)
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
	if err := rb.signatures(ctx, c.db, global, func(ch *sigChunk) error {
		return rb.writeSignatures(ctx, conn, ch)
	}); err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
	}
	global = nil
	if err := rb.scoreAndWrite(ctx, conn, rb.postings()); err != nil {
		return 0, fmt.Errorf("rebuild related: %w", err)
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

// scoreAndWrite scores the stories chunk by chunk and writes each
// chunk's lists while the next is scored.
func (rb *rebuild) scoreAndWrite(ctx context.Context, conn *sql.Conn, p postings) error {
	type scored struct {
		from, to int
		lists    [][]Scored
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan scored, 1)
	go func() {
		defer close(ready)
		for from := 0; from < len(rb.docs); from += RebuildChunk {
			to := min(from+RebuildChunk, len(rb.docs))
			select {
			case ready <- scored{from, to, rb.related(p, from, to, relatedKept)}:
			case <-ctx.Done():
				return
			}
		}
	}()
	var err error
	for s := range ready {
		if err == nil {
			if err = rb.writeLists(ctx, conn, rb.docs[s.from:s.to], s.lists); err != nil {
				cancel()
			}
		}
	}
	if err == nil {
		err = ctx.Err() // the scoring stopped short
	}
	return err
}
