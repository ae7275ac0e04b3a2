package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"dateline/internal/app"
)

// newsroomResult is what newsroom.mjs reports of its walk through the
// newsroom.
type newsroomResult struct {
	Steps         []string `json:"steps"`
	StoryURL      string   `json:"storyURL"`
	Related       string   `json:"related"`
	PreviewH1     string   `json:"previewH1"`
	PreviewLead   bool     `json:"previewLead"`
	PreviewRel    bool     `json:"previewRelated"`
	StatusAfter   string   `json:"statusAfterSubmit"`
	Published     string   `json:"statusAfterPublish"`
	OnFront       bool     `json:"onFront"`
	PublicURL     string   `json:"publicURL"`
	PublicLead    bool     `json:"publicLead"`
	PublicRelated bool     `json:"publicRelated"`
	ConsoleErrors []string `json:"consoleErrors"`
	Error         string   `json:"error"`
}

// serveNewsroom starts the real program with the demo and two staff
// accounts made with `dateline user add`.
func serveNewsroom(t *testing.T, users map[string]string, password string) string {
	t.Helper()
	dir := t.TempDir()
	db, mediaDir := filepath.Join(dir, "d.db"), filepath.Join(dir, "media")
	noEnv := func(string) string { return "" }
	for email, role := range users {
		err := app.RunWithInput(context.Background(), []string{"user", "add", "--email", email, "--name", strings.ToUpper(role[:1]) + role[1:],
			"--role", role, "--password-stdin", "--db", db}, noEnv, strings.NewReader(password+"\n"), io.Discard, io.Discard)
		if err != nil {
			t.Fatalf("user add %s: %v", email, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--db", db, "--media-dir", mediaDir},
			noEnv, pw, io.Discard)
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

// writeJPEG makes a small real photograph-like JPEG for the upload.
func writeJPEG(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 800, 450))
	for y := range 450 {
		for x := range 800 {
			img.Set(x, y, color.RGBA{uint8(x * 255 / 800), uint8(y * 255 / 450), 140, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestNewsroomBrowser: a reporter writes a story with an uploaded lead
// picture and a related link, previews and submits it; an editor
// publishes it; it is on the public front page.
func TestNewsroomBrowser(t *testing.T) {
	skipUnlessBrowser(t)
	const password = "wandering-lighthouse-keeper-42"
	base := serveNewsroom(t, map[string]string{"reporter@dateline.test": "reporter", "editor@dateline.test": "editor"}, password)
	res, err := http.Get(base + "/world")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`<h3 lang="en" dir="ltr"><a href="[^"]+">([^<&]{12,})`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no English story on /world to relate to")
	}
	relatedQuery := string(m[1])[:12]
	jpg := filepath.Join(t.TempDir(), "harbour.jpg")
	writeJPEG(t, jpg)
	headline := "Harbour reopens after the storm " + time.Now().Format("150405")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "newsroom.mjs", base, "screenshots", password, headline, jpg, relatedQuery)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var r newsroomResult
	if jerr := json.Unmarshal(out, &r); jerr != nil {
		t.Fatalf("newsroom.mjs: %v %v\n%s\n%s", err, jerr, out, stderr.String())
	}
	if r.Error != "" || err != nil {
		t.Fatalf("newsroom.mjs failed after %v: %s (%v)\n%s", r.Steps, r.Error, err, stderr.String())
	}
	if !regexp.MustCompile(`/newsroom/stories/\d+$`).MatchString(r.StoryURL) {
		t.Errorf("the story was saved at %q", r.StoryURL)
	}
	if !regexp.MustCompile(`^\d+$`).MatchString(r.Related) {
		t.Errorf("the related picker gave %q", r.Related)
	}
	if r.PreviewH1 != headline || !r.PreviewLead || !r.PreviewRel {
		t.Errorf("preview: h1 %q, lead %v, related %v", r.PreviewH1, r.PreviewLead, r.PreviewRel)
	}
	if r.StatusAfter != "submitted" || r.Published != "published" {
		t.Errorf("status after submit %q, after publish %q", r.StatusAfter, r.Published)
	}
	if !r.OnFront {
		t.Error("the published story is not on the front page")
	}
	if !r.PublicLead || !r.PublicRelated {
		t.Errorf("public page %s: lead %v, related %v", r.PublicURL, r.PublicLead, r.PublicRelated)
	}
	for _, e := range r.ConsoleErrors {
		t.Errorf("console error: %s", e)
	}
}
