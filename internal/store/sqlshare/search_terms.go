package sqlshare

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"dateline/internal/search"
	"dateline/internal/story"
)

// Term counts (migration 0007): search_terms counts, for every telling
// term and signature key, the published stories that have it, and
// story_profiles remembers which terms each published story was counted
// under. Publishing, changing and taking down a story move the counts by
// the difference; a rebuild recounts everything. Both stores keep them
// alike; the word forms and typing slips of search are read from them.

// CountedTerms are the terms a story is counted under: its profile's
// terms and its keys.
func CountedTerms(p search.Profile, st *story.Story) []string {
	out := make([]string, 0, len(p.Terms)+len(st.Tags)+1)
	out = append(out, p.Terms...)
	for _, t := range st.Tags {
		out = append(out, search.TagKey(t.Slug))
	}
	return append(out, search.LangKey(st.Language))
}

// BodyText is the plain text of a stored body; a body that does not parse
// has no text to search rather than stopping the caller.
func BodyText(bodyJSON string) string {
	var blocks []story.Block
	if json.Unmarshal([]byte(bodyJSON), &blocks) != nil {
		return ""
	}
	return story.BodyText(blocks)
}

// Recount moves the counts in dialect d from the terms story id was
// counted under to terms (nil: it is no longer published), and returns
// the new counts of terms and the number of published stories.
func Recount(ctx context.Context, d Dialect, tx *sql.Tx, id int64, terms []string) (map[string]int, int, error) {
	var blob []byte
	err := QueryRow(ctx, d, tx, "SELECT terms FROM story_profiles WHERE story_id = ?", id).Scan(&blob)
	had := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, 0, err
	}
	err = nil
	old := DecodeIDs(blob)
	counts := map[string]int{}
	var ids []int64
	termOf := map[int64]string{}
	if terms != nil {
		if err := ensureTerms(ctx, d, tx, terms); err != nil {
			return nil, 0, err
		}
		list, err := json.Marshal(terms)
		if err != nil {
			return nil, 0, err
		}
		rows, err := Query(ctx, d, tx, "SELECT t.id, t.term, t.docs FROM ("+d.JSONTexts("?")+
			") j JOIN search_terms t ON t.term = j.value", string(list))
		err = EachRow(rows, err, func(r *sql.Rows) error {
			var tid int64
			var t string
			var n int
			err := r.Scan(&tid, &t, &n)
			counts[t], termOf[tid] = n, t
			ids = append(ids, tid)
			return err
		})
		if err != nil {
			return nil, 0, err
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	added, removed := diffIDs(old, ids)
	for _, id := range added {
		counts[termOf[id]]++
	}
	down := d.Greatest() + "(docs - 1, 0)"
	if err := bumpCounts(ctx, d, tx, added, "docs + 1"); err != nil {
		return nil, 0, err
	}
	if err := bumpCounts(ctx, d, tx, removed, down); err != nil {
		return nil, 0, err
	}
	switch {
	case terms != nil && !had:
		_, err = Exec(ctx, d, tx, "UPDATE search_terms SET docs = docs + 1 WHERE term = ''")
	case terms == nil && had:
		_, err = Exec(ctx, d, tx, "UPDATE search_terms SET docs = "+down+" WHERE term = ''")
	}
	if err != nil {
		return nil, 0, err
	}
	if terms != nil {
		_, err = Exec(ctx, d, tx, `INSERT INTO story_profiles (story_id, terms) VALUES (?, ?)
			ON CONFLICT (story_id) DO UPDATE SET terms = excluded.terms`, id, EncodeIDs(ids))
	} else if had {
		_, err = Exec(ctx, d, tx, "DELETE FROM story_profiles WHERE story_id = ?", id)
	}
	if err != nil {
		return nil, 0, err
	}
	var docs int
	if err := QueryRow(ctx, d, tx, "SELECT docs FROM search_terms WHERE term = ''").Scan(&docs); err != nil {
		return nil, 0, err
	}
	return counts, docs, nil
}

// ensureTerms adds the terms search_terms does not have yet.
func ensureTerms(ctx context.Context, d Dialect, tx *sql.Tx, terms []string) error {
	for len(terms) > 0 {
		n := min(len(terms), RowsPerInsert)
		args := make([]any, n)
		for i, t := range terms[:n] {
			args[i] = t
		}
		if _, err := Exec(ctx, d, tx, "INSERT INTO search_terms (term) VALUES "+repeatJoin("(?)", n)+
			" ON CONFLICT (term) DO NOTHING", args...); err != nil {
			return err
		}
		terms = terms[n:]
	}
	return nil
}

// bumpCounts sets docs to expr for the terms with those ids.
func bumpCounts(ctx context.Context, d Dialect, tx *sql.Tx, ids []int64, expr string) error {
	for _, part := range SplitIDs(ids, 500) {
		if _, err := Exec(ctx, d, tx, "UPDATE search_terms SET docs = "+expr+" WHERE id IN ("+Placeholders(len(part))+")",
			Int64Args(part)...); err != nil {
			return err
		}
	}
	return nil
}

// diffIDs returns what b has that a has not, and what a has that b has
// not; both are sorted.
func diffIDs(a, b []int64) (added, removed []int64) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			removed = append(removed, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			added = append(added, b[j])
			j++
		default:
			i++
			j++
		}
	}
	return added, removed
}

