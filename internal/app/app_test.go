package app_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/internal/app"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
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

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// startServe runs `dateline serve` like main does, on a free port, and
// returns its base URL once it is ready.
func startServe(t *testing.T, args []string, e map[string]string) (string, *syncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, logs := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx, append([]string{"serve"}, args...), env(e), out, logs) }()
	re := regexp.MustCompile(`serving on (http://\S+)`)
	deadline := time.Now().Add(4 * time.Minute) // the demo draws its pictures; slow under -race
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			stop := func() error {
				cancel()
				select {
				case err := <-done:
					return err
				case <-time.After(20 * time.Second):
					t.Fatal("serve did not stop")
					return nil
				}
			}
			t.Cleanup(func() { cancel() })
			return m[1], logs, stop
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve ended early: %v\n%s", err, logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve not ready in time\n%s", logs.String())
	return "", nil, nil
}

func TestServeDemoEndToEnd(t *testing.T) {
	dir := t.TempDir()
	base, logs, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--demo"},
		map[string]string{"DATELINE_DB": filepath.Join(dir, "site.db"), "DATELINE_MEDIA_DIR": filepath.Join(dir, "media")})
	for path, want := range map[string]int{"/healthz": 200, "/": 200, "/world": 200, "/nope": 404} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	// One log line per request, with status and query count.
	if n := strings.Count(logs.String(), "msg=request"); n < 4 {
		t.Errorf("%d request log lines, want 4:\n%s", n, logs.String())
	}
	if !regexp.MustCompile(`msg=request method=GET path=/world status=200 bytes=\d+ dur=\S+ queries=\d+`).MatchString(logs.String()) {
		t.Errorf("request log line lacks fields:\n%s", logs.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "site.db")); err != nil {
		t.Errorf("the store was not created: %v", err)
	}
	// A second start on the same store does not fill the demo again.
	_, logs, stop = startServe(t, []string{"--addr", "127.0.0.1:0", "--demo", "--db", filepath.Join(dir, "site.db"), "--media-dir", filepath.Join(dir, "media")}, nil)
	if strings.Contains(logs.String(), "demo newsroom created") {
		t.Error("the demo was filled twice")
	}
	stop()
}

func TestServeRefusesBadStore(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "garbage.db")
	os.WriteFile(notDB, bytes.Repeat([]byte("not a database "), 500), 0o644)
	for _, path := range []string{filepath.Join(dir, "missing", "x.db"), notDB} {
		err := app.Run(context.Background(), []string{"serve", "--db", path, "--media-dir", filepath.Join(dir, "m"), "--addr", "127.0.0.1:0"},
			env(nil), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("serve --db %s: %v, want an error naming the path", path, err)
		}
		if code := app.ExitCode(err); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	}
}

func TestCommandLine(t *testing.T) {
	var out bytes.Buffer
	if err := app.Run(context.Background(), []string{"--help"}, env(nil), &out, io.Discard); err != nil || !strings.Contains(out.String(), "serve") {
		t.Errorf("--help: %v\n%s", err, out.String())
	}
	out.Reset()
	err := app.Run(context.Background(), []string{"serve", "--help"}, env(nil), &out, io.Discard)
	if app.ExitCode(err) != 0 {
		t.Errorf("serve --help: exit %d", app.ExitCode(err))
	}
	for _, flag := range []string{"-addr", "DATELINE_ADDR", "-db", "-database-url", "-media-dir", "-base-url", "-site-name",
		"-language", "-timezone", "-trusted-proxies", "-allow-private-targets", "-demo"} {
		if !strings.Contains(out.String(), flag) {
			t.Errorf("serve --help does not document %s", flag)
		}
	}
	out.Reset()
	if err := app.Run(context.Background(), []string{"version"}, env(nil), &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "dateline ") {
		t.Errorf("version: %v %q", err, out.String())
	}
	for _, args := range [][]string{{"frobnicate"}, {"serve", "--no-such-flag"}, {"serve", "--timezone", "Mars/Olympus"}, {"serve", "--addr", "nonsense"}, {}} {
		err := app.Run(context.Background(), args, env(nil), io.Discard, io.Discard)
		if app.ExitCode(err) != 2 {
			t.Errorf("%v: exit %d (%v), want 2", args, app.ExitCode(err), err)
		}
	}
}

func TestMigrateWithFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	db := filepath.Join(dir, "m.db")
	if err := app.Run(context.Background(), []string{"migrate", "--db", db}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	if !sc.Scan() || !strings.Contains(sc.Text(), db) {
		t.Errorf("migrate said %q", out.String())
	}
	// Environment twins configure the same settings.
	out.Reset()
	if err := app.Run(context.Background(), []string{"migrate"}, env(map[string]string{"DATELINE_DB": db}), &out, io.Discard); err != nil || !strings.Contains(out.String(), db) {
		t.Errorf("DATELINE_DB: %v %q", err, out.String())
	}
}

func TestUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	run := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := app.RunWithInput(context.Background(), append([]string{"user", "add"}, args...), env(map[string]string{"DATELINE_DB": db}),
			strings.NewReader(stdin), &out, io.Discard)
		return out.String(), err
	}
	out, err := run("tangerine-bicycle-harbour\n", "--email", "ed@example.com", "--name", "Eda Editor", "--role", "editor", "--password-stdin")
	if err != nil || !strings.Contains(out, "created editor Eda Editor <ed@example.com>") || strings.Contains(out, "password:") {
		t.Fatalf("user add: %v %q", err, out)
	}
	// Flags after a positional-looking order, generated password shown once.
	out, err = run("", "--role", "reporter", "--name", "Rita", "--email", "rita@example.com")
	if err != nil || !regexp.MustCompile(`password: [a-z0-9-]{20,}`).MatchString(out) {
		t.Errorf("generated password: %v %q", err, out)
	}
	for _, tc := range []struct {
		stdin string
		args  []string
		code  int
	}{
		{"short\n", []string{"--email", "a@example.com", "--name", "A", "--role", "editor", "--password-stdin"}, 2},
		{"password1234\n", []string{"--email", "a@example.com", "--name", "A", "--role", "editor", "--password-stdin"}, 2},
		{"", []string{"--email", "a@example.com", "--name", "A", "--role", "intern"}, 2},
		{"", []string{"--name", "A", "--role", "editor"}, 2},
		{"", []string{"--email", "ed@example.com", "--name", "Again", "--role", "admin"}, 1},
	} {
		_, err := run(tc.stdin, tc.args...)
		if code := app.ExitCode(err); code != tc.code {
			t.Errorf("%v: exit %d (%v), want %d", tc.args, code, err, tc.code)
		}
	}
}
