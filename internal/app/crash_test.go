package app_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/internal/app"
	"dateline/internal/store"
	"dateline/internal/testutil"
)

// crashServerEnv makes the test binary run `dateline serve` instead of
// its tests: the crash test starts itself as the server, so the process
// it kills is the real program with the real store, and no toolchain is
// needed at test time.
const crashServerEnv = "DATELINE_CRASH_SERVE_ARGS"

// TestCrashServerProcess is the server side of TestCrashSafety. Run
// normally it has nothing to do; run by TestCrashSafety it serves until
// it is killed.
func TestCrashServerProcess(t *testing.T) {
	args := os.Getenv(crashServerEnv)
	if args == "" {
		return
	}
	err := app.Run(context.Background(), strings.Split(args, "\x1f"), noEnv, os.Stdout, os.Stderr)
	fmt.Fprintln(os.Stderr, "serve ended:", err)
	os.Exit(app.ExitCode(err))
}

const crashPassword = "crash test editor password"

// TestCrashSafety kills the real server with SIGKILL at random moments
// while editors publish stories, readers send feedback and two agencies
// push wire copy (one published at once, one queued for the desk), 50
// times (10 with -short). After every restart on the same files, every
// write the server acknowledged must be there, no story may be
// half-written (its bylines, tags and body are all there, or the story is
// absent), every acknowledged wire item is there exactly once (pushing it
// again after the crash changes nothing), and PRAGMA integrity_check must
// answer ok.
func TestCrashSafety(t *testing.T) {
	if raceEnabled {
		// The server under test is another process, which the race
		// detector cannot see into; built with -race it only runs four
		// times slower. scripts/test.sh runs this test without -race.
		t.Skip("run without -race (scripts/test.sh does)")
	}
	rounds := 50
	if testing.Short() {
		rounds = 10
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	dir := t.TempDir()
	s, err := testutil.NewSite(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.MustUser("editor@dateline.test", "Crash Editor", store.RoleEditor, crashPassword)
	sec, err := s.Store.SectionBySlug(context.Background(), "world")
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{
		"aa": wirePushToken(t, s.Config.DB, "AA", true),
		"bb": wirePushToken(t, s.Config.DB, "BB", false),
	}
	s.Store.Close()

	srv := startCrashServer(t, s.Config.DB, s.Config.MediaDir)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(srv.url+"/newsroom/login", url.Values{"email": {"editor@dateline.test"}, "password": {crashPassword}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", res, err)
	}
	res.Body.Close()

	db := openRW(t, s.Config.DB)
	acked := &ackLog{stories: map[string]int64{}, messages: map[string]bool{}, wire: map[string]string{}, pending: map[string]string{}}
	for round := range rounds {
		w := &crashWriters{client: client, base: srv.url, section: sec.ID, round: round, acked: acked, tokens: tokens}
		ctx, stop := context.WithCancel(context.Background())
		done := w.start(ctx)
		// Let some writes through, then kill at a random moment while
		// requests are in flight.
		acked.waitFor(round, 1+rng.IntN(3))
		time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond)
		srv.kill(t)
		stop()
		done.Wait()
		if errs := w.errors(); len(errs) > 0 {
			t.Fatalf("round %d: the server answered a write with an error:\n%s", round, strings.Join(errs, "\n"))
		}
		srv = startCrashServer(t, s.Config.DB, s.Config.MediaDir)
		checkCrashStore(t, db, acked, round)
		checkServed(t, client, srv.url, acked)
	}
	srv.kill(t)
	t.Logf("%d kills; %d stories, %d feedback messages and %d wire items acknowledged, all present; "+
		"%d wire items in flight at a kill pushed again (%d of them stored before it) and %d acknowledged ones",
		rounds, len(acked.stories), len(acked.messages), len(acked.wire), acked.inFlight, acked.inFlightStored, acked.repushed)
}

// crashServer is one running server process.
type crashServer struct {
	cmd *exec.Cmd
	url string
	log string
}

func startCrashServer(t *testing.T, db, mediaDir string) *crashServer {
	t.Helper()
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--media-dir", mediaDir,
		"--trusted-proxies", "127.0.0.1/32", "--page-cache-mb", "0"}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashServerProcess$")
	cmd.Env = append(os.Environ(), crashServerEnv+"="+strings.Join(args, "\x1f"))
	logFile := filepath.Join(t.TempDir(), "serve.log")
	lf, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	cmd.Stderr = lf
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The server names its address on stdout once it listens.
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if _, addr, ok := strings.Cut(sc.Text(), "serving on "); ok {
				line <- addr
				break
			}
		}
		io.Copy(io.Discard, out)
		close(line)
	}()
	addr, ok := <-line
	if !ok {
		cmd.Wait()
		b, _ := os.ReadFile(logFile)
		t.Fatalf("the server did not start:\n%s", b)
	}
	return &crashServer{cmd: cmd, url: addr, log: logFile}
}

