package app_test

import (
	"bytes"
	"context"
	"dateline/internal/testutil"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/internal/app"
	"dateline/internal/store"
	"dateline/internal/store/postgres"
	"dateline/internal/story"
	"dateline/internal/webhook"
)

// TestTwoInstancesOnePostgres runs two real `dateline serve` processes
// (in-process, on their own ports) on one PostgreSQL database and one
// media directory, as a site behind a load balancer would: a session made
// on one works on the other; a picture uploaded to one is served by the
// other; a publish on one, or by `dateline ingest`, shows on the other's
// cached pages; a story scheduled a moment ahead is published once, with
// one event and one webhook delivery, though both instances schedule.
func TestTwoInstancesOnePostgres(t *testing.T) {
	dbURL := testutil.PostgresDatabase(t)
	dir := t.TempDir()
	mediaDir := filepath.Join(dir, "media")
	ctx := context.Background()

	// The newsroom's account and desk, written as the command line and
	// another process would.
	const email, password = "editor@dateline.test", "tangerine-ledger-orbit-41"
	var out strings.Builder
	if err := app.RunWithInput(ctx, []string{"user", "add", "--email", email, "--name", "Ed Itor", "--role", "admin",
		"--password-stdin", "--database-url", dbURL}, env(nil), strings.NewReader(password+"\n"), &out, io.Discard); err != nil {
		t.Fatalf("user add: %v\n%s", err, out.String())
	}
	st, err := postgres.Open(ctx, dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sec := story.Section{Slug: "world", Name: "World"}
	if sec.ID, err = st.CreateSection(ctx, sec); err != nil {
		t.Fatal(err)
	}
	hooks := &receiver{}
	partner := httptest.NewServer(hooks)
	defer partner.Close()
	if _, err := webhook.Register(ctx, st, webhook.Targets{AllowPrivate: true}, partner.URL+"/hook", []string{"published"}); err != nil {
		t.Fatal(err)
	}

	args := []string{"--addr", "127.0.0.1:0", "--database-url", dbURL, "--media-dir", mediaDir, "--allow-private-targets"}
	a, logsA, stopA := startServe(t, args, nil)
	b, logsB, stopB := startServe(t, args, nil)

	// Sessions live in the database: signed in on A, known on B.
	cookies := login(t, a, email, password)
	if code, _ := fetchWith(t, "GET", b+"/newsroom/", cookies, nil, ""); code != http.StatusOK {
		t.Fatalf("the session made on A, on B: %d, want 200", code)
	}

	// Media on the shared directory: uploaded to A, served by B.
	hash := upload(t, a, cookies, st)
	if code, body := fetchWith(t, "GET", b+"/media/"+hash+"/320.jpg", nil, nil, ""); code != http.StatusOK || !bytes.HasPrefix([]byte(body), []byte{0xff, 0xd8}) {
		t.Errorf("the picture uploaded to A, from B: %d, want a JPEG", code)
	}

	// Publish on A; B's cached front page shows it.
	draft := &story.Story{Section: sec, Headline: "Published on instance A", Slug: "published-on-instance-a", Language: "en",
		Type: story.TypeNews, Status: story.StatusDraft, BodySource: "Words.", Body: story.ParseBody("Words.")}
	if draft.ID, err = st.CreateStory(ctx, draft); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second is answered from B's cache
		if _, body := fetch(t, b+"/"); strings.Contains(body, draft.Headline) {
			t.Fatal("the draft is on the front page")
		}
	}
	if code, _ := fetchWith(t, "POST", a+"/newsroom/stories/"+strconv.FormatInt(draft.ID, 10)+"/publish", cookies, nil, ""); code != http.StatusSeeOther {
		t.Fatalf("publish on A: %d, want 303", code)
	}
	took := waitPage(t, draft.Headline, b+"/", b+"/world")
	t.Logf("published on A, on B's cached pages after %v", took)

	// dateline ingest --publish against the same database shows on both.
	out.Reset()
	if err := app.Run(ctx, []string{"ingest", "../wire/testdata/g2_harbour_v1.xml", "--publish", "--source", "DTW",
		"--no-fetch", "--database-url", dbURL, "--media-dir", mediaDir}, env(nil), &out, io.Discard); err != nil || !strings.Contains(out.String(), "imported=1 ") {
		t.Fatalf("ingest: %v\n%s", err, out.String())
	}
	waitPage(t, "Harbour workers strike in Rotterdam", a+"/", b+"/")

	// A story scheduled a moment ahead goes out once, though both
	// instances' schedulers look for it.
	sched := &story.Story{Section: sec, Headline: "Scheduled for both", Slug: "scheduled-for-both", Language: "en",
		Type: story.TypeNews, Status: story.StatusScheduled, BodySource: "Words.", Body: story.ParseBody("Words.")}
	if sched.ID, err = st.CreateStory(ctx, sched); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStoryMeta(ctx, sched.ID, store.StoryMeta{ScheduledAt: time.Now().Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	waitPage(t, sched.Headline, a+"/", b+"/")
	hooks.wait(t, sched.Headline)
	// Both schedulers tick every few seconds: give each at least one more
	// turn to publish it again, and the senders time to send again.
	time.Sleep(7 * time.Second)
	var events int
	if err := st.DB().QueryRowContext(ctx, "SELECT count(*) FROM story_events WHERE story_id = $1 AND kind = 'published'", sched.ID).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if events != 1 {
		t.Errorf("the scheduled story has %d published events, want 1", events)
	}
	var revs int
	if err := st.DB().QueryRowContext(ctx, "SELECT count(*) FROM story_revisions WHERE story_id = $1 AND kind = 'publish'", sched.ID).Scan(&revs); err != nil {
		t.Fatal(err)
	}
	if revs != 1 {
		t.Errorf("the scheduled story has %d publish revisions, want 1", revs)
	}
	if n := hooks.count(sched.Headline); n != 1 {
		t.Errorf("the partner received %d deliveries of the scheduled story, want 1", n)
	}
	for _, stop := range []func() error{stopA, stopB} {
		if err := stop(); err != nil {
			t.Errorf("graceful stop: %v", err)
		}
	}
	// Two instances working side by side is the normal case: neither
	// logs an error for meeting the other (a lost race for a lease or a
	// scheduled story is not one).
	for name, logs := range map[string]*syncBuffer{"A": logsA, "B": logsB} {
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, "level=ERROR") {
				t.Errorf("instance %s logged an error: %s", name, line)
			}
		}
	}
}

