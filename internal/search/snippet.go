package search

import (
	"strings"
)

// Fragment is a piece of text for a results page; Hit marks a word that
// matched the query. Templates print Text escaped and wrap hits in <mark>,
// so a snippet is never HTML built from a story's text.
type Fragment struct {
	Text string
	Hit  bool
}

// Ellipsis marks where a snippet was cut.
const Ellipsis = "…"

// matcher decides whether a folded term matches the query.
type matcher struct {
	exact    map[string]int // term → key of the query word
	prefixes []string       // starts that match longer words
	keys     []int          // key of each prefix
}

func (q Query) matcher() matcher {
	m := matcher{exact: map[string]int{}}
	key := 0
	for _, t := range q.Terms {
		if t.Not {
			continue
		}
		for _, w := range t.Words {
			if _, ok := m.exact[w]; !ok {
				m.exact[w] = key
				key++
			}
		}
		if t.Prefix {
			m.prefixes = append(m.prefixes, t.Base)
			m.keys = append(m.keys, m.exact[t.Words[len(t.Words)-1]])
		}
	}
	return m
}

// match returns the key of the query word term matches, or -1.
func (m matcher) match(term string) int {
	if k, ok := m.exact[term]; ok {
		return k
	}
	for i, p := range m.prefixes {
		if strings.HasPrefix(term, p) {
			return m.keys[i]
		}
	}
	return -1
}

// Highlight returns text as fragments with every word that matches the
// query marked, for a headline. Runs of spaces become one space.
func (q Query) Highlight(text string) []Fragment {
	text = strings.Join(strings.Fields(text), " ")
	toks := Tokens(text)
	out := fragments(text, toks, q.matcher(), 0, len(toks))
	if n := len(toks); n > 0 && toks[n-1].End < len(text) {
		out = appendText(out, text[toks[n-1].End:])
	}
	return out
}

// Snippet returns the passage of text about words long that holds the
// most of the query's words, highlighted, with an ellipsis where it was
// cut. Without any match it is the beginning of the text.
func (q Query) Snippet(text string, words int) []Fragment {
	text = strings.Join(strings.Fields(text), " ")
	toks := Tokens(text)
	if len(toks) == 0 {
		return nil
	}
	m := q.matcher()
	hits := make([]int, len(toks))
	for i, t := range toks {
		hits[i] = m.match(t.Term)
	}
	start := bestWindow(hits, words)
	end := min(len(toks), start+words)
	var out []Fragment
	if start > 0 {
		out = append(out, Fragment{Text: Ellipsis})
	}
	out = append(out, fragments(text, toks, m, start, end)...)
	if end < len(toks) {
		out = append(out, Fragment{Text: Ellipsis})
	} else if tail := text[toks[end-1].End:]; tail != "" {
		out = appendText(out, tail)
	}
	return out
}

// bestWindow returns the first token of the window of n tokens with the
// most distinct query words (then the most hits), starting a few words
// before its first hit so the reader gets some context.
func bestWindow(hits []int, n int) int {
	const lead = 4
	best, bestKeys, bestHits := 0, -1, -1
	for i, k := range hits {
		if k < 0 {
			continue
		}
		start := max(0, i-lead)
		if start+n > len(hits) {
			start = max(0, len(hits)-n)
		}
		keys, count := map[int]bool{}, 0
		for _, h := range hits[start:min(len(hits), start+n)] {
			if h >= 0 {
				keys[h] = true
				count++
			}
		}
		if len(keys) > bestKeys || len(keys) == bestKeys && count > bestHits {
			best, bestKeys, bestHits = start, len(keys), count
		}
	}
	return best
}

// fragments cuts text from token from to token to (exclusive) into plain
// and matching pieces.
func fragments(text string, toks []Token, m matcher, from, to int) []Fragment {
	if from >= to {
		if from == 0 && text != "" {
			return []Fragment{{Text: text}}
		}
		return nil
	}
	var out []Fragment
	pos := toks[from].Start
	if from == 0 {
		pos = 0
	}
	for _, t := range toks[from:to] {
		if m.match(t.Term) < 0 {
			continue
		}
		if t.Start > pos {
			out = appendText(out, text[pos:t.Start])
		}
		out = append(out, Fragment{Text: text[t.Start:t.End], Hit: true})
		pos = t.End
	}
	if end := toks[to-1].End; end > pos {
		out = appendText(out, text[pos:end])
	}
	return out
}

func appendText(out []Fragment, s string) []Fragment {
	if n := len(out); n > 0 && !out[n-1].Hit && out[n-1].Text != Ellipsis {
		out[n-1].Text += s
		return out
	}
	return append(out, Fragment{Text: s})
}
