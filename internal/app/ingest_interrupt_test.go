package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"dateline/internal/app"
	"dateline/internal/store"
	"dateline/internal/testutil"
)

// cancelAt cancels a context when a line containing mark is written.
type cancelAt struct {
	mu     sync.Mutex
	mark   string
	cancel context.CancelFunc
	buf    bytes.Buffer
}

func (c *cancelAt) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.mark) {
		c.cancel()
	}
	return len(p), nil
}

// wireState is every wire story of a store, as comparable text.
func wireState(t *testing.T, site *testutil.Site) []string {
	t.Helper()
	ctx := context.Background()
	items, err := site.Store.WireItems(ctx, store.WireQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	var out []string
	for _, it := range items {
		if it.StoryID == 0 || seen[it.StoryID] {
			continue
		}
		seen[it.StoryID] = true
		st, err := site.Store.Story(ctx, it.StoryID)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(st.Body)
		out = append(out, strings.Join([]string{st.WireID, string(st.Status), st.Headline, st.Section.Slug, string(body)}, "|"))
	}
	sort.Strings(out)
	return out
}

// TestIngestInterrupted stops an import part-way (as a kill would: the
// transaction in flight is rolled back) and runs it again: the store ends
// exactly as after one clean run, with no duplicate and no half story.
func TestIngestInterrupted(t *testing.T) {
	shared := testutil.SharedTestdata(t)
	args := func(site *testutil.Site) []string {
		return []string{"ingest", filepath.Join(shared, "wire"), filepath.Join(shared, "feeds"), "../wire/testdata",
			"--publish", "--source", "DTW", "--no-fetch", "--db", site.Config.DB, "--media-dir", site.Config.MediaDir}
	}
	clean := newIngestSite(t)
	runIngest(t, clean, args(clean)[1:]...)

	broken := newIngestSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &cancelAt{mark: "(40%)", cancel: cancel}
	var out bytes.Buffer
	err := app.RunWithInput(ctx, args(broken), env(nil), nil, &out, stderr)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	partial, _ := broken.Store.CountStories(context.Background())
	runIngest(t, broken, args(broken)[1:]...)

	want, got := wireState(t, clean), wireState(t, broken)
	if len(want) < 100 || partial == 0 || partial >= len(want) {
		t.Fatalf("%d stories after the interruption, %d clean: the run was not cut part-way", partial, len(want))
	}
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Errorf("after the re-run the store differs from a clean run: %d vs %d stories", len(got), len(want))
	}
	n1, _ := clean.Store.CountStories(context.Background())
	n2, _ := broken.Store.CountStories(context.Background())
	if n1 != n2 {
		t.Errorf("%d stories after interrupt and re-run, %d after a clean run", n2, n1)
	}
}
