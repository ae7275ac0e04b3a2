package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
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

// postings is the inverted index over the signatures, by term, each
// term's entries in story order (docs are sorted by id), with the weight
// beside the story: scoring reads them in a row (a reference into the
// signatures instead saved 4 bytes an entry and cost twice the time in
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
