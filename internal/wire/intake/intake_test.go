package intake_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
	"dateline/internal/wire/intake"
)

const sample = "../testdata/g2_harbour_v1.xml"

func newSite(t *testing.T) *testutil.Site {
	t.Helper()
	site, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { site.Close() })
	return site
}

// source makes a source with intake settings.
func source(t *testing.T, site *testutil.Site, label string, in store.WireIntake) story.Source {
	t.Helper()
	src, err := site.Store.EnsureSource(context.Background(), story.Source{Label: label, Name: label})
	if err != nil {
		t.Fatal(err)
	}
	in.SourceID = src.ID
	if err := site.Store.SetWireIntake(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	return src
}

// drop writes a file into dir the way an agency's uploader should: under
// a temporary name, renamed when complete.
func drop(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	tmp := filepath.Join(dir, name+".part")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func queued(t *testing.T, st store.Store, src story.Source) []store.WireItem {
	t.Helper()
	items, err := st.WireItems(context.Background(), store.WireQuery{SourceID: src.ID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// TestWatchedFolder drops a good file and a broken one into a folder
// while the service runs: the good one's item reaches the queue and the
// file moves into done/, the broken one into failed/ with its reason.
func TestWatchedFolder(t *testing.T) {
	site := newSite(t)
	dir := t.TempDir()
	src := source(t, site, "DTW", store.WireIntake{Folder: dir})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		intake.New(intake.Options{Store: site.Store, Every: 20 * time.Millisecond, Settle: -1}).Run(ctx)
	}()
	defer func() { cancel(); <-stopped }()

	drop(t, dir, "harbour.xml", mustRead(t, sample))
	drop(t, dir, "broken.xml", []byte("<newsItem><unclosed>"))
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, errGood := os.Stat(filepath.Join(dir, intake.DoneDir, "harbour.xml"))
		_, errBad := os.Stat(filepath.Join(dir, intake.FailedDir, "broken.xml.reason.txt"))
		if errGood == nil && errBad == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30s the files were not processed: %v, %v", errGood, errBad)
		}
		time.Sleep(20 * time.Millisecond)
	}
	items := queued(t, site.Store, src)
	if len(items) != 1 || items[0].Headline != "Harbour workers strike in Rotterdam" || items[0].State != "queued" {
		t.Fatalf("queued %+v", items)
	}
	left, _ := os.ReadDir(dir)
	for _, e := range left {
		if !e.IsDir() {
			t.Errorf("%s was left in the watched folder", e.Name())
		}
	}
	if why := string(mustRead(t, filepath.Join(dir, intake.FailedDir, "broken.xml.reason.txt"))); !strings.Contains(why, "unreadable wire file") {
		t.Errorf("reason %q", why)
	}
	// The same file again is moved aside under a new name and changes nothing.
	drop(t, dir, "harbour.xml", mustRead(t, sample))
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, intake.DoneDir, "harbour.1.xml")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the repeated file was not processed")
		}
	}
	if items := queued(t, site.Store, src); len(items) != 1 {
		t.Errorf("%d versions after a repeat, want 1", len(items))
	}
}

