package postgres

import (
	"strconv"
	"strings"

	"dateline/internal/search"
)

// PostgreSQL's limits on a tsvector: positions run to 16383 and a lexeme
// keeps at most 256 of them; a lexeme is shorter than 2 KiB.
const (
	maxPos      = 16383
	maxPosCount = 256
	maxLexeme   = 2046
	// columnGap keeps the columns apart, so a phrase never matches the
	// end of the headline followed by the start of the standfirst.
	columnGap = 8
)

// weighted is one column of the index: its terms, one space apart (as
// search.IndexText makes them), and its tsvector weight A to D.
type weighted struct {
	weight byte
	terms  string
}

// tsvector writes the columns as a tsvector literal: every term quoted as
// a lexeme with its positions and weight. The terms are already folded
// and stemmed by package search, so they go in as they are, with no text
// search configuration in between.
func tsvector(cols []weighted) string {
	type entry struct{ pos []string }
	byTerm := map[string]*entry{}
	var order []string
	pos := 0
	for _, c := range cols {
		for _, t := range strings.Fields(c.terms) {
			pos++
			if len(t) > maxLexeme {
				continue
			}
			e := byTerm[t]
			if e == nil {
				e = &entry{}
				byTerm[t] = e
				order = append(order, t)
			}
			if len(e.pos) < maxPosCount && pos <= maxPos {
				e.pos = append(e.pos, strconv.Itoa(pos)+string(c.weight))
			}
		}
		pos += columnGap
	}
	var b strings.Builder
	for i, t := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(lexeme(t))
		if p := byTerm[t].pos; len(p) > 0 {
			b.WriteByte(':')
			b.WriteString(strings.Join(p, ","))
		}
	}
	return b.String()
}

// lexeme quotes a term for tsvector and tsquery input.
func lexeme(t string) string {
	t = strings.ReplaceAll(t, `\`, `\\`)
	t = strings.ReplaceAll(t, `'`, `''`)
	return "'" + t + "'"
}

// tsquery is search.Query.Match for PostgreSQL: every positive term (a
// phrase, a prefix, or a word with its other forms) joined by & (or |
// when relaxed), less the negative ones. Every word is a quoted lexeme,
// so nothing a reader types is read as operators. It is "" when there is
// nothing to look for.
func tsquery(q search.Query, anyTerm bool) string {
	var pos, neg []string
	for _, t := range q.Terms {
		if len(t.Words) == 0 {
			continue
		}
		if t.Not {
			neg = append(neg, phrase(t.Words, false))
			continue
		}
		pos = append(pos, termQuery(t))
	}
	if len(pos) == 0 {
		return ""
	}
	sep := " & "
	if anyTerm {
		sep = " | "
	}
	m := "(" + strings.Join(pos, sep) + ")"
	for _, n := range neg {
		m += " & !" + n
	}
	return m
}

// termQuery is one positive term, as package search makes it for SQLite's
// FTS5: a phrase, a prefix, or a word or any of its other forms.
func termQuery(t search.Term) string {
	if t.Prefix && t.Base == "" {
		return phrase(t.Words, true)
	}
	parts := []string{phrase(t.Words, false)}
	for _, a := range t.Alts {
		if a != t.Words[0] {
			parts = append(parts, lexeme(a))
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " | ") + ")"
}

// phrase is words in a row (<->), the last a prefix when prefix is set.
func phrase(words []string, prefix bool) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = lexeme(w)
	}
	if prefix {
		parts[len(parts)-1] += ":*"
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " <-> ") + ")"
}
