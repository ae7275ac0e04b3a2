package sqlshare

// The reading half of a related-story rebuild: the two reads of the
// published stories, the counting of terms and the signatures.

import (
	"context"
	"database/sql"
	"math"
	"runtime"
	"slices"
	"sync"

	"dateline/internal/search"
)

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