// TestPolledFeed polls a feed served by httptest: the first poll
// imports its items, the second is answered 304 and imports nothing,
// and a server that ignores validators repeats the same GUIDs, which
// are skipped.
func TestPolledFeed(t *testing.T) {
	site := newSite(t)
	feed := mustRead(t, "../../../testdata/feeds/rss2/rss_2.0_bbc.xml")
	var gets, notModified atomic.Int32
	honour := atomic.Bool{}
	honour.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		w.Header().Set("ETag", `"bbc-1"`)
		if honour.Load() && r.Header.Get("If-None-Match") == `"bbc-1"` {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(feed)
	}))
	defer srv.Close()
	src := source(t, site, "BBC", store.WireIntake{FeedURL: srv.URL + "/feed.xml", PollInterval: time.Minute})
	// The clock moves a poll interval between runs, so each run is due.
	now := time.Now()
	svc := intake.New(intake.Options{Store: site.Store, AllowPrivate: true, Now: func() time.Time { return now }})
	ctx := context.Background()
	if err := svc.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	first := queued(t, site.Store, src)
	if len(first) != 1 || first[0].State != "queued" || gets.Load() != 1 {
		t.Fatalf("first poll: %d items from %d requests", len(first), gets.Load())
	}
	if err := svc.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute)
	if err := svc.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	honour.Store(false)
	now = now.Add(time.Minute)
	if err := svc.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(queued(t, site.Store, src)); n != len(first) || gets.Load() != 3 || notModified.Load() != 1 {
		t.Errorf("after three polls: %d items (want %d), %d requests, %d answered 304", n, len(first), gets.Load(), notModified.Load())
	}
	in, _ := site.Store.WireIntakes(ctx)
	if in[0].ETag != `"bbc-1"` || in[0].LastError != "" || in[0].PolledAt.IsZero() {
		t.Errorf("feed state %+v", in[0])
	}

	// Without --allow-private-targets the local server is refused.
	src2 := source(t, site, "LOCAL", store.WireIntake{FeedURL: srv.URL + "/feed.xml", PollInterval: time.Minute})
	if err := intake.New(intake.Options{Store: site.Store, Holder: "other"}).RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	in, _ = site.Store.WireIntakes(ctx)
	if len(in) != 2 || !strings.Contains(in[1].LastError, "non-public address") || len(queued(t, site.Store, src2)) != 0 {
		t.Errorf("private feed: %+v", in)
	}
}

// TestIntakeLease runs two services on one store and folder: a file is
// imported by exactly one of them, and while one holds the source's
// lease the other leaves the folder alone.
func TestIntakeLease(t *testing.T) {
	site := newSite(t)
	dir := t.TempDir()
	src := source(t, site, "DTW", store.WireIntake{Folder: dir})
	var logA, logB syncBuffer
	a := intake.New(intake.Options{Store: site.Store, Holder: "a", Settle: -1, Log: slog.New(slog.NewTextHandler(&logA, nil))})
	b := intake.New(intake.Options{Store: site.Store, Holder: "b", Settle: -1, Log: slog.New(slog.NewTextHandler(&logB, nil))})
	ctx := context.Background()
	for _, name := range []string{"v1.xml", "v2.xml", "v3.xml"} {
		drop(t, dir, name, mustRead(t, "../testdata/g2_harbour_"+map[string]string{
			"v1.xml": "v1.xml", "v2.xml": "v2_update.xml", "v3.xml": "v3_kill.xml"}[name]))
	}
	var wg sync.WaitGroup
	for _, svc := range []*intake.Service{a, b} {
		wg.Go(func() {
			if err := svc.RunOnce(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	imports := strings.Count(logA.String(), "wire intake: imported") + strings.Count(logB.String(), "wire intake: imported")
	done, _ := os.ReadDir(filepath.Join(dir, intake.DoneDir))
	if imports != 3 || len(done) != 3 {
		t.Errorf("%d imports logged and %d files done, want 3 each\nA: %s\nB: %s", imports, len(done), logA.String(), logB.String())
	}
	if n := len(queued(t, site.Store, src)); n != 3 {
		t.Errorf("%d versions stored, want 3", n)
	}
	holderA := strings.Contains(logA.String(), "imported")
	// The holder keeps its lease for two minutes: a file dropped now is
	// left alone by the other service and taken by the holder.
	drop(t, dir, "again.xml", mustRead(t, sample))
	other, holder := b, a
	if !holderA {
		other, holder = a, b
	}
	if err := other.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "again.xml")); err != nil {
		t.Fatalf("the service without the lease took the file: %v", err)
	}
	if err := holder.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, intake.DoneDir, "again.xml")); err != nil {
		t.Errorf("the lease holder did not take the file: %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for one logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
