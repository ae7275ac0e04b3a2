package postgres

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"

	"dateline/internal/search"
	"dateline/internal/story"
)

// Term counts (migration 0007): search_terms counts, for every telling
// term and signature key, the published stories that have it, and
// story_profiles remembers which terms each published story was counted
// under. Publishing, changing and taking down a story move the counts by
// the difference; a rebuild recounts everything.

// countedTerms are the terms a story is counted under: its profile's
// terms and its keys.
func countedTerms(p search.Profile, st *story.Story) []string {
	out := make([]string, 0, len(p.Terms)+len(st.Tags)+1)
	out = append(out, p.Terms...)
	for _, t := range st.Tags {
		out = append(out, search.TagKey(t.Slug))
	}
	return append(out, search.LangKey(st.Language))
}

// recount moves the counts from the terms story id was counted under to
// terms (nil: it is no longer published), and returns the new counts of
// terms and the number of published stories.
func recount(ctx context.Context, tx *sql.Tx, id int64, terms []string) (map[string]int, int, error) {
	var blob []byte
	err := queryRow(ctx, tx, "SELECT terms FROM story_profiles WHERE story_id = ?", id).Scan(&blob)
	had := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, 0, err
	}
	err = nil
	old := decodeIDs(blob)
	counts := map[string]int{}
	var ids []int64
	termOf := map[int64]string{}
	if terms != nil {
		if err := ensureTerms(ctx, tx, terms); err != nil {
			return nil, 0, err
		}
		list, err := json.Marshal(terms)
		if err != nil {
			return nil, 0, err
		}
		err = eachRow(ctx, tx, func(r *sql.Rows) error {
			var tid int64
			var t string
			var n int
			err := r.Scan(&tid, &t, &n)
			counts[t], termOf[tid] = n, t
			ids = append(ids, tid)
			return err
		}, "SELECT t.id, t.term, t.docs FROM jsonb_array_elements_text(?::jsonb) j(value) JOIN search_terms t ON t.term = j.value", string(list))
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
	if err := bumpCounts(ctx, tx, added, "docs + 1"); err != nil {
		return nil, 0, err
	}
	if err := bumpCounts(ctx, tx, removed, "greatest(docs - 1, 0)"); err != nil {
		return nil, 0, err
	}
	switch {
	case terms != nil && !had:
		_, err = exec(ctx, tx, "UPDATE search_terms SET docs = docs + 1 WHERE term = ''")
	case terms == nil && had:
		_, err = exec(ctx, tx, "UPDATE search_terms SET docs = greatest(docs - 1, 0) WHERE term = ''")
	}
	if err != nil {
		return nil, 0, err
	}
	if terms != nil {
		_, err = exec(ctx, tx, `INSERT INTO story_profiles (story_id, terms) VALUES (?, ?)
			ON CONFLICT (story_id) DO UPDATE SET terms = excluded.terms`, id, encodeIDs(ids))
	} else if had {
		_, err = exec(ctx, tx, "DELETE FROM story_profiles WHERE story_id = ?", id)
	}
	if err != nil {
		return nil, 0, err
	}
	var docs int
	if err := queryRow(ctx, tx, "SELECT docs FROM search_terms WHERE term = ''").Scan(&docs); err != nil {
		return nil, 0, err
	}
	return counts, docs, nil
}

// ensureTerms adds the terms search_terms does not have yet.
func ensureTerms(ctx context.Context, tx *sql.Tx, terms []string) error {
	for len(terms) > 0 {
		n := min(len(terms), rowsPerInsert)
		args := make([]any, n)
		for i, t := range terms[:n] {
			args[i] = t
		}
		if _, err := exec(ctx, tx, "INSERT INTO search_terms (term) VALUES "+repeatJoin("(?)", n)+
			" ON CONFLICT (term) DO NOTHING", args...); err != nil {
			return err
		}
		terms = terms[n:]
	}
	return nil
}

// bumpCounts sets docs to expr for the terms with those ids.
func bumpCounts(ctx context.Context, tx *sql.Tx, ids []int64, expr string) error {
	for _, part := range splitIDs(ids, 500) {
		if _, err := exec(ctx, tx, "UPDATE search_terms SET docs = "+expr+" WHERE id IN ("+placeholders(len(part))+")",
			int64Args(part)...); err != nil {
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

// encodeIDs writes sorted ids as delta-coded unsigned varints.
func encodeIDs(ids []int64) []byte {
	out := make([]byte, 0, 2*len(ids))
	prev := int64(0)
	for _, id := range ids {
		out = binary.AppendUvarint(out, uint64(id-prev))
		prev = id
	}
	return out
}

// decodeIDs reads what encodeIDs wrote; a damaged blob gives the ids
// before the damage.
func decodeIDs(b []byte) []int64 {
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

func repeatJoin(s string, n int) string {
	b := make([]byte, 0, n*(len(s)+2))
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, s...)
	}
	return string(b)
}
