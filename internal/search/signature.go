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
// and keys of its own: its tags, and its language when few stories share
// it (two Arabic stories on an English site belong together). Two stories
// are as related as the dot product of their signatures. The measure is
// symmetric, which lets a store keep precomputed related lists current
// when one story changes.

// Signature sizes and weights.
const (
	SignatureTerms = 20  // text terms kept per story
	SignatureKeys  = 8   // keys (tags, language) kept per story
	nameBoost      = 1.6 // a capitalised word inside a sentence: a person, place or organisation
	keyBoost       = 5.0 // an editor chose the tag; the language is certain
)

// Key is a term for a story's tag or language, with the number of
// stories that have it.
type Key struct {
	Term string
	DF   int
}

// TagKey is the signature term of a tag, apart from any word.
func TagKey(slug string) string { return "#" + slug }

// LangKey is the signature term of a language (its base: "ar" for "ar-EG").
func LangKey(lang string) string { return "@" + BaseLang(lang) }

// Weighted is a term and its weight in a signature.
type Weighted struct {
	Term   string
	Weight float64
}

// Profile is a story's text as term frequencies, field weights applied.
type Profile struct {
	Terms []string  // each distinct telling term once, in order of appearance
	TF    []float64 // weighted frequency of each term
	Name  []bool    // the term was seen capitalised inside a sentence
	index map[string]int
}

// NewProfile counts the terms of a story's text.
func NewProfile(headline, standfirst, body string) Profile {
	p := Profile{index: make(map[string]int, 256)}
	p.add(headline, 3)
	p.add(standfirst, 2)
	p.add(body, 1)
	return p
}

func (p *Profile) add(text string, weight float64) {
	eachToken(text, func(term []byte, start, _ int, upper bool) {
		// Looking a []byte up as string(term) does not allocate; only a
		// new term does.
		i, ok := p.index[string(term)]
		if !ok {
			if isNoise(string(term)) {
				return
			}
			i = len(p.Terms)
			t := string(term)
			p.index[t] = i
			p.Terms, p.TF, p.Name = append(p.Terms, t), append(p.TF, 0), append(p.Name, false)
		}
		p.TF[i] += weight
		if upper && !p.Name[i] && !sentenceStart(text, start) {
			p.Name[i] = true
		}
	})
}

// IsName reports whether the term was seen written as a name.
func (p Profile) IsName(term string) bool {
	i, ok := p.index[term]
	return ok && p.Name[i]
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

// Signature picks the terms of p and the keys with the highest TF-IDF
// weight; docs is the number of stories counted and df[i] how many of them
// hold p.Terms[i]. Terms and keys in more than MaxDF stories are too
// common to relate anything and are left out; a count under one counts as
// one. The result depends only on the counts, never on map order.
func Signature(p Profile, df []int, keys []Key, docs int) []Weighted {
	limit := MaxDF(docs)
	n := float64(max(docs, 1))
	idf := func(d int) float64 { return math.Log(1 + n/float64(max(d, 1))) }
	var text []Weighted
	for i, t := range p.Terms {
		d := df[i]
		if d > limit {
			continue
		}
		w := (1 + math.Log(p.TF[i])) * idf(d)
		if p.Name[i] {
			w *= nameBoost
		}
		text = append(text, Weighted{t, w})
	}
	text = top(text, SignatureTerms)
	var kw []Weighted
	for _, k := range keys {
		if k.Term == "" || k.DF > limit {
			continue
		}
		kw = append(kw, Weighted{k.Term, keyBoost * idf(k.DF)})
	}
	out := append(text, top(kw, SignatureKeys)...)
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
	if strings.EqualFold(BaseLang(a), BaseLang(b)) {
		return 1
	}
	return CrossLanguage
}

// CrossLanguage is LanguageFactor for two languages that differ.
const CrossLanguage = 0.5

// BaseLang is the language of a BCP 47 tag without region or script:
// "ar" for "ar-EG".
func BaseLang(tag string) string {
	base, _, _ := strings.Cut(tag, "-")
	return strings.ToLower(base)
}
