package search

import (
	"bytes"
	"strings"
	"unicode"
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

// maxSnippetScan is how much of a text a snippet looks through: the best
// passage of a very long story is almost always in its first pages.
const maxSnippetScan = 64 << 10

// matcher decides whether a folded term matches the query.
type matcher struct {
	exact    map[string]int // term → key of the query word
	prefixes [][]byte       // starts that match longer words (word*)
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
		last := m.exact[t.Words[len(t.Words)-1]]
		for _, a := range t.Alts {
			if _, ok := m.exact[a]; !ok {
				m.exact[a] = last
			}
		}
		if t.Prefix {
			m.prefixes = append(m.prefixes, []byte(t.Words[len(t.Words)-1]))
			m.keys = append(m.keys, last)
		}
	}
	return m
}

// match returns the key of the query word term matches, or -1. Looking a
// []byte up as string(term) does not allocate.
func (m matcher) match(term []byte) int {
	if k, ok := m.exact[string(term)]; ok {
		return k
	}
	for i, p := range m.prefixes {
		if bytes.HasPrefix(term, p) {
			return m.keys[i]
		}
	}
	return -1
}

// tok is a word of a text: where it is and which query word it matches.
type tok struct {
	start, end int
	key        int
}

func (m matcher) tokens(text string) []tok {
	var out []tok
	eachToken(text, func(term []byte, start, end int, _ bool) {
		out = append(out, tok{start, end, m.match(term)})
	})
	return out
}

// Highlight returns text as fragments with every word that matches the
// query marked, for a headline. Runs of spaces become one space.
func (q Query) Highlight(text string) []Fragment {
	toks := q.matcher().tokens(text)
	return fragments(text, toks, 0, len(toks), true, true)
}

// Snippet returns the passage of text about words long that holds the
// most of the query's words, highlighted, with an ellipsis where it was
// cut. Without any match it is the beginning of the text.
func (q Query) Snippet(text string, words int) []Fragment {
	if len(text) > maxSnippetScan {
		text = text[:maxSnippetScan]
	}
	toks := q.matcher().tokens(text)
	if len(toks) == 0 {
		return nil
	}
	start := bestWindow(toks, words)
	end := min(len(toks), start+words)
	var out []Fragment
	if start > 0 {
		out = append(out, Fragment{Text: Ellipsis})
	}
	out = append(out, fragments(text, toks, start, end, start == 0, end == len(toks))...)
	if end < len(toks) {
		out = append(out, Fragment{Text: Ellipsis})
	}
	return out
}

// bestWindow returns the first token of the window of n tokens with the
// most distinct query words (then the most hits), starting a few words
// before its first hit so the reader gets some context.
func bestWindow(toks []tok, n int) int {
	const lead = 4
	maxKey := -1
	for _, t := range toks {
		maxKey = max(maxKey, t.key)
	}
	seen := make([]int, maxKey+1) // window number that last saw each key
	best, bestKeys, bestHits, window := 0, -1, -1, 0
	for i, t := range toks {
		if t.key < 0 {
			continue
		}
		start := max(0, i-lead)
		if start+n > len(toks) {
			start = max(0, len(toks)-n)
		}
		window++
		keys, count := 0, 0
		for _, h := range toks[start:min(len(toks), start+n)] {
			if h.key >= 0 {
				if seen[h.key] != window {
					seen[h.key] = window
					keys++
				}
				count++
			}
		}
		if keys > bestKeys || keys == bestKeys && count > bestHits {
			best, bestKeys, bestHits = start, keys, count
		}
	}
	return best
}

// fragments cuts the text of tokens from to to (exclusive) into plain and
// matching pieces, with the text before the first token when head is set
// and after the last when tail is.
func fragments(text string, toks []tok, from, to int, head, tail bool) []Fragment {
	if from >= to {
		if s := collapse(text); s != "" && head {
			return []Fragment{{Text: s}}
		}
		return nil
	}
	var out []Fragment
	pos := toks[from].start
	if head {
		pos = 0
	}
	for _, t := range toks[from:to] {
		if t.key < 0 {
			continue
		}
		if t.start > pos {
			out = appendText(out, text[pos:t.start])
		}
		out = append(out, Fragment{Text: text[t.start:t.end], Hit: true})
		pos = t.end
	}
	end := toks[to-1].end
	if tail {
		end = len(text)
	}
	if end > pos {
		out = appendText(out, text[pos:end])
	}
	if head && len(out) > 0 && !out[0].Hit {
		out[0].Text = strings.TrimLeftFunc(out[0].Text, unicode.IsSpace)
	}
	if tail && len(out) > 0 && !out[len(out)-1].Hit {
		out[len(out)-1].Text = strings.TrimRightFunc(out[len(out)-1].Text, unicode.IsSpace)
	}
	return out
}

// appendText adds plain text, its runs of white space made one space.
func appendText(out []Fragment, s string) []Fragment {
	s = collapseInner(s)
	if s == "" {
		return out
	}
	if n := len(out); n > 0 && !out[n-1].Hit && out[n-1].Text != Ellipsis {
		out[n-1].Text += s
		return out
	}
	return append(out, Fragment{Text: s})
}

// collapse trims s and makes every run of white space one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// collapseInner makes every run of white space in s one space, keeping a
// space at either end: the words around it need it.
func collapseInner(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) && !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
