package postgres

import (
	"context"
	"database/sql"
	"strings"

	"dateline/internal/search"
	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// Full-text search on PostgreSQL: story_search holds a tsvector per story,
// made in Go from the same folded terms the query side uses (tsvector.go),
// not by PostgreSQL's own parsers, so both stores find the same stories.
// Queries are sqlshare's (search.go), with this file's match and ranking.

// indexText replaces the story's row in the full-text index.
func indexText(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	names, err := sqlshare.IndexedNames(ctx, dialect{}, tx, st)
	if err != nil {
		return err
	}
	vec := tsvector([]weighted{
		{'A', search.IndexText(st.Headline)},
		{'B', search.IndexText(st.Standfirst)},
		{'D', search.IndexText(story.BodyText(st.Body))},
		{'B', search.IndexText(strings.Join(sqlshare.IndexedTags(st), " "))},
		{'C', search.IndexText(strings.Join(names, " "))},
	})
	_, err = exec(ctx, tx, `INSERT INTO story_search (id, tsv) VALUES (?, ?::tsvector)
		ON CONFLICT (id) DO UPDATE SET tsv = excluded.tsv`, st.ID, vec)
	return err
}

// rankWeights are ts_rank's weights, in its order D, C, B, A: a word in
// the headline (A) counts ten times one in the body (D); standfirst and
// tags (B) and names (C) come between, as the SQLite store's bm25 weights
// have it.
const rankWeights = "'{0.1, 0.4, 0.6, 1.0}'"

// FullTextMatch is pq as a tsquery.
func (dialect) FullTextMatch(pq search.Query, relaxed bool) string { return tsquery(pq, relaxed) }

// FullTextHits: the tsvector's @@, scored by ts_rank.
func (dialect) FullTextHits(m string) (from, key, cond, rank string) {
	return "story_search ss", "ss.id", "ss.tsv @@ " + m + "::tsquery",
		"ts_rank(" + rankWeights + ", ss.tsv, " + m + "::tsquery)::float8"
}
