package app_test

import (
	"context"
	"dateline/internal/testutil"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"dateline/internal/app"
)

func fetch(t *testing.T, u string) (int, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(body)
}

// TestServeDemoOnPostgres runs the whole product on PostgreSQL: the real
// command fills the demo and serves every kind of public page from it.
func TestServeDemoOnPostgres(t *testing.T) {
	dbURL := testutil.PostgresDatabase(t)
	dir := t.TempDir()
	base, logs, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--demo", "--database-url", dbURL,
		"--media-dir", filepath.Join(dir, "media")}, nil)
	if u, _ := url.Parse(dbURL); u != nil {
		if pw, ok := u.User.Password(); ok && strings.Contains(logs.String(), ":"+pw+"@") {
			t.Errorf("the log shows the database password:\n%s", logs.String())
		}
	}
	code, front := fetch(t, base+"/")
	if code != 200 {
		t.Fatalf("GET /: %d", code)
	}
	m := regexp.MustCompile(`href="(?:`+regexp.QuoteMeta(base)+`)?(/[a-z0-9-]+)/[a-z0-9-]*-?\d+"`).FindAllStringSubmatch(front, -1)
	if len(m) == 0 {
		t.Fatalf("no story link on the front page:\n%.2000s", front)
	}
	storyPath := strings.TrimPrefix(strings.TrimSuffix(strings.TrimPrefix(m[0][0], `href="`), `"`), base)
	for _, tc := range []struct{ path, want string }{
		{storyPath, "<article"},
		{m[0][1], "<h1"}, // the story's section
		{"/search?q=election", "election"},
		{"/rss.xml", "<item>"},
		{"/sitemap.xml", "<sitemapindex"},
		{"/sitemap-news.xml", "<news:news>"},
		{"/api/v1/stories", `"headlines"`},
	} {
		code, body := fetch(t, base+tc.path)
		if code != 200 || !strings.Contains(strings.ToLower(body), strings.ToLower(tc.want)) {
			t.Errorf("GET %s: %d, want 200 with %q:\n%.600s", tc.path, code, tc.want, body)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	// dateline ingest publishes a wire item into the same database.
	var out strings.Builder
	err := app.Run(context.Background(), []string{"ingest", "../wire/testdata/g2_harbour_v1.xml", "--publish", "--source", "DTW",
		"--no-fetch", "--database-url", dbURL, "--media-dir", filepath.Join(dir, "media")}, env(nil), &out, io.Discard)
	if err != nil || !strings.Contains(out.String(), "imported=1 ") {
		t.Fatalf("ingest: %v\n%s", err, out.String())
	}
	// A second start on the same database finds it migrated and filled,
	// and serves the wire story.
	base, logs, stop = startServe(t, []string{"--addr", "127.0.0.1:0", "--demo", "--database-url", dbURL,
		"--media-dir", filepath.Join(dir, "media")}, nil)
	if strings.Contains(logs.String(), "demo newsroom created") {
		t.Error("the demo was filled twice")
	}
	if code, body := fetch(t, base+"/search?q=rotterdam"); code != 200 || !strings.Contains(body, "Rotterdam") {
		t.Errorf("search for the ingested story: %d", code)
	}
	stop()
}

// TestServeUnreachablePostgres: a server that is not there fails start
// with exit 1 and a message naming the host, never the password.
func TestServeUnreachablePostgres(t *testing.T) {
	dir := t.TempDir()
	err := app.Run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--media-dir", filepath.Join(dir, "m"),
		"--database-url", "postgres://editor:s3cret-pw@127.0.0.1:1/news?connect_timeout=5"}, env(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") || strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("serve on an unreachable server: %v, want an error naming 127.0.0.1:1 without the password", err)
	}
	if code := app.ExitCode(err); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
}
