package workflow_test

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
	"dateline/internal/workflow"
)

type env struct {
	path    string
	store   store.Store
	section story.Section
	editor  store.User
}

// mustOpen opens the store at place (testutil.StorePlace), closed when
// the test ends.
func mustOpen(tb testing.TB, place string) store.Store {
	tb.Helper()
	return testutil.OpenStoreAt(tb, place)
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	e := &env{path: testutil.StorePlace(tb, filepath.Join(tb.TempDir(), "d.db"))}
	e.store = mustOpen(tb, e.path)
	ctx := context.Background()
	id, err := e.store.CreateSection(ctx, story.Section{Slug: "world", Name: "World"})
	if err != nil {
		tb.Fatal(err)
	}
	e.section = story.Section{ID: id, Slug: "world", Name: "World"}
	e.editor = store.User{Email: "ed@dateline.test", Name: "Ed", Role: store.RoleEditor, PasswordHash: "x",
		CreatedAt: time.Now(), PasswordChangedAt: time.Now()}
	if e.editor.ID, err = e.store.CreateUser(ctx, e.editor); err != nil {
		tb.Fatal(err)
	}
	return e
}

func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

func (e *env) draft(tb testing.TB, wf *workflow.Service, headline string) int64 {
	tb.Helper()
	st := &story.Story{Language: "en", Type: story.TypeNews, Section: e.section, Headline: headline,
		Slug: story.Slugify(headline, 80), BodySource: "Body."}
	st.Body = story.ParseBody(st.BodySource)
	id, err := wf.Create(context.Background(), e.editor, st)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// TestScheduledPublishAfterRestart: a story scheduled while one process
// ran is published by a runner started later on the same database file,
// on its first tick, once.
func TestScheduledPublishAfterRestart(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	t0 := time.Date(2026, 9, 14, 8, 0, 0, 0, time.UTC)
	wf := workflow.New(e.store, clock(t0), nil)
	id := e.draft(t, wf, "Embargoed report")
	at := t0.Add(2 * time.Hour)
	if err := wf.Schedule(ctx, e.editor, id, at); err != nil {
		t.Fatal(err)
	}
	if done, err := wf.Tick(ctx); err != nil || len(done) != 0 {
		t.Fatalf("tick before the time: %v %v", done, err)
	}
	// The process stops; another starts on the same file after the time.
	e.store.Close()
	restarted := mustOpen(t, e.path)
	later := at.Add(3 * time.Minute)
	wf2 := workflow.New(restarted, clock(later), nil)
	done, err := wf2.Tick(ctx)
	if err != nil || len(done) != 1 || done[0] != id {
		t.Fatalf("first tick after restart published %v (%v)", done, err)
	}
	st, err := restarted.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != story.StatusPublished || !st.FirstPublishedAt.Equal(later) || !st.PublishedAt.Equal(later) {
		t.Errorf("after the tick: %s first %v published %v", st.Status, st.FirstPublishedAt, st.PublishedAt)
	}
	meta, _ := restarted.StoryMeta(ctx, id)
	if !meta.ScheduledAt.IsZero() {
		t.Errorf("still scheduled at %v", meta.ScheduledAt)
	}
	// Exactly once: later ticks, and a stale second runner, do nothing.
	if done, _ := wf2.Tick(ctx); len(done) != 0 {
		t.Errorf("second tick published %v again", done)
	}
	revs, _ := restarted.Revisions(ctx, id)
	var publishes int
	for _, r := range revs {
		if r.Kind == "publish" {
			publishes++
		}
	}
	if publishes != 1 {
		t.Errorf("%d publish revisions, want 1", publishes)
	}
	log, _ := restarted.AuditLog(ctx, 0, 10)
	if len(log) == 0 || log[0].Action != "publish" || log[0].Actor != "system" {
		t.Errorf("audit %+v", log)
	}
}

// TestRunTicksAtStart: Run publishes what fell due while it was down
// before its first interval passes.
func TestRunTicksAtStart(t *testing.T) {
	e := newEnv(t)
	t0 := time.Now().Add(-time.Hour)
	wf := workflow.New(e.store, clock(t0), nil)
	id := e.draft(t, wf, "Overdue story")
	if err := wf.Schedule(context.Background(), e.editor, id, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { workflow.New(e.store, time.Now, nil).Run(ctx); close(done) }()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if st, err := e.store.Story(context.Background(), id); err == nil && st.Status == story.StatusPublished {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	if st, _ := e.store.Story(context.Background(), id); st.Status != story.StatusPublished {
		t.Errorf("status %s: Run did not tick at start", st.Status)
	}
}

func TestScheduleRefusesThePast(t *testing.T) {
	e := newEnv(t)
	now := time.Now()
	wf := workflow.New(e.store, clock(now), nil)
	id := e.draft(t, wf, "Too late")
	if err := wf.Schedule(context.Background(), e.editor, id, now.Add(-time.Minute)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("schedule in the past: %v", err)
	}
}

// TestSpikeRestoreAndPurge: a spiked story leaves the site, can be
// restored within 30 days, and is deleted after.
func TestSpikeRestoreAndPurge(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	wf := workflow.New(e.store, clock(now), nil)
	id := e.draft(t, wf, "Spike me")
	if err := wf.Publish(ctx, e.editor, id); err != nil {
		t.Fatal(err)
	}
	if err := wf.Spike(ctx, e.editor, id); err != nil {
		t.Fatal(err)
	}
	if err := workflow.New(e.store, clock(now.Add(29*24*time.Hour)), nil).Unspike(ctx, e.editor, id); err != nil {
		t.Fatalf("unspike within 30 days: %v", err)
	}
	if st, _ := e.store.Story(ctx, id); st.Status != story.StatusDraft {
		t.Errorf("restored as %s, want draft", st.Status)
	}
	if err := wf.Spike(ctx, e.editor, id); err != nil {
		t.Fatal(err)
	}
	late := workflow.New(e.store, clock(now.Add(31*24*time.Hour)), nil)
	if err := late.Unspike(ctx, e.editor, id); !errors.Is(err, workflow.ErrExpired) {
		t.Errorf("unspike after 31 days: %v", err)
	}
	if _, err := late.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Story(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after the purge: %v", err)
	}
}

func TestDiffText(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"same text", "same text", "same text"},
		{"the quick fox", "the slow fox", "the [-quick-]{+slow+} fox"},
		{"one\ntwo\nthree", "one\n2\nthree", "one\n[-two-]{+2+}\nthree"},
		{"", "new", "{+new+}"},
		{"<b>", "<i>", "[-<b>-]{+<i>+}"},
	}
	for _, c := range cases {
		var b strings.Builder
		for _, s := range workflow.DiffText(c.a, c.b) {
			switch s.Op {
			case workflow.Insert:
				b.WriteString("{+" + s.Text + "+}")
			case workflow.Delete:
				b.WriteString("[-" + s.Text + "-]")
			default:
				b.WriteString(s.Text)
			}
		}
		if b.String() != c.want {
			t.Errorf("DiffText(%q, %q) = %q, want %q", c.a, c.b, b.String(), c.want)
		}
	}
}

// TestDiffLongBody: a 5,000-word body with a change in the middle diffs
// fast and finds just the change.
func TestDiffLongBody(t *testing.T) {
	var b strings.Builder
	for i := range 5000 {
		b.WriteString("word")
		if i%50 == 49 {
			b.WriteString(".\n\n")
		} else {
			b.WriteString(" ")
		}
	}
	a := b.String()
	c := strings.Replace(a, "word word", "word changed word", 1)
	// Cost is checked by memory, not by the clock (the machines are
	// shared): a word-by-word table over the whole body would take
	// 5,000 × 5,000 cells, hundreds of megabytes; diffing the changed
	// line alone takes kilobytes.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	segs := workflow.DiffText(a, c)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
		t.Errorf("diff of a 5,000-word body allocated %d bytes, want under 16 MiB", n)
	} else {
		t.Logf("diff of a 5,000-word body allocated %d bytes", n)
	}
	var ins []string
	for _, s := range segs {
		if s.Op == workflow.Insert {
			ins = append(ins, s.Text)
		}
	}
	if strings.Join(ins, "|") != "changed " && strings.Join(ins, "|") != " changed" {
		t.Errorf("inserted %q", ins)
	}
}

