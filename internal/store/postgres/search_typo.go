package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"dateline/internal/search"
)

// Word forms and typing slips, both from the term counts (search_counts.go).

// Expansion limits: how many forms a plain word may match, and by how
// many letters they may be longer than its base (inflections, not other
// words that happen to start the same: flood → floods, flooded, flooding);
// and how many words a prefix (word*) may match, the commonest first.
const (
	maxForms       = 6
	maxFormExtra   = 4
	maxPrefixForms = 24
)

// forms returns, for each base, the commonest words of published stories
// that it starts (the base itself included when it is a word), in one
// statement.
func (s *Store) forms(ctx context.Context, bases []search.Base) (map[string][]string, error) {
	type spec struct {
		Start string `json:"s"`
		Extra int    `json:"x"`
		Max   int    `json:"n"`
	}
	specs := make([]spec, len(bases))
	for i, b := range bases {
		specs[i] = spec{b.Start, maxFormExtra, maxForms}
		if b.Prefix {
			specs[i] = spec{b.Start, 1 << 20, maxPrefixForms}
		}
	}
	list, err := json.Marshal(specs)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	err = eachRow(ctx, s.db, func(r *sql.Rows) error {
		var base, form string
		err := r.Scan(&base, &form)
		out[base] = append(out[base], form)
		return err
	}, `SELECT base, term FROM (
		SELECT b.base, t.term, b.max, row_number() OVER (PARTITION BY b.base ORDER BY t.docs DESC, t.term) AS n
		FROM (SELECT value ->> 's' AS base, (value ->> 'x')::int AS extra, (value ->> 'n')::int AS max FROM jsonb_array_elements(?::jsonb)) b
		JOIN search_terms t ON t.term >= b.base AND t.term < b.base || chr(1114111)
		WHERE t.docs > 0 AND length(t.term) <= length(b.base) + b.extra)
		AS f WHERE n <= max`, string(list))
	return out, err
}

// correct replaces each word of pq that no published story holds with
// the known term one typing slip away that most stories hold. One
// statement whatever the query: the words and all their variants are
// looked up together.
func (s *Store) correct(ctx context.Context, pq search.Query) (search.Query, bool, error) {
	var lookup []string
	edits := map[string][]string{}
	for _, t := range pq.Terms {
		w := t.Words[0]
		if t.Not || t.Phrase() || search.MaxEdits(utf8.RuneCountInString(w)) == 0 || edits[w] != nil {
			continue
		}
		edits[w] = search.Edits(w)
		lookup = append(append(lookup, w), edits[w]...)
	}
	if len(lookup) == 0 {
		return pq, false, nil
	}
	list, err := json.Marshal(lookup)
	if err != nil {
		return pq, false, err
	}
	docs := map[string]int{}
	err = eachRow(ctx, s.db, func(r *sql.Rows) error {
		var t string
		var n int
		err := r.Scan(&t, &n)
		docs[t] = n
		return err
	}, "SELECT t.term, t.docs FROM jsonb_array_elements_text(?::jsonb) j(value) JOIN search_terms t ON t.term = j.value WHERE t.docs > 0", string(list))
	if err != nil {
		return pq, false, fmt.Errorf("correct: %w", err)
	}
	changed := false
	for i, t := range pq.Terms {
		cands, ok := edits[t.Words[0]]
		if !ok || t.Not || t.Phrase() || docs[t.Words[0]] > 0 {
			continue
		}
		var found []search.Candidate
		for _, c := range cands {
			if n := docs[c]; n > 0 {
				found = append(found, search.Candidate{Term: c, Docs: n})
			}
		}
		if best, ok := search.Correct(t.Words[0], found); ok {
			pq, changed = pq.Replace(i, best), true
		}
	}
	return pq, changed, nil
}