// kill sends SIGKILL and reaps the process.
func (s *crashServer) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill the server: %v", err)
	}
	err := s.cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Exited() {
		b, _ := os.ReadFile(s.log)
		t.Fatalf("the server ended by itself (%v) instead of being killed:\n%s", err, b)
	}
}

// ackLog is every write the server acknowledged, across rounds.
type ackLog struct {
	mu       sync.Mutex
	cond     *sync.Cond
	stories  map[string]int64  // headline → id
	messages map[string]bool   // feedback text
	wire     map[string]string // wire GUID → source slug
	// pending are wire items pushed with no answer before the server
	// died (GUID → source slug): stored or not, they are pushed again.
	pending  map[string]string
	inFlight int // pending items pushed again and acknowledged
	// inFlightStored of them had been stored before the server died
	// (skipped when pushed again).
	inFlightStored int
	repushed       int // acknowledged items pushed again (and skipped)
	perRound       map[int]int
}

func (a *ackLog) add(round int, f func()) {
	a.mu.Lock()
	f()
	if a.perRound == nil {
		a.perRound = map[int]int{}
	}
	a.perRound[round]++
	if a.cond != nil {
		a.cond.Broadcast()
	}
	a.mu.Unlock()
}

// waitFor blocks until n writes of the round were acknowledged.
func (a *ackLog) waitFor(round, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cond == nil {
		a.cond = sync.NewCond(&a.mu)
	}
	for a.perRound[round] < n {
		a.cond.Wait()
	}
}

// crashWriters are an editor publishing stories and readers sending
// feedback, concurrently, until the server dies.
type crashWriters struct {
	client  *http.Client
	base    string
	section int64
	round   int
	acked   *ackLog
	tokens  map[string]string // wire source slug → push token
	mu      sync.Mutex
	errs    []string
}

var storyDone = regexp.MustCompile(`^/newsroom/stories/(\d+)\?done=published$`)

func (w *crashWriters) start(ctx context.Context) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				w.publish(ctx, fmt.Sprintf("Crash r%d w%d n%d", w.round, i, n))
			}
		})
	}
	for i := range 2 {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				w.feedback(ctx, fmt.Sprintf("Feedback r%d w%d n%d", w.round, i, n), fmt.Sprintf("10.%d.%d.%d", w.round, i, n%250))
			}
		})
	}
	for src := range w.tokens {
		wg.Go(func() {
			w.repush(ctx, src)
			for n := 0; ctx.Err() == nil; n++ {
				w.pushWire(ctx, src, fmt.Sprintf("urn:crash:%s:r%d:n%d", src, w.round, n), false)
			}
		})
	}
	return &wg
}

// wireItem is a ninjs item whose story has two tags and a body of two
// paragraphs around a heading, so a half-written one shows. Its byline
// is not kept: agency copy published on arrival carries none.
func wireItem(guid string) []byte {
	headline := "Wire " + guid
	b, _ := json.Marshal(map[string]any{
		"uri": guid, "type": "text", "version": 1, "pubStatus": "usable", "language": "en",
		"headlines": []map[string]string{{"role": "main", "value": headline}},
		"by":        "Deniz Kaya", "subjects": []map[string]string{{"name": "Crash"}, {"name": "Durability"}},
		"bodies": []map[string]string{{"role": "main", "contentType": "text/html",
			"value": "<p>First paragraph of " + headline + ".</p><h2>A heading</h2><p>Last paragraph: intact.</p>"}},
	})
	return b
}

// repush sends again one item the server had acknowledged, which must
// change nothing, and what it may or may not have stored when it died,
// which must be stored once.
func (w *crashWriters) repush(ctx context.Context, src string) {
	w.acked.mu.Lock()
	var again []string
	for guid, s := range w.acked.pending {
		if s == src {
			again = append(again, guid)
		}
	}
	var done string
	for guid, s := range w.acked.wire {
		if s == src {
			done = guid
			break
		}
	}
	w.acked.mu.Unlock()
	if done != "" {
		w.pushWire(ctx, src, done, true)
	}
	for _, guid := range again {
		w.pushWire(ctx, src, guid, true)
	}
}

