package app_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"dateline/internal/app"
	"dateline/internal/store/sqlite"
)

func TestBenchDataFillsAnArchive(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bench.db")
	args := []string{"bench-data", "--stories", "100", "--db", db, "--media-dir", filepath.Join(dir, "media")}
	var out strings.Builder
	if err := app.Run(context.Background(), args, env(nil), &out, io.Discard); err != nil {
		t.Fatalf("bench-data: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "100 stories in ") {
		t.Errorf("bench-data output %q does not report 100 stories", out.String())
	}
	checkBenchArchive(t, db, 100)
	// A second run refuses a store that has stories.
	err := app.Run(context.Background(), args, env(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already has") {
		t.Errorf("bench-data on a filled store: %v, want a refusal", err)
	}
	// The archive serves: a tag page, search and the sitemap index.
	base, _, stop := startServe(t, []string{"--addr", "127.0.0.1:0"},
		map[string]string{"DATELINE_DB": db, "DATELINE_MEDIA_DIR": filepath.Join(dir, "media")})
	defer stop()
	for _, path := range []string{"/", "/world", "/search?q=election", "/sitemap.xml", "/sitemap-news.xml"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s on the bench archive: %d", path, resp.StatusCode)
		}
	}
}

// checkBenchArchive checks the filled store's shape: every index a fresh
// store has (the bulk load drops the story tables' indexes and builds them
// again at the end), and each story's rows: a search index entry, an event,
// tags, a byline, a related list and a profile.
func checkBenchArchive(t *testing.T, path string, stories int) {
	t.Helper()
	ctx := context.Background()
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	st, err := sqlite.Open(ctx, fresh, nil)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	indexes := func(path string) []string {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			out = append(out, n)
		}
		return out
	}
	want, got := indexes(fresh), indexes(path)
	for _, n := range want {
		if !slices.Contains(got, n) {
			t.Errorf("index %s missing after bench-data", n)
		}
	}
	if !slices.Contains(want, "stories_sitemap_block") || len(got) != len(want) {
		t.Errorf("indexes after bench-data %v, want those of a fresh store %v", got, want)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for q, want := range map[string]int{
		"SELECT count(*) FROM stories WHERE status = 'published'":                                                stories,
		"SELECT count(*) FROM story_search_docsize":                                                              stories,
		"SELECT count(*) FROM story_events WHERE kind = 'published'":                                             stories,
		"SELECT count(DISTINCT story_id) FROM story_tags":                                                        stories,
		"SELECT count(*) FROM story_profiles":                                                                    stories,
		"SELECT count(DISTINCT story_id) FROM story_auto_related":                                                stories,
		"SELECT count(*) FROM stories s WHERE NOT EXISTS (SELECT 1 FROM story_events e WHERE e.story_id = s.id)": 0,
	} {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n != want {
			t.Errorf("%s = %d, want %d", q, n, want)
		}
	}
	// Every generated story has a byline; a few demo stories (wire copy)
	// have none.
	var bylined int
	if err := db.QueryRow("SELECT count(DISTINCT story_id) FROM story_bylines").Scan(&bylined); err != nil || bylined < stories*9/10 {
		t.Errorf("%d stories with a byline, %v; want nearly all of %d", bylined, err, stories)
	}
	// The search index finds a word every synthetic story's template has
	// in its tags or text, through the same FTS5 table the site queries.
	var hits int
	if err := db.QueryRow("SELECT count(*) FROM story_search WHERE story_search MATCH 'the'").Scan(&hits); err != nil || hits < stories/2 {
		t.Errorf("search for \"the\": %d hits, %v; want most of the %d stories", hits, err, stories)
	}
}
