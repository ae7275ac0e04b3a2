package search

import "unicode/utf8"

// Candidate is a term of the index vocabulary and the number of stories
// that hold it.
type Candidate struct {
	Term string
	Docs int
}

// MaxEdits is how many typing slips a word of that many letters may hold
// and still be corrected: none below four letters (too many short words
// are one slip from each other), one up to six, then two.
func MaxEdits(runes int) int {
	switch {
	case runes < 4:
		return 0
	case runes <= 6:
		return 1
	}
	return 2
}

// Correct returns the vocabulary term closest to a word that found
// nothing: the fewest edits (a transposed pair counts as one), then the
// most stories, then alphabetical order. ok is false when no candidate is
// close enough.
func Correct(word string, candidates []Candidate) (best string, ok bool) {
	w := []rune(word)
	limit := MaxEdits(len(w))
	if limit == 0 {
		return "", false
	}
	bestDist, bestDocs := limit+1, -1
	for _, c := range candidates {
		if c.Term == word || c.Docs <= 0 {
			continue
		}
		n := utf8.RuneCountInString(c.Term)
		if n < len(w)-limit || n > len(w)+limit {
			continue
		}
		d := Distance(w, []rune(c.Term), bestDist)
		if d < bestDist || d == bestDist && (c.Docs > bestDocs || c.Docs == bestDocs && c.Term < best) {
			if d <= limit {
				best, bestDist, bestDocs, ok = c.Term, d, c.Docs, true
			}
		}
	}
	return best, ok
}

// Distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of neighbours.
// It stops early and returns more than limit once the distance must exceed it.
func Distance(a, b []rune, limit int) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// Alphabets a typing slip draws from when it adds or replaces a letter;
// terms are folded, so Latin letters are plain ASCII.
const (
	latinLetters  = "abcdefghijklmnopqrstuvwxyz"
	arabicLetters = "ءاأبتثجحخدذرزسشصضطظعغفقكلمنهويئؤ"
)

// Edits returns every term one typing slip away from a folded word: a
// letter left out, added, replaced, or two neighbours swapped. The index
// vocabulary is then asked which of them exist.
func Edits(word string) []string {
	w := []rune(word)
	alphabet := []rune(latinLetters)
	for _, r := range w {
		if r >= 0x0621 && r <= 0x064A {
			alphabet = []rune(arabicLetters)
			break
		}
		if r >= utf8.RuneSelf {
			alphabet = append(alphabet, r)
		}
	}
	seen := map[string]bool{word: true}
	var out []string
	add := func(rs []rune) {
		if s := string(rs); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	buf := make([]rune, 0, len(w)+1)
	for i := range w {
		add(append(append(buf[:0], w[:i]...), w[i+1:]...))
		if i+1 < len(w) {
			b := append(buf[:0], w...)
			b[i], b[i+1] = b[i+1], b[i]
			add(b)
		}
		for _, c := range alphabet {
			if c != w[i] {
				b := append(buf[:0], w...)
				b[i] = c
				add(b)
			}
		}
	}
	for i := 0; i <= len(w); i++ {
		for _, c := range alphabet {
			add(append(append(append(buf[:0], w[:i]...), c), w[i:]...))
		}
	}
	return out
}
