// Package e2e holds the browser tests: the real server with the demo
// newsroom, driven by Debian's headless Chromium through Playwright, with
// axe-core checking accessibility. They need Chromium and the npm packages
// in e2e/ (scripts/test.sh installs both); DATELINE_SKIP_BROWSER=1 skips
// them locally, never in CI.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/internal/app"
)

type pageResult struct {
	Path          string   `json:"path"`
	Width         int      `json:"width"`
	Status        int      `json:"status"`
	ScrollWidth   int      `json:"scrollWidth"`
	InnerWidth    int      `json:"innerWidth"`
	H1            int      `json:"h1"`
	ArticleDir    string   `json:"articleDir"`
	ConsoleErrors []string `json:"consoleErrors"`
	Lead          *struct {
		Complete     bool   `json:"complete"`
		NaturalWidth int    `json:"naturalWidth"`
		Src          string `json:"src"`
	} `json:"lead"`
	Axe []struct {
		ID     string   `json:"id"`
		Impact string   `json:"impact"`
		Help   string   `json:"help"`
		Nodes  []string `json:"nodes"`
	} `json:"axe"`
}

func skipUnlessBrowser(t *testing.T) {
	if os.Getenv("DATELINE_SKIP_BROWSER") == "1" && os.Getenv("CI") != "true" {
		t.Skip("DATELINE_SKIP_BROWSER=1")
	}
	if _, err := os.Stat("node_modules/playwright-core"); err != nil {
		t.Fatal("e2e/node_modules is missing: run scripts/test.sh (or npm ci in e2e/)")
	}
}

// serve starts the real program with the demo on a free port.
func serve(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "d.db"),
			"--media-dir", filepath.Join(dir, "media")}, func(string) string { return "" }, io.MultiWriter(&out, pw), io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	buf := make([]byte, 4096)
	n, err := pr.Read(buf)
	if err != nil {
		t.Fatalf("serve: %v", err)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`(http://\S+)`).FindSubmatch(buf[:n])
	if m == nil {
		t.Fatalf("serve said %q", buf[:n])
	}
	return string(m[1])
}

func TestBrowser(t *testing.T) {
	skipUnlessBrowser(t)
	base := serve(t)
	res, err := http.Get(base + "/world")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	arabic := regexp.MustCompile(`<h3 lang="ar" dir="rtl"><a href="([^"]+)"`).FindSubmatch(page)
	story := regexp.MustCompile(`<h3 lang="en" dir="ltr"><a href="([^"]+)"`).FindSubmatch(page)
	if arabic == nil || story == nil {
		t.Fatal("no English or Arabic story on /world")
	}
	paths := []string{"/", "/world", string(story[1]), string(arabic[1])}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{"browser.mjs", base, "screenshots"}, paths...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("browser: %v\n%s", err, stderr.String())
	}
	var results []pageResult
	if err := json.Unmarshal(outb, &results); err != nil {
		t.Fatalf("browser output: %v\n%s", err, outb)
	}
	if len(results) != 2*len(paths) {
		t.Fatalf("%d results, want %d", len(results), 2*len(paths))
	}
	for _, r := range results {
		where := r.Path + " at " + strconv.Itoa(r.Width) + "px"
		if r.Status != 200 {
			t.Errorf("%s: status %d", where, r.Status)
		}
		if r.ScrollWidth > r.InnerWidth {
			t.Errorf("%s: horizontal overflow, %d > %d", where, r.ScrollWidth, r.InnerWidth)
		}
		if r.Lead == nil || !r.Lead.Complete || r.Lead.NaturalWidth == 0 {
			t.Errorf("%s: lead picture not loaded: %+v", where, r.Lead)
		}
		if len(r.ConsoleErrors) > 0 {
			t.Errorf("%s: console errors: %v", where, r.ConsoleErrors)
		}
		for _, v := range r.Axe {
			t.Errorf("%s: axe %s (%s): %s at %s", where, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
		}
		if r.H1 != 1 {
			t.Errorf("%s: %d h1 elements", where, r.H1)
		}
	}
	for _, r := range results {
		if r.Path == string(arabic[1]) && r.ArticleDir != "rtl" {
			t.Errorf("Arabic story rendered %q, want rtl", r.ArticleDir)
		}
	}
}
