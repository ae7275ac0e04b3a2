package app_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/sqlite"
	"dateline/internal/story"
)

// TestWatchedFolderWhileServing sets a publishing source's watched
// folder in the store of a running server and drops a file into it: the
// server's intake imports it and the story reaches readers on its own.
func TestWatchedFolderWhileServing(t *testing.T) {
	dir := t.TempDir()
	db, mediaDir, inbox := filepath.Join(dir, "site.db"), filepath.Join(dir, "media"), filepath.Join(dir, "inbox")
	if err := os.Mkdir(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	base, _, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--db", db, "--media-dir", mediaDir}, nil)
	defer stop()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src, err := st.EnsureSource(ctx, story.Source{Label: "DTW", Name: "Dateline Test Wire"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetWireIntake(ctx, store.WireIntake{SourceID: src.ID, Folder: inbox, Publish: true}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../wire/testdata/g2_harbour_v1.xml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inbox, ".harbour.xml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(inbox, ".harbour.xml"), filepath.Join(inbox, "harbour.xml")); err != nil {
		t.Fatal(err)
	}
	var items []store.WireItem
	for deadline := time.Now().Add(60 * time.Second); len(items) == 0 || items[0].StoryID == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the dropped file was not imported within the deadline")
		}
		if items, err = st.WireItems(ctx, store.WireQuery{SourceID: src.ID}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := st.Story(ctx, items[0].StoryID)
	if err != nil || s.Status != story.StatusPublished {
		t.Fatalf("story %+v %v", s, err)
	}
	t.Logf("dropped file public after %v", waitStatus(t, base+s.Path(), http.StatusOK))
	if _, err := os.Stat(filepath.Join(inbox, "done", "harbour.xml")); err != nil {
		t.Errorf("the file was not moved into done/: %v", err)
	}
}