// receiver is a webhook partner that keeps what it is sent.
type receiver struct {
	mu     sync.Mutex
	bodies []string
}

func (h *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.bodies = append(h.bodies, string(b))
	h.mu.Unlock()
}

// count is the number of "published" deliveries that name headline.
func (h *receiver) count(headline string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, b := range h.bodies {
		if strings.Contains(b, `"kind":"published"`) && strings.Contains(b, headline) {
			n++
		}
	}
	return n
}

func (h *receiver) wait(t *testing.T, headline string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for h.count(headline) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no webhook delivery for %q", headline)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitPage polls each URL until its page shows text, and returns how long
// the slowest took. The deadline is generous; the benchmark measures.
func waitPage(t *testing.T, text string, urls ...string) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(30 * time.Second)
	for _, u := range urls {
		for {
			code, body := fetch(t, u)
			if code == http.StatusOK && strings.Contains(body, text) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s does not show %q after %v (status %d)", u, text, time.Since(start), code)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return time.Since(start)
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// fetchWith sends a request with cookies and, when given, a body of the
// content type, and returns the status and body.
func fetchWith(t *testing.T, method, u string, cookies []*http.Cookie, body io.Reader, contentType string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// login signs in through the form and returns the session cookies.
func login(t *testing.T, base, email, password string) []*http.Cookie {
	t.Helper()
	form := url.Values{"email": {email}, "password": {password}}
	res, err := noRedirect.PostForm(base+"/newsroom/login", form)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) == 0 {
		t.Fatalf("login: %d with %d cookies, want 303 with a session", res.StatusCode, len(res.Cookies()))
	}
	return res.Cookies()
}

// upload sends a picture to the media library and returns its hash.
func upload(t *testing.T, base string, cookies []*http.Cookie, st *postgres.Store) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for x := range 400 {
		for y := range 300 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var pic, form bytes.Buffer
	if err := png.Encode(&pic, img); err != nil {
		t.Fatal(err)
	}
	mw := multipart.NewWriter(&form)
	mw.WriteField("alt", "A gradient")
	fw, _ := mw.CreateFormFile("file", "gradient.png")
	fw.Write(pic.Bytes())
	mw.Close()
	if code, body := fetchWith(t, "POST", base+"/newsroom/media", cookies, &form, mw.FormDataContentType()); code != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%.500s", code, body)
	}
	var hash string
	if err := st.DB().QueryRow("SELECT hash FROM media ORDER BY id DESC LIMIT 1").Scan(&hash); err != nil {
		t.Fatal(err)
	}
	return hash
}
