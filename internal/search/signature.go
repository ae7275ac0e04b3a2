package search

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// A story's signature is the short list of terms that best say what it is
// about, each with a weight, the vector normalised to length 1: TF-IDF
// over its headline, standfirst and body (headline words count three
// times, standfirst words twice), names of people and places weighted up,
// and its tags as terms of their own. Two stories are as related as the
// dot product of their signatures. The measure is symmetric, which lets a
// store keep precomputed related lists current when one story changes.

// Signature sizes and weights.
const (
	SignatureTerms = 20  // text terms kept per story
	SignatureTags  = 8   // tags kept per story
	nameBoost      = 1.6 // a capitalised word inside a sentence: a person, place or organisation
	tagBoost       = 2.5 // an editor chose the tag
	TagPrefix      = "#" // tag terms are "#" + tag slug, apart from words
)

// Weighted is a term and its weight in a signature.
type Weighted struct {
	Term   string
	Weight float64
}

// Profile is a story's text as term frequencies, field weights applied.
type Profile struct {
	TF    map[string]float64
	Names map[string]bool // terms seen capitalised inside a sentence
}

// NewProfile counts the terms of a story's text.
func NewProfile(headline, standfirst, body string) Profile {
	p := Profile{TF: map[string]float64{}, Names: map[string]bool{}}
	p.add(headline, 3)
	p.add(standfirst, 2)
	p.add(body, 1)
	return p
}

func (p Profile) add(text string, weight float64) {
	eachToken(text, func(term []byte, start, _ int, upper bool) {
		t := string(term)
		if isNoise(t) {
			return
		}
		p.TF[t] += weight
		if upper && !sentenceStart(text, start) {
			p.Names[t] = true
		}
	})
}

// sentenceStart reports whether the word at i begins a sentence, where a
// capital letter says nothing about it being a name.
func sentenceStart(text string, i int) bool {
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		i -= size
		switch {
		case r == ' ' || r == '\t' || r == '"' || r == '“' || r == '«' || r == '\'' || r == '‘' || r == '(':
			continue
		case r == '\n' || r == '.' || r == '!' || r == '?' || r == ':' || r == '—' || r == '–' || r == '>' || r == '-':
			return true
		default:
			return false
		}
	}
	return true
}

// MaxDF is the document frequency above which a term is too common to
// relate stories (it would only add cost): 2% of the archive, but never
// below 50 stories, so a small archive still relates on common subjects.
func MaxDF(docs int) int { return max(50, docs/50) }

// Signature picks the terms of p and the tags (slugs) with the highest
// TF-IDF weight; docs is the number of indexed stories, df and tagDF give
// how many of them hold a term or carry a tag. Terms too common (MaxDF) or
// unknown to the index (df 0, not indexed yet: counted as 1) are handled
// so the result depends only on the counts, never on map order.
func Signature(p Profile, tags []string, docs int, df func(string) int, tagDF func(string) int) []Weighted {
	limit := MaxDF(docs)
	n := float64(max(docs, 1))
	idf := func(d int) float64 { return math.Log(1 + n/float64(max(d, 1))) }
	var text []Weighted
	for t, tf := range p.TF {
		d := df(t)
		if d > limit {
			continue
		}
		w := (1 + math.Log(tf)) * idf(d)
		if p.Names[t] {
			w *= nameBoost
		}
		text = append(text, Weighted{t, w})
	}
	text = top(text, SignatureTerms)
	var tw []Weighted
	for _, slug := range tags {
		d := tagDF(slug)
		if slug == "" || d > limit {
			continue
		}
		tw = append(tw, Weighted{TagPrefix + slug, tagBoost * idf(d)})
	}
	out := append(text, top(tw, SignatureTags)...)
	var norm float64
	for _, w := range out {
		norm += w.Weight * w.Weight
	}
	if norm == 0 {
		return nil
	}
	norm = math.Sqrt(norm)
	for i := range out {
		out[i].Weight /= norm
	}
	return out
}

// top keeps the n heaviest, ties broken by term so the result is stable.
func top(ws []Weighted, n int) []Weighted {
	sort.Slice(ws, func(i, j int) bool {
		if ws[i].Weight != ws[j].Weight {
			return ws[i].Weight > ws[j].Weight
		}
		return ws[i].Term < ws[j].Term
	})
	if len(ws) > n {
		ws = ws[:n]
	}
	return ws
}

// Similarity is the dot product of two signatures.
func Similarity(a, b []Weighted) float64 {
	m := make(map[string]float64, len(a))
	for _, w := range a {
		m[w.Term] = w.Weight
	}
	var s float64
	for _, w := range b {
		s += m[w.Term] * w.Weight
	}
	return s
}

// LanguageFactor scales the similarity of two stories by their languages:
// a story in another language shares tags at best, and is a weaker
// suggestion to a reader of this one.
func LanguageFactor(a, b string) float64 {
	if strings.EqualFold(baseLang(a), baseLang(b)) {
		return 1
	}
	return 0.5
}

func baseLang(tag string) string {
	base, _, _ := strings.Cut(tag, "-")
	return base
}