// pushWire sends one item through the push endpoint. A first push must
// import (aa publishes) or queue (bb); a push of an item that may have
// been stored may also be skipped, and one that was acknowledged must be.
func (w *crashWriters) pushWire(ctx context.Context, src, guid string, again bool) {
	w.acked.mu.Lock()
	_, wasAcked := w.acked.wire[guid]
	if !wasAcked {
		w.acked.pending[guid] = src
	}
	w.acked.mu.Unlock()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.base+"/api/v1/wire/"+src, bytes.NewReader(wireItem(guid)))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.tokens[src])
	res, body := w.send(req)
	if res == nil {
		return
	}
	var answer struct {
		Items []struct {
			Outcome string `json:"outcome"`
		} `json:"items"`
	}
	json.Unmarshal(body, &answer)
	want := map[string]string{"aa": store.WireImported, "bb": store.WireQueued}[src]
	ok := res.StatusCode == http.StatusOK && len(answer.Items) == 1
	if ok {
		got := answer.Items[0].Outcome
		switch {
		case wasAcked:
			ok = got == store.WireSkipped
		case again:
			ok = got == want || got == store.WireSkipped
		default:
			ok = got == want
		}
	}
	if !ok {
		w.fail(fmt.Sprintf("push %s to %s (again %v, acknowledged before %v): %s", guid, src, again, wasAcked, body), res)
		return
	}
	w.acked.add(w.round, func() {
		delete(w.acked.pending, guid)
		w.acked.wire[guid] = src
		switch {
		case wasAcked:
			w.acked.repushed++
		case again:
			w.acked.inFlight++
			if answer.Items[0].Outcome == store.WireSkipped {
				w.acked.inFlightStored++
			}
		}
	})
}

func (w *crashWriters) publish(ctx context.Context, headline string) {
	form := url.Values{
		"headline": {headline}, "standfirst": {"Written while the server may die."},
		"section": {strconv.FormatInt(w.section, 10)}, "type": {"news"}, "language": {"en"},
		"bylines": {"Ayşe Kaya, Guest Writer"}, "tags": {"Crash, Durability"},
		"body": {"First paragraph of " + headline + ".\n\n## A heading\n\nLast paragraph: intact."}, "action": {"publish"},
	}
	res := w.post(ctx, "/newsroom/stories/new", form, "")
	if res == nil {
		return
	}
	m := storyDone.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		w.fail(headline, res)
		return
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	w.acked.add(w.round, func() { w.acked.stories[headline] = id })
}

// feedback sends a reader's message from ip: the server believes
// loopback's X-Forwarded-For, so the per-address limit of the form stays
// out of the way.
func (w *crashWriters) feedback(ctx context.Context, text, ip string) {
	res := w.post(ctx, "/feedback", url.Values{"message": {text}}, ip)
	if res == nil {
		return
	}
	if res.StatusCode != http.StatusSeeOther {
		w.fail(text, res)
		return
	}
	w.acked.add(w.round, func() { w.acked.messages[text] = true })
}

// post sends a form; it returns nil when no answer came (the server died).
func (w *crashWriters) post(ctx context.Context, path string, form url.Values, forwardedFor string) *http.Response {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	res, _ := w.send(req)
	return res
}

// send sends a request and reads the whole answer; it returns nil when
// no answer came (the server died).
func (w *crashWriters) send(req *http.Request) (*http.Response, []byte) {
	res, err := w.client.Do(req)
	if err != nil {
		return nil, nil
	}
	// An answer counts only once it has arrived whole.
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, nil
	}
	return res, body
}

func (w *crashWriters) fail(what string, res *http.Response) {
	w.mu.Lock()
	w.errs = append(w.errs, fmt.Sprintf("%s: %d (Location %q)", what, res.StatusCode, res.Header.Get("Location")))
	w.mu.Unlock()
	w.acked.add(w.round, func() {}) // wake the round, which then reports it
}

func (w *crashWriters) errors() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.errs
}