// TestStepsAreWholeOrNothing: a step whose last write fails (here a
// revision by an account the store does not know, as after it was
// removed mid-session) leaves the story exactly as it was: not saved
// without its revision, not live while the desk is told it failed.
func TestStepsAreWholeOrNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	wf := workflow.New(e.store, clock(time.Date(2026, 9, 14, 8, 0, 0, 0, time.UTC)), nil)
	id := e.draft(t, wf, "Council budget")
	ghost := e.editor
	ghost.ID += 999
	revisions := func() int {
		revs, err := e.store.Revisions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(revs)
	}
	before := revisions()

	st, _ := e.store.Story(ctx, id)
	edit := *st
	edit.Headline = "Council budget cut"
	if _, err := wf.Save(ctx, ghost, workflow.Edit{Story: &edit, Version: st.Version}); err == nil {
		t.Fatal("a save whose revision failed reported success")
	}
	if err := wf.Publish(ctx, ghost, id); err == nil {
		t.Fatal("a publication whose revision failed reported success")
	}
	got, err := e.store.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Headline != "Council budget" || got.Version != st.Version || got.Status != story.StatusDraft || !got.FirstPublishedAt.IsZero() {
		t.Errorf("after two failed steps: %q v%d %s first published %v; want the draft as it was",
			got.Headline, got.Version, got.Status, got.FirstPublishedAt)
	}
	if n := revisions(); n != before {
		t.Errorf("%d revisions, want %d", n, before)
	}
	// The same steps by the real account go through, each with its revision.
	if _, err := wf.Save(ctx, e.editor, workflow.Edit{Story: &edit, Version: st.Version}); err != nil {
		t.Fatal(err)
	}
	if err := wf.Publish(ctx, e.editor, id); err != nil {
		t.Fatal(err)
	}
	if n := revisions(); n != before+2 {
		t.Errorf("%d revisions after a save and a publication, want %d", n, before+2)
	}
	// A story created by the unknown account is not stored at all.
	lost := &story.Story{Language: "en", Type: story.TypeNews, Section: e.section, Headline: "Never on the desk",
		Slug: "never-on-the-desk", Body: story.ParseBody("Body.")}
	if _, err := wf.Create(ctx, ghost, lost); err == nil {
		t.Fatal("a story created by an unknown account was stored")
	}
	items, err := e.store.DeskStories(ctx, store.DeskQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Headline == "Never on the desk" {
			t.Errorf("the failed story is on the desk as %d", it.ID)
		}
	}
}
