package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/postgres"
	"dateline/internal/store/sqlshare"
)

// TestListedPlans checks, on an analysed archive where one tag and one
// author carry most of 30,000 stories, that their pages and the content
// API's tag and author filters read the listed indexes (migration 0023)
// in page order: an index scan under the limit, no sort of the tag's or
// author's stories.
func TestListedPlans(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t).DB()
	// Every third story is a draft; stories 1-29,000 carry tag 1 and
	// author 1, the rest tag 2 and author 2.
	for _, q := range []string{
		"INSERT INTO sections (id, slug, name) VALUES (1, 'world', 'World')",
		"INSERT INTO authors (id, slug, name) VALUES (1, 'ana', 'Ana'), (2, 'bo', 'Bo')",
		"INSERT INTO tags (id, slug, name) VALUES (1, 'harbours', 'Harbours'), (2, 'ships', 'Ships')",
		`INSERT INTO stories (id, language, type, status, section_id, headline, body_json, first_published_at, created_at, modified_at)
			SELECT i, 'en', 'news', CASE WHEN i % 3 = 0 THEN 'draft' ELSE 'published' END, 1, 'Story ' || i, '[]',
				CASE WHEN i % 3 = 0 THEN NULL ELSE i::bigint * 1000000 END, i, i
			FROM generate_series(1, 30000) AS i`,
		"INSERT INTO story_bylines (story_id, position, author_id, name) SELECT i, 0, CASE WHEN i <= 29000 THEN 1 ELSE 2 END, '' FROM generate_series(1, 30000) AS i",
		"INSERT INTO story_tags (story_id, tag_id, position) SELECT i, CASE WHEN i <= 29000 THEN 1 ELSE 2 END, 0 FROM generate_series(1, 30000) AS i",
		"ANALYZE",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	after := store.Cursor{At: time.UnixMicro(20000 * 1000000), ID: 20000}
	type statement struct {
		text  string
		args  []any
		index string
	}
	list := func(q store.ListQuery, index string) statement {
		text, args := sqlshare.ListSQL(postgres.PlanDialect, q)
		return statement{text, args, index}
	}
	api := func(q store.APIQuery, index string) statement {
		text, args := sqlshare.APIStoriesSQL(postgres.PlanDialect, q)
		return statement{text, args, index}
	}
	for name, st := range map[string]statement{
		"tag":                  list(store.ListQuery{TagID: 1, Limit: 13}, "story_tags_listed"),
		"tag, next page":       list(store.ListQuery{TagID: 1, Limit: 13, After: after, Exclude: []int64{5}}, "story_tags_listed"),
		"author":               list(store.ListQuery{AuthorID: 1, Limit: 13}, "story_bylines_listed"),
		"author, next page":    list(store.ListQuery{AuthorID: 1, Limit: 13, After: after}, "story_bylines_listed"),
		"API tag":              api(store.APIQuery{TagID: 1, Limit: 20}, "story_tags_listed"),
		"API author, language": api(store.APIQuery{AuthorID: 1, Limit: 20, Language: "en", After: after}, "story_bylines_listed"),
	} {
		rows, err := db.QueryContext(ctx, "EXPLAIN "+postgres.Rebind(st.text), st.args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		all := strings.Join(plan, "\n")
		if !strings.Contains(all, "Index Scan using "+st.index) && !strings.Contains(all, "Index Only Scan using "+st.index) ||
			strings.Contains(all, "Sort") {
			t.Errorf("%s: plan\n%s\nwant an index scan of %s and no sort", name, all, st.index)
		}
	}
}