func openRW(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// checkCrashStore looks at the files the restarted server runs on.
func checkCrashStore(t *testing.T, db *sql.DB, acked *ackLog, round int) {
	t.Helper()
	var ok string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("round %d: integrity_check = %q, %v", round, ok, err)
	}
	var fk int
	if err := db.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&fk); err != nil || fk != 0 {
		t.Fatalf("round %d: %d foreign key violations, %v", round, fk, err)
	}
	// Every story the test wrote is whole, acknowledged or not.
	rows, err := db.Query(`SELECT s.id, s.headline, s.status, s.body_json, s.first_published_at IS NOT NULL,
		(SELECT count(*) FROM story_bylines b WHERE b.story_id = s.id),
		(SELECT count(*) FROM story_tags g WHERE g.story_id = s.id)
		FROM stories s WHERE s.headline LIKE 'Crash r%'`)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]int64{}
	for rows.Next() {
		var id int64
		var headline, status, body string
		var published bool
		var bylines, tags int
		if err := rows.Scan(&id, &headline, &status, &body, &published, &bylines, &tags); err != nil {
			t.Fatal(err)
		}
		found[headline] = id
		if bylines != 2 || tags != 2 || !strings.Contains(body, "First paragraph of "+headline) || !strings.Contains(body, "Last paragraph: intact.") {
			t.Errorf("round %d: story %d %q is half-written: %d bylines, %d tags, body %.200s", round, id, headline, bylines, tags, body)
		}
		if (status == "published") != published {
			t.Errorf("round %d: story %d is %s with first_published_at set=%v", round, id, status, published)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	msgs := map[string]bool{}
	mrows, err := db.Query(`SELECT body FROM messages WHERE kind = 'feedback'`)
	if err != nil {
		t.Fatal(err)
	}
	for mrows.Next() {
		var b string
		if err := mrows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		msgs[b] = true
	}
	if err := mrows.Err(); err != nil {
		t.Fatal(err)
	}
	mrows.Close()

	wireFound := checkCrashWire(t, db, round)

	acked.mu.Lock()
	defer acked.mu.Unlock()
	for guid, src := range acked.wire {
		if wireFound[guid] != src {
			t.Errorf("round %d: acknowledged wire item %s of %s is missing", round, guid, src)
		}
	}
	for headline, id := range acked.stories {
		if found[headline] != id {
			t.Errorf("round %d: acknowledged story %d %q is missing", round, id, headline)
			continue
		}
		var status string
		db.QueryRow("SELECT status FROM stories WHERE id = ?", id).Scan(&status)
		if status != "published" {
			t.Errorf("round %d: acknowledged publication of story %d is %q", round, id, status)
		}
	}
	for m := range acked.messages {
		if !msgs[m] {
			t.Errorf("round %d: acknowledged feedback %q is missing", round, m)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// checkServed asks the restarted server for the newest acknowledged
// story through the content API: the restarted program serves it.
func checkServed(t *testing.T, client *http.Client, base string, acked *ackLog) {
	t.Helper()
	acked.mu.Lock()
	var newest int64
	for _, id := range acked.stories {
		newest = max(newest, id)
	}
	acked.mu.Unlock()
	if newest == 0 {
		return
	}
	res, err := client.Get(base + "/api/v1/stories/" + strconv.FormatInt(newest, 10))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("after restart, /api/v1/stories/%d answers %d", newest, res.StatusCode)
	}
}

// checkCrashWire checks the wire copy the test pushed, acknowledged or
// not: each item is one row; aa's is published as one whole story, bb's
// waits in the queue with no story. It returns GUID → source slug.
func checkCrashWire(t *testing.T, db *sql.DB, round int) map[string]string {
	t.Helper()
	rows, err := db.Query(`SELECT w.guid, lower(src.label), w.state, COALESCE(w.story_id, 0),
		(SELECT count(*) FROM stories s WHERE s.wire_id = w.guid AND s.source_id = w.source_id)
		FROM wire_items w JOIN sources src ON src.id = w.source_id WHERE w.guid LIKE 'urn:crash:%'`)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	var stories []int64
	for rows.Next() {
		var guid, src, state string
		var storyID int64
		var n int
		if err := rows.Scan(&guid, &src, &state, &storyID, &n); err != nil {
			t.Fatal(err)
		}
		if _, dup := found[guid]; dup {
			t.Errorf("round %d: wire item %s is stored twice", round, guid)
		}
		found[guid] = src
		switch {
		case src == "aa" && (state != "published" || storyID == 0 || n != 1):
			t.Errorf("round %d: published wire item %s is %s with story %d and %d stories", round, guid, state, storyID, n)
		case src == "bb" && (state != "queued" || storyID != 0 || n != 0):
			t.Errorf("round %d: queued wire item %s is %s with story %d and %d stories", round, guid, state, storyID, n)
		}
		if storyID != 0 {
			stories = append(stories, storyID)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for _, id := range stories {
		var headline, status, body string
		var bylines, tags int
		err := db.QueryRow(`SELECT s.headline, s.status, s.body_json,
			(SELECT count(*) FROM story_bylines b WHERE b.story_id = s.id),
			(SELECT count(*) FROM story_tags g WHERE g.story_id = s.id) FROM stories s WHERE s.id = ?`, id).
			Scan(&headline, &status, &body, &bylines, &tags)
		if err != nil {
			t.Fatalf("round %d: wire story %d: %v", round, id, err)
		}
		if status != "published" || bylines != 0 || tags != 2 || !strings.Contains(body, "First paragraph of "+headline) ||
			!strings.Contains(body, "Last paragraph: intact.") {
			t.Errorf("round %d: wire story %d %q is half-written: %s, %d bylines, %d tags, body %.200s", round, id, headline, status, bylines, tags, body)
		}
	}
	var orphans int
	if err := db.QueryRow(`SELECT count(*) FROM stories s WHERE s.wire_id LIKE 'urn:crash:%'
		AND NOT EXISTS (SELECT 1 FROM wire_items w WHERE w.story_id = s.id)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("round %d: %d wire stories without their item (%v)", round, orphans, err)
	}
	return found
}
