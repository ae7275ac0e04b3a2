package sqlshare

import (
	"database/sql"
	"sort"
	"strings"

	"dateline/internal/search"
	"dateline/internal/story"
)

// Scored is a candidate related story.
type Scored struct {
	ID    int64
	Score float64
}

// SignatureOf computes st's signature from its profile and the counts.
func SignatureOf(p search.Profile, st *story.Story, counts map[string]int, docs int) []search.Weighted {
	df := make([]int, len(p.Terms))
	for i, t := range p.Terms {
		df[i] = counts[t]
	}
	keys := make([]search.Key, 0, len(st.Tags)+1)
	for _, t := range st.Tags {
		k := search.TagKey(t.Slug)
		keys = append(keys, search.Key{Term: k, DF: counts[k]})
	}
	lang := search.LangKey(st.Language)
	keys = append(keys, search.Key{Term: lang, DF: counts[lang]})
	return search.Signature(p, df, KeepKeys(keys, docs), docs)
}

// KeepKeys drops a language key that more than a fifth of the stories
// share: the language most of the archive is in relates nothing, while
// two Arabic stories on an English site belong together.
func KeepKeys(keys []search.Key, docs int) []search.Key {
	out := keys[:0]
	for _, k := range keys {
		if strings.HasPrefix(k.Term, "@") && k.DF > docs/5 {
			continue
		}
		out = append(out, k)
	}
	return out
}

// SortScored orders candidates best first, ties to the newer story.
func SortScored(list []Scored) {
	sort.Slice(list, func(i, j int) bool {
		if list[i].Score != list[j].Score {
			return list[i].Score > list[j].Score
		}
		return list[i].ID > list[j].ID
	})
}

// Int64s reads a one-column result of ids; it takes a query's two results
// as they come, so a call reads Int64s(query(...)).
func Int64s(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// JoinUnion joins SELECTs with UNION ALL.
func JoinUnion(parts []string) string {
	out := parts[0]
	for _, p := range parts[1:] {
		out += " UNION ALL " + p
	}
	return out
}
