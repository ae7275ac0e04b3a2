package webhook_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
	"dateline/internal/webhook"
)

const baseURL = "http://dateline.test"

// openStore opens (or reopens) the store at place (from
// testutil.StorePlace: a SQLite file, or a PostgreSQL schema when the
// fixtures run on PostgreSQL), with a "world" section on first open.
func openStore(t *testing.T, place string) store.Store {
	t.Helper()
	st := testutil.OpenStoreAt(t, place)
	if _, err := st.SectionBySlug(context.Background(), "world"); err != nil {
		if _, err := st.CreateSection(context.Background(), story.Section{Slug: "world", Name: "World"}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func newStore(t *testing.T) store.Store {
	t.Helper()
	return openStore(t, testutil.StorePlace(t, filepath.Join(t.TempDir(), "dateline.db")))
}

// received is one request a test receiver got.
type received struct {
	Header http.Header
	Body   []byte
}

// receiver is a partner's server: it records every request and answers
// with the next code of its script (200 once the script runs out).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	script []int
}

func newReceiver(t *testing.T, script ...int) *receiver {
	t.Helper()
	r := &receiver{script: script}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{Header: req.Header.Clone(), Body: body})
		code := http.StatusOK
		if len(r.script) > 0 {
			code, r.script = r.script[0], r.script[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(code)
		io.WriteString(w, "thanks")
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline: it asserts that something happens, never how fast.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// start runs a service on st until the test ends (or stop is called).
func start(t *testing.T, o webhook.Options) (stop func()) {
	t.Helper()
	if o.BaseURL == "" {
		o.BaseURL = baseURL
	}
	if o.Poll == 0 {
		o.Poll = 10 * time.Millisecond
	}
	if o.Backoff == nil {
		o.Backoff = func(int) time.Duration { return 0 }
	}
	o.AllowPrivate = true
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); webhook.New(o).Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

func register(t *testing.T, st store.Store, url string, kinds ...string) store.WebhookEndpoint {
	t.Helper()
	e, err := webhook.Register(context.Background(), st, webhook.Targets{BaseURL: baseURL, AllowPrivate: true}, url, kinds)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// publish creates a published story and returns it as stored.
func publish(t *testing.T, st store.Store, headline string, tags ...string) *story.Story {
	t.Helper()
	ctx := context.Background()
	sec, err := st.SectionBySlug(ctx, "world")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	s := &story.Story{Section: sec, Headline: headline, Standfirst: "What happened.", Language: "en", Type: story.TypeNews,
		Status: story.StatusPublished, Slug: story.Slugify(headline, 80), Body: story.ParseBody("Words."),
		Bylines: []story.Byline{{Name: "Ada Reporter"}}, FirstPublishedAt: now, PublishedAt: now, UpdatedAt: now}
	for _, tg := range tags {
		s.Tags = append(s.Tags, story.Tag{Name: tg})
	}
	id, err := st.CreateStory(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// change applies edit to the stored story and saves it.
func change(t *testing.T, st store.Store, id int64, edit func(*story.Story)) *story.Story {
	t.Helper()
	ctx := context.Background()
	s, err := st.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	edit(s)
	if err := st.UpdateStory(ctx, s); err != nil {
		t.Fatal(err)
	}
	s, err = st.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
