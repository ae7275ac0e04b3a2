package app_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"dateline/internal/store"
	"dateline/internal/testutil"
)

// smallDisk mounts a tmpfs of size bytes (root only) and returns its
// path; it is unmounted when the test ends. When root cannot mount in CI
// (CI=true) the test fails; a run without root is skipped, saying why.
func smallDisk(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+strconv.Itoa(size)); err != nil {
		msg := "mount a small tmpfs: " + err.Error() + " (the disk-full test needs root or CAP_SYS_ADMIN)"
		if os.Getenv("CI") == "true" && os.Getuid() == 0 {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fill writes a file until the disk is full and returns its path.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill the disk: %v", err)
			}
			return path
		}
	}
}

// TestDiskFull runs the store on a 4 MiB disk, fills the disk and
// publishes: the editor gets a page that says what is wrong (not a bare
// 500), so does a reader sending feedback or a contact message, the store stays
// consistent, and once space is freed the same publication goes through.
func TestDiskFull(t *testing.T) {
	disk := smallDisk(t, 4<<20)
	s, err := testutil.NewSite(disk, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Store.Close()
	s.MustUser("editor@dateline.test", "Editor", store.RoleEditor, crashPassword)
	sec, _ := s.Store.SectionBySlug(context.Background(), "world")
	c := testutil.NewClient(s.Handler)
	if !c.Login("editor@dateline.test", crashPassword) {
		t.Fatal("login failed")
	}
	form := url.Values{"headline": {"Written on a full disk"}, "standfirst": {"S"}, "section": {strconv.FormatInt(sec.ID, 10)},
		"type": {"news"}, "language": {"en"}, "bylines": {"A. Writer"}, "tags": {"Disk"},
		"body": {strings.Repeat("A paragraph that takes room on the disk. ", 2000)}, "action": {"publish"}}
	token := wirePushToken(t, s.Config.DB, "AA", true)
	item, err := os.ReadFile("../wire/testdata/g2_harbour_v1.xml")
	if err != nil {
		t.Fatal(err)
	}
	push := func() *http.Response {
		t.Helper()
		r := httptest.NewRequest(http.MethodPost, "/api/v1/wire/aa", bytes.NewReader(item))
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Content-Type", "application/xml")
		w := httptest.NewRecorder()
		s.Handler.ServeHTTP(w, r)
		return w.Result()
	}
	filler := fill(t, disk)

	db := openRW(t, s.Config.DB)
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	integrity := func(when string) {
		t.Helper()
		var ok string
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("%s: integrity_check = %q, %v", when, ok, err)
		}
	}

	w := c.PostForm("/newsroom/stories/new", form)
	if w.Code != http.StatusInsufficientStorage || !strings.Contains(w.Body.String(), "the disk that holds the database is full") {
		t.Errorf("publish on a full disk: %d, want 507 with a message saying the disk is full:\n%.1500s", w.Code, w.Body)
	}
	if n := count("SELECT count(*) FROM stories"); n != 0 {
		t.Errorf("%d stories after the failed publication, want none (no half-written story)", n)
	}
	// The reader's forms answer as the newsroom's do: 507 with words,
	// and the text kept for sending again.
	for _, path := range []string{"/feedback", "/contact"} {
		text := "Written on a full disk to " + path + ". " + strings.Repeat("Full. ", 500)
		w = c.PostForm(path, url.Values{"name": {"A Reader"}, "email": {"reader@example.com"}, "message": {text}})
		if w.Code != http.StatusInsufficientStorage || !strings.Contains(w.Body.String(), "run out of storage space") ||
			!strings.Contains(w.Body.String(), "Written on a full disk to "+path) {
			t.Errorf("POST %s on a full disk: %d, want 507 saying so with the text kept:\n%.1500s", path, w.Code, w.Body)
		}
	}
	if n := count("SELECT count(*) FROM messages"); n != 0 {
		t.Errorf("%d messages stored on a full disk", n)
	}
	// An agency's push: 507 in JSON that says why, nothing of the item kept.
	res := push()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusInsufficientStorage || !strings.Contains(string(body), "disk that holds the database is full") {
		t.Errorf("wire push on a full disk: %d %s, want 507 saying so", res.StatusCode, body)
	}
	if n := count("SELECT count(*) FROM wire_items"); n != 0 {
		t.Errorf("%d wire items stored on a full disk", n)
	}
	integrity("disk full")

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	w = c.PostForm("/newsroom/stories/new", form)
	if w.Code != http.StatusSeeOther || !strings.HasSuffix(w.Header().Get("Location"), "?done=published") {
		t.Fatalf("publish once space is back: %d %q", w.Code, w.Header().Get("Location"))
	}
	if n := count("SELECT count(*) FROM stories s WHERE status = 'published' AND (SELECT count(*) FROM story_bylines b WHERE b.story_id = s.id) = 1 AND (SELECT count(*) FROM story_tags g WHERE g.story_id = s.id) = 1"); n != 1 {
		t.Errorf("%d whole published stories once space is back, want 1", n)
	}
	if w := c.PostForm("/feedback", url.Values{"message": {"Space is back."}}); w.Code != http.StatusSeeOther {
		t.Errorf("feedback once space is back: %d", w.Code)
	}
	if res := push(); res.StatusCode != http.StatusOK {
		t.Errorf("wire push once space is back: %d", res.StatusCode)
	}
	integrity("space freed")
}
