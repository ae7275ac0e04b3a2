package sqlshare

import (
	"math/rand/v2"
	"slices"
	"testing"

	"dateline/internal/search"
)

// testRebuild makes n stories with random signatures of 8 terms out of
// terms, ids 10, 20, 30... (docs are in id order, as countTerms leaves
// them), every fifth in another language. Its signatures are held in
// pages of 8 entries, so windows and cycles cross pages.
func testRebuild(n, terms int, seed uint64) *rebuild {
	rnd := rand.New(rand.NewPCG(seed, 1))
	rb := &rebuild{terms: make([]string, terms), sigTerm: paged[int32]{bits: 3}, sigW: paged[float64]{bits: 3}}
	for i := range n {
		d := relDoc{id: int64(10 * (i + 1))}
		if i%5 == 4 {
			d.base = 1
		}
		var sig []termWeight
		for _, t := range rnd.Perm(terms)[:8] {
			sig = append(sig, termWeight{int32(t), rnd.Float64()})
		}
		rb.docs = append(rb.docs, d)
		rb.addSig(sig)
	}
	return rb
}

// sigOf is docs[i]'s signature as a list, before postings takes its
// weights.
func sigOf(rb *rebuild, i int) []termWeight {
	out := make([]termWeight, rb.sigLen(i))
	for k := range out {
		e := int(rb.sigStart[i]) + k
		out[k] = termWeight{rb.sigTerm.at(e), rb.sigW.at(e)}
	}
	return out
}

// allPairs is the scoring before RelatedWindow, kept as the reference:
// every pair of stories sharing a term, through an inverted index.
func allPairs(rb *rebuild, k int) [][]Scored {
	type posting struct {
		doc int32
		w   float64
	}
	postings := make([][]posting, len(rb.terms))
	for i := range rb.docs {
		for _, tw := range sigOf(rb, i) {
			postings[tw.term] = append(postings[tw.term], posting{int32(i), tw.w})
		}
	}
	out := make([][]Scored, len(rb.docs))
	acc := make([]float64, len(rb.docs))
	for i, d := range rb.docs {
		var touched []int32
		for _, tw := range sigOf(rb, i) {
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
	return out
}

// windowed is the windowed scoring written plainly: story j counts for
// story i in a term when fewer than window stories with the term lie
// between them.
func windowed(rb *rebuild, window, k int) [][]Scored {
	rank := make([]map[int]int, len(rb.terms)) // term → doc → its place among the term's stories
	for t := range rank {
		rank[t] = map[int]int{}
	}
	for i := range rb.docs {
		for _, tw := range sigOf(rb, i) {
			rank[tw.term][i] = len(rank[tw.term])
		}
	}
	out := make([][]Scored, len(rb.docs))
	for i, d := range rb.docs {
		var list []Scored
		for j, o := range rb.docs {
			if j == i {
				continue
			}
			var s float64
			for _, a := range sigOf(rb, i) {
				for _, b := range sigOf(rb, j) {
					if a.term == b.term && abs(rank[a.term][i]-rank[a.term][j]) <= window {
						s += a.w * b.w
					}
				}
			}
			if s == 0 {
				continue
			}
			if o.base != d.base {
				s *= search.CrossLanguage
			}
			list = append(list, Scored{ID: o.id, Score: s})
		}
		SortScored(list)
		out[i] = list[:min(len(list), k)]
	}
	return out
}

func abs(n int) int { return max(n, -n) }

func setWindow(t *testing.T, n int) {
	old := RelatedWindow
	RelatedWindow = n
	t.Cleanup(func() { RelatedWindow = old })
}

// On an archive where no term is in more than RelatedWindow+1 stories
// (every archive under 25,000 stories), the lists are exactly those of
// the scoring before the window, scores to the last bit.
func TestRelatedWindowKeepsSmallArchivesLists(t *testing.T) {
	rb := testRebuild(2000, 40, 3) // 400 stories a term on average
	want := allPairs(rb, relatedKept)
	maxDF := 0
	p := rb.postings()
	for term := range rb.terms {
		maxDF = max(maxDF, int(p.start[term+1]-p.start[term]))
	}
	if maxDF > RelatedWindow+1 || maxDF < 300 {
		t.Fatalf("test archive: a term in %d stories, want 300 to %d", maxDF, RelatedWindow+1)
	}
	got := rb.related(p, 0, len(rb.docs), relatedKept)
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("story %d: windowed %v, all pairs %v", rb.docs[i].id, got[i], want[i])
		}
	}
}

// Above the window, each term counts only between stories near each
// other among those with it; chunks scored apart give what one pass
// gives.
func TestRelatedWindowCountsNearStoriesOnly(t *testing.T) {
	setWindow(t, 3)
	rb := testRebuild(120, 12, 5) // 80 stories a term on average
	want := windowed(rb, 3, relatedKept)
	old := allPairs(rb, relatedKept)
	p := rb.postings()
	var got [][]Scored
	for from := 0; from < len(rb.docs); from += 50 {
		got = append(got, rb.related(p, from, min(from+50, len(rb.docs)), relatedKept)...)
	}
	differ := 0
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("story %d: windowed %v, want %v", rb.docs[i].id, got[i], want[i])
		}
		for j := range want[i] {
			if got[i][j].ID != want[i][j].ID || abs64(got[i][j].Score-want[i][j].Score) > 1e-12 {
				t.Fatalf("story %d: windowed %v, want %v", rb.docs[i].id, got[i], want[i])
			}
		}
		if !slices.Equal(got[i], old[i]) {
			differ++
		}
	}
	if differ == 0 {
		t.Fatal("the window changed no list: the test archive has no term above it")
	}
}

func abs64(f float64) float64 { return max(f, -f) }

// postings moves each signature's weights into the index in place: every
// entry holds its story and that story's weight for the term, the
// entries of a term in story order, and the signatures keep their terms.
func TestPostingsMoveWeightsInPlace(t *testing.T) {
	rb := testRebuild(300, 25, 9)
	sigs := make([][]termWeight, len(rb.docs))
	for i := range rb.docs {
		sigs[i] = sigOf(rb, i)
	}
	p := rb.postings()
	if rb.sigW.n != 0 {
		t.Fatalf("the signatures still hold %d weights", rb.sigW.n)
	}
	entries := 0
	for term := range rb.terms {
		var want []int32
		var wantW []float64
		for i, sig := range sigs {
			for _, tw := range sig {
				if tw.term == int32(term) {
					want, wantW = append(want, int32(i)), append(wantW, tw.w)
				}
			}
		}
		a, b := int(p.start[term]), int(p.start[term+1])
		got, gotW := p.doc[a:b], make([]float64, 0, b-a)
		for e := a; e < b; e++ {
			gotW = append(gotW, p.w.at(e))
		}
		if !slices.Equal(got, want) || !slices.Equal(gotW, wantW) {
			t.Fatalf("term %d: index %v %v, want %v %v", term, got, gotW, want, wantW)
		}
		entries += b - a
	}
	if entries != 8*len(rb.docs) {
		t.Fatalf("%d index entries, want %d", entries, 8*len(rb.docs))
	}
	for i, sig := range sigs {
		for k, tw := range sig {
			if got := rb.sigTerm.at(int(rb.sigStart[i]) + k); got != tw.term {
				t.Fatalf("story %d, term %d of its signature: %d, want %d", i, k, got, tw.term)
			}
		}
	}
}
