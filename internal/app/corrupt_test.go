package app_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dateline/internal/app"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// TestServeRefusesCorruptStore starts serve on stores damaged in the ways
// files get damaged (another file put in its place, a copy cut short, the
// schema page overwritten): serve exits 1 with a message naming the file
// and pointing to dateline restore, and does not touch the file. (A
// damaged page of story data is not found at start: that takes a full
// PRAGMA quick_check, a read of the whole file.)
func TestServeRefusesCorruptStore(t *testing.T) {
	s, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sec, _ := s.Store.SectionBySlug(context.Background(), "world")
	for i := range 200 {
		st := &story.Story{Language: "en", Type: story.TypeNews, Status: story.StatusPublished, Section: sec,
			Headline: fmt.Sprintf("Story %d of the archive", i), Body: story.ParseBody(strings.Repeat("Words of the archive. ", 100))}
		if _, err := s.Store.CreateStory(context.Background(), st); err != nil {
			t.Fatal(err)
		}
	}
	good := s.Config.DB
	if err := s.Store.Close(); err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("store of %d bytes", len(whole))
	damage := map[string]func([]byte) []byte{
		"garbage":   func([]byte) []byte { return []byte(strings.Repeat("not a database at all ", 300)) },
		"cut short": func(b []byte) []byte { return b[:len(b)/3] },
		"schema page overwritten": func(b []byte) []byte {
			c := append([]byte(nil), b...)
			for i := 100; i < 4096; i++ {
				c[i] = 0xA5
			}
			return c
		},
	}
	for name, f := range damage {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "damaged.db")
			bad := f(whole)
			if err := os.WriteFile(path, bad, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			err := app.Run(ctx, []string{"serve", "--db", path, "--media-dir", filepath.Join(dir, "media"), "--addr", "127.0.0.1:0"},
				noEnv, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "dateline restore") {
				t.Fatalf("serve on a damaged store: %v; want an error naming %s and pointing to dateline restore", err, path)
			}
			if code := app.ExitCode(err); code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			after, _ := os.ReadFile(path)
			if string(after) != string(bad) {
				t.Errorf("serve changed the damaged file")
			}
		})
	}
}
