package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/internal/app"
	"dateline/internal/store"
	"dateline/internal/store/sqlite"
)

// waitStatus polls url until it answers want, within a generous deadline
// (the machine is shared), and returns how long that took.
func waitStatus(t *testing.T, url string, want int) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < 60*time.Second {
		res, err := http.Get(url)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == want {
				return time.Since(start)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not answer %d within the deadline", url, want)
	return 0
}

// TestIngestWhileServing imports into the store of a running server:
// the story, its kill and an embargoed item reach readers on their own.
func TestIngestWhileServing(t *testing.T) {
	dir := t.TempDir()
	db, mediaDir := filepath.Join(dir, "site.db"), filepath.Join(dir, "media")
	base, _, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--db", db, "--media-dir", mediaDir}, nil)
	defer stop()
	ingest := func(args ...string) {
		t.Helper()
		var out bytes.Buffer
		args = append([]string{"ingest", "--db", db, "--media-dir", mediaDir, "--source", "DTW", "--no-fetch"}, args...)
		if err := app.Run(context.Background(), args, env(nil), &out, io.Discard); err != nil {
			t.Fatalf("ingest: %v\n%s", err, out.String())
		}
	}
	st, err := sqlite.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pathOf := func(guid string) string {
		t.Helper()
		items, err := st.WireItems(context.Background(), store.WireQuery{GUID: guid})
		if err != nil || len(items) == 0 || items[0].StoryID == 0 {
			t.Fatalf("no story for %s: %v", guid, err)
		}
		s, err := st.Story(context.Background(), items[0].StoryID)
		if err != nil {
			t.Fatal(err)
		}
		return s.Path()
	}

	ingest("../wire/testdata/g2_harbour_v1.xml", "--publish")
	path := pathOf("urn:newsml:dateline.test:20260101:harbour-strike")
	t.Logf("published story visible after %v", waitStatus(t, base+path, http.StatusOK))
	ingest("../wire/testdata/g2_harbour_v3_kill.xml")
	t.Logf("kill visible after %v", waitStatus(t, base+path, http.StatusGone))

	// An embargo two seconds away: held (404), then published by the
	// server's scheduler.
	data, err := os.ReadFile("../wire/testdata/g2_budget_embargoed.xml")
	if err != nil {
		t.Fatal(err)
	}
	soon := time.Now().Add(2 * time.Second).UTC().Format(time.RFC3339)
	file := filepath.Join(dir, "embargo.xml")
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), "2099-01-01T12:00:00Z", soon, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	ingest(file, "--publish")
	epath := pathOf("urn:newsml:dateline.test:20260101:budget-embargo")
	res, err := http.Get(base + epath)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	embargo, _ := time.Parse(time.RFC3339, soon)
	if time.Now().Before(embargo) && res.StatusCode != http.StatusNotFound {
		t.Errorf("embargoed story answers %d before its embargo", res.StatusCode)
	}
	waitStatus(t, base+epath, http.StatusOK)
	if time.Now().Before(embargo) {
		t.Error("the embargoed story went out before its embargo")
	}
}
