package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"

	msqlite "modernc.org/sqlite"

	"dateline/internal/search"
	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// Full-text search on SQLite: an FTS5 table, story_search, whose rowid is
// the story's id, with a column each for the headline, standfirst, body,
// tags and names, holding terms folded in Go (search.IndexText). Queries
// are sqlshare's (search.go), with this file's match and ranking.

// The index holds terms made in Go, so SQL that fills it (migration 0005)
// needs the same code: it is registered with the driver as functions.
func init() {
	msqlite.MustRegisterDeterministicScalarFunction("dateline_index_text", 1,
		func(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			return search.IndexText(textArg(args[0])), nil
		})
	msqlite.MustRegisterDeterministicScalarFunction("dateline_body_text", 1,
		func(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			return sqlshare.BodyText(textArg(args[0])), nil
		})
}

func textArg(v driver.Value) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

// indexText replaces the story's row in the full-text index.
func indexText(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	if _, err := exec(ctx, tx, "DELETE FROM story_search WHERE rowid = ?", st.ID); err != nil {
		return err
	}
	names, err := sqlshare.IndexedNames(ctx, dialect{}, tx, st)
	if err != nil {
		return err
	}
	_, err = exec(ctx, tx, `INSERT INTO story_search (rowid, headline, standfirst, body, tags, names)
		VALUES (?, ?, ?, ?, ?, ?)`, st.ID, search.IndexText(st.Headline), search.IndexText(st.Standfirst),
		search.IndexText(story.BodyText(st.Body)), search.IndexText(strings.Join(sqlshare.IndexedTags(st), " ")),
		search.IndexText(strings.Join(names, " ")))
	return err
}

// bm25Weights are the columns' weights for bm25: a word in the headline
// counts ten times one in the body; tags, standfirst and names come
// between.
const bm25Weights = "10.0, 5.0, 1.0, 6.0, 4.0" // headline, standfirst, body, tags, names

// FullTextMatch is pq as an FTS5 query.
func (dialect) FullTextMatch(pq search.Query, relaxed bool) string { return pq.Match(relaxed) }

// FullTextHits: FTS5's MATCH, scored by bm25 (negative: lower is better).
func (dialect) FullTextHits(m string) (from, key, cond, rank string) {
	return "story_search", "story_search.rowid", "story_search MATCH " + m, "-bm25(story_search, " + bm25Weights + ")"
}
