package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"dateline/internal/app"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// TestBackupUnderLoadAndRestore backs up a demo store while stories and
// revisions are being written, restores the copy into a new place, and
// compares every row of the restored tables with the live store.
func TestBackupUnderLoadAndRestore(t *testing.T) {
	dir := t.TempDir()
	s, err := testutil.NewSite(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Store.Close()
	ctx := context.Background()
	secs, err := s.Store.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A small archive with real pictures (stored in every width, so the
	// media manifest has files to list), lighter than the demo.
	for i := 0; i < 40; i++ {
		img := image.NewRGBA(image.Rect(0, 0, 700, 400))
		for x := 0; x < 700; x++ {
			img.Set(x, (x*(i+1))%400, color.RGBA{uint8(i * 6), 90, 160, 255})
		}
		var lead *story.Image
		if i%10 == 0 {
			m, err := s.Media.PutImage(img)
			if err != nil {
				t.Fatal(err)
			}
			if m.ID, err = s.Store.CreateMedia(ctx, m); err != nil {
				t.Fatal(err)
			}
			lead = &story.Image{MediaID: m.ID, Hash: m.Hash, Width: m.Width, Height: m.Height, Caption: "A picture", Credit: "Dateline"}
		}
		st := &story.Story{Language: "en", Type: story.TypeNews, Status: story.StatusPublished, Section: secs[0], Lead: lead,
			Headline: fmt.Sprintf("Archive story %d", i), Body: story.ParseBody("Words of the archive."),
			Bylines: []story.Byline{{Name: "A. Reporter"}}, Tags: []story.Tag{{Name: "archive"}}, FirstPublishedAt: s.Now}
		id, err := s.Store.CreateStory(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Store.AddRevision(ctx, store.Revision{StoryID: id, Kind: "save", Snapshot: *st}); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := s.Store.CountStories(ctx)

	// Writers: new stories, each with a revision, until told to stop.
	var stop atomic.Bool
	var wrote atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				st := &story.Story{Language: "en", Type: story.TypeNews, Status: story.StatusPublished, Section: secs[0],
					Headline: fmt.Sprintf("Load story %d-%d", w, i), Body: story.ParseBody("Words written during the backup.")}
				id, err := s.Store.CreateStory(ctx, st)
				if err == nil {
					_, err = s.Store.AddRevision(ctx, store.Revision{StoryID: id, Kind: "save", Snapshot: *st})
				}
				if err != nil {
					errs <- err
					return
				}
				wrote.Add(1)
			}
		}()
	}
	for wrote.Load() < 5 {
		select {
		case err := <-errs:
			t.Fatal(err)
		default:
		}
	}
	backupFile := filepath.Join(t.TempDir(), "site.backup")
	common := []string{"--media-dir", s.Config.MediaDir}
	var out bytes.Buffer
	err = app.Run(ctx, append([]string{"backup", backupFile, "--db", s.Config.DB}, common...), noEnv, &out, &out)
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("writer: %v", err)
	}
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "media files") {
		t.Errorf("backup said %q", out.String())
	}

	target := filepath.Join(t.TempDir(), "restored.db")
	out.Reset()
	if err := app.Run(ctx, append([]string{"restore", backupFile, "--db", target}, common...), noEnv, &out, &out); err != nil {
		t.Fatalf("restore: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "0 missing, 0 different") {
		t.Errorf("restore's media check: %q", out.String())
	}

	live, restored := openRaw(t, s.Config.DB), openRaw(t, target)
	var ok string
	if err := restored.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check = %q, %v", ok, err)
	}
	var n int
	if err := restored.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = '_backup_media'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the manifest table was left in the restored store")
	}
	// Writers only added rows, so every restored row must be in the live
	// store exactly as it is, and the restored story count lies between
	// the counts before and after the load.
	for _, table := range []string{"stories", "story_revisions", "story_bylines", "story_tags", "media", "sections", "story_events"} {
		have := rowSet(t, live, table)
		got := rowSet(t, restored, table)
		for row := range got {
			if !have[row] {
				t.Errorf("%s: restored row not in the live store: %.200s", table, row)
			}
		}
		if len(got) == 0 {
			t.Errorf("%s: restored table is empty", table)
		}
	}
	var count int
	restored.QueryRow("SELECT count(*) FROM stories").Scan(&count)
	if after, _ := s.Store.CountStories(ctx); count < before || count > after {
		t.Errorf("restored %d stories; live had %d before the backup and %d after", count, before, after)
	}

	// A second restore over it is refused without --force, and leaves it alone.
	err = app.Run(ctx, append([]string{"restore", backupFile, "--db", target}, common...), noEnv, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore over a store without --force: %v", err)
	}
	if err := app.Run(ctx, append([]string{"restore", backupFile, "--db", target, "--force"}, common...), noEnv, &out, &out); err != nil {
		t.Fatalf("restore --force: %v", err)
	}
	// A backup never overwrites a file, and a non-backup is refused by name.
	if err := app.Run(ctx, append([]string{"backup", backupFile, "--db", s.Config.DB}, common...), noEnv, &out, &out); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	junk := filepath.Join(t.TempDir(), "junk")
	os.WriteFile(junk, []byte("not a database"), 0o600)
	err = app.Run(ctx, append([]string{"restore", junk, "--db", filepath.Join(t.TempDir(), "x.db")}, common...), noEnv, &out, &out)
	if err == nil || !strings.Contains(err.Error(), junk) {
		t.Errorf("restore of a non-backup: %v", err)
	}
}

func noEnv(string) string { return "" }

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// rowSet returns every row of a table as one string each.
func rowSet(t *testing.T, db *sql.DB, table string) map[string]bool {
	t.Helper()
	rows, err := db.Query("SELECT * FROM " + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[string]bool{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprint(vals...)] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
