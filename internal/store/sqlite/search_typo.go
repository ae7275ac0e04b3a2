package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"dateline/internal/search"
)

// correct replaces each word of pq that no indexed story holds with the
// known term one typing slip away that most stories hold. Two statements
// whatever the query: one asks which words are known, one which of their
// variants are.
func (s *Store) correct(ctx context.Context, pq search.Query) (search.Query, bool, error) {
	var words []string
	for _, t := range pq.Terms {
		if !t.Not && !t.Phrase() && search.MaxEdits(utf8.RuneCountInString(t.Words[0])) > 0 {
			words = append(words, t.Words[0])
		}
	}
	if len(words) == 0 {
		return pq, false, nil
	}
	known, err := vocabDocs(ctx, s.db, words)
	if err != nil {
		return pq, false, fmt.Errorf("correct: %w", err)
	}
	edits := map[string][]string{}
	var all []string
	for _, w := range words {
		if known[w] == 0 {
			edits[w] = search.Edits(w)
			all = append(all, edits[w]...)
		}
	}
	if len(all) == 0 {
		return pq, false, nil
	}
	docs, err := vocabDocs(ctx, s.db, all)
	if err != nil {
		return pq, false, fmt.Errorf("correct: %w", err)
	}
	changed := false
	for i, t := range pq.Terms {
		cands, ok := edits[t.Words[0]]
		if !ok || t.Not || t.Phrase() {
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

// vocabDocs returns how many indexed stories hold each term (absent when
// none), in one statement: the terms go in as a JSON array and each is
// looked up in the index's vocabulary.
func vocabDocs(ctx context.Context, q querier, terms []string) (map[string]int, error) {
	out := make(map[string]int, len(terms))
	if len(terms) == 0 {
		return out, nil
	}
	list, err := json.Marshal(terms)
	if err != nil {
		return nil, err
	}
	rows, err := query(ctx, q, `SELECT v.term, v.doc FROM json_each(?) j
		CROSS JOIN story_search_vocab v WHERE v.term = j.value`, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, rows.Err()
}