// EncodeIDs writes sorted ids as delta-coded unsigned varints.
func EncodeIDs(ids []int64) []byte {
	out := make([]byte, 0, 2*len(ids))
	prev := int64(0)
	for _, id := range ids {
		out = binary.AppendUvarint(out, uint64(id-prev))
		prev = id
	}
	return out
}

// DecodeIDs reads what EncodeIDs wrote; a damaged blob gives the ids
// before the damage.
func DecodeIDs(b []byte) []int64 {
	var out []int64
	prev := int64(0)
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			break
		}
		prev += int64(d)
		out = append(out, prev)
		b = b[n:]
	}
	return out
}

// Word forms and typing slips, both from the term counts.

// Expansion limits: how many forms a plain word may match, and by how
// many letters they may be longer than its base (inflections, not other
// words that happen to start the same: flood → floods, flooded, flooding);
// and how many words a prefix (word*) may match, the commonest first.
const (
	maxForms       = 6
	maxFormExtra   = 4
	maxPrefixForms = 24
)

// SearchForms returns, for each base, the commonest words of published
// stories that it starts (the base itself included when it is a word),
// in one statement.
func (c *Core) SearchForms(ctx context.Context, bases []search.Base) (map[string][]string, error) {
	type spec struct {
		Start string `json:"s"`
		End   string `json:"e"` // the first string after every word Start starts
		Extra int    `json:"x"`
		Max   int    `json:"n"`
	}
	specs := make([]spec, len(bases))
	for i, b := range bases {
		specs[i] = spec{b.Start, b.Start + string(utf8.MaxRune), maxFormExtra, maxForms}
		if b.Prefix {
			specs[i].Extra, specs[i].Max = 1<<20, maxPrefixForms
		}
	}
	list, err := json.Marshal(specs)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	rows, err := c.d.Read(ctx, `SELECT base, term FROM (
		SELECT b.base, t.term, b.max, row_number() OVER (PARTITION BY b.base ORDER BY t.docs DESC, t.term) AS n
		FROM (SELECT value ->> 's' AS base, value ->> 'e' AS bound, CAST(value ->> 'x' AS integer) AS extra,
			CAST(value ->> 'n' AS integer) AS max FROM `+c.d.JSONRows("?")+`) b
		JOIN search_terms t ON t.term >= b.base AND t.term < b.bound
		WHERE t.docs > 0 AND length(t.term) <= length(b.base) + b.extra) AS f
		WHERE n <= max`, string(list))
	err = EachRow(rows, err, func(r *sql.Rows) error {
		var base, form string
		err := r.Scan(&base, &form)
		out[base] = append(out[base], form)
		return err
	})
	return out, err
}

// CorrectQuery replaces each word of pq that no published story holds
// with the known term one typing slip away that most stories hold. One
// statement whatever the query: the words and all their variants are
// looked up together.
func (c *Core) CorrectQuery(ctx context.Context, pq search.Query) (search.Query, bool, error) {
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
	rows, err := c.d.Read(ctx, "SELECT t.term, t.docs FROM ("+c.d.JSONTexts("?")+
		") j JOIN search_terms t ON t.term = j.value WHERE t.docs > 0", string(list))
	err = EachRow(rows, err, func(r *sql.Rows) error {
		var t string
		var n int
		err := r.Scan(&t, &n)
		docs[t] = n
		return err
	})
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
		for _, cand := range cands {
			if n := docs[cand]; n > 0 {
				found = append(found, search.Candidate{Term: cand, Docs: n})
			}
		}
		if best, ok := search.Correct(t.Words[0], found); ok {
			pq, changed = pq.Replace(i, best), true
		}
	}
	return pq, changed, nil
}
