package newsroom_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
)

// admMediaFiles counts the files under the media directory.
func admMediaFiles(t *testing.T, e *admEnv) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(e.site.Media.Dir(), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func admLibraryLen(t *testing.T, e *admEnv) int {
	t.Helper()
	lib, err := e.site.Store.MediaLibrary(context.Background(), "", 500)
	if err != nil {
		t.Fatal(err)
	}
	return len(lib)
}

func TestMediaUpload(t *testing.T) {
	e := newAdmEnv(t)
	ctx := context.Background()

	// A JPEG with words and a focal point, by a reporter.
	w := admUpload(e.reporter, "/newsroom/media", "harbour.JPG", admJPEG(t, 1200, 800, 1),
		map[string]string{"caption": "Boats in the harbour at dawn", "credit": "Ana Photo", "alt": "Fishing boats", "focal_x": "0.25", "focal_y": "0.75"})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("JPEG upload: %d\n%s", w.Code, w.Body)
	}
	loc := w.Header().Get("Location")
	var id int64
	if _, err := fmt.Sscanf(loc, "/newsroom/media/%d?done=uploaded", &id); err != nil {
		t.Fatalf("redirect %q", loc)
	}
	m, err := e.site.Store.Media(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 1200 || m.Height != 800 || m.Caption != "Boats in the harbour at dawn" || m.Credit != "Ana Photo" ||
		m.Alt != "Fishing boats" || m.FocalX != 0.25 || m.FocalY != 0.75 || !e.site.Media.Has(m.Hash) {
		t.Errorf("stored %+v", m)
	}
	if a := e.lastAudit(t, "media_upload"); a.Target != fmt.Sprintf("media:%d", id) {
		t.Errorf("audit %+v", a)
	}
	// Its page shows it; the derivatives are served.
	w = e.reporter.Get(loc)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "/media/"+m.Hash+"/960.jpg") {
		t.Fatalf("edit page: %d", w.Code)
	}
	if w := e.reporter.Get("/media/" + m.Hash + "/320.jpg"); w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/jpeg" {
		t.Errorf("derivative: %d", w.Code)
	}

	// A PNG, and the same PNG again: one library item.
	png := admPNG(t, 300, 200, 2)
	if w := admUpload(e.editor, "/newsroom/media", "chart.png", png, map[string]string{"caption": "Chart of rainfall", "credit": "Data desk"}); w.Code != http.StatusSeeOther {
		t.Fatalf("PNG upload: %d\n%s", w.Code, w.Body)
	}
	n := admLibraryLen(t, e)
	w = admUpload(e.admin, "/newsroom/media", "again.png", png, nil)
	if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "done=exists") || admLibraryLen(t, e) != n {
		t.Errorf("second upload of the same picture: %d %q, library %d → %d", w.Code, w.Header().Get("Location"), n, admLibraryLen(t, e))
	}

	// Refused uploads: a clear message, and nothing left on disk or in the database.
	files, items := admMediaFiles(t, e), admLibraryLen(t, e)
	big := append(admJPEG(t, 64, 64, 3), bytes.Repeat([]byte{0}, 16<<20)...)
	cases := []struct {
		name, file string
		data       []byte
		fields     map[string]string
		status     int
		msg        string
	}{
		{"text named photo.jpg", "photo.jpg", []byte("This is a letter to the editor, not a photograph.\n"), nil, http.StatusUnsupportedMediaType, "not an image"},
		{"HTML named .png", "x.png", []byte("<!doctype html><script>alert(1)</script>"), nil, http.StatusUnsupportedMediaType, "not an image"},
		{"truncated JPEG", "cut.jpg", admJPEG(t, 200, 200, 4)[:300], nil, http.StatusUnsupportedMediaType, "broken image"},
		{"too small", "dot.png", admPNG(t, 8, 8, 5), nil, http.StatusUnsupportedMediaType, "too small"},
		{"empty file", "empty.jpg", nil, nil, http.StatusBadRequest, "Choose a picture"},
		{"over the size limit", "huge.jpg", big, nil, http.StatusRequestEntityTooLarge, "15 MB limit"},
		{"focal point out of range", "ok.jpg", admJPEG(t, 64, 64, 6), map[string]string{"focal_x": "2"}, http.StatusBadRequest, "focal point"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := admUpload(e.reporter, "/newsroom/media", c.file, c.data, c.fields)
			if w.Code != c.status || !strings.Contains(w.Body.String(), c.msg) {
				t.Errorf("%d, want %d with %q\n%.600s", w.Code, c.status, c.msg, w.Body)
			}
			if strings.Contains(w.Body.String(), "<script>alert") {
				t.Error("uploaded markup echoed")
			}
		})
	}
	if f, i := admMediaFiles(t, e), admLibraryLen(t, e); f != files || i != items {
		t.Errorf("refused uploads left files %d → %d, library items %d → %d", files, f, items, i)
	}
}

func TestMediaLibrarySearchEditAndPick(t *testing.T) {
	e := newAdmEnv(t)
	ctx := context.Background()
	for i, words := range [][2]string{{"Protest in the square", "Lena Lens"}, {"Flooded street", "Wire Photo"}, {"Minister at the podium", "Lena Lens"}} {
		if w := admUpload(e.editor, "/newsroom/media", "p.jpg", admJPEG(t, 80, 60, uint8(10+i)), map[string]string{"caption": words[0], "credit": words[1]}); w.Code != http.StatusSeeOther {
			t.Fatalf("upload: %d", w.Code)
		}
	}
	body := e.reporter.Get("/newsroom/media?q=lena").Body.String()
	if !strings.Contains(body, "Protest in the square") || !strings.Contains(body, "Minister at the podium") || strings.Contains(body, "Flooded street") {
		t.Error("search by credit does not select the right pictures")
	}
	if body := e.reporter.Get("/newsroom/media?q=flooded").Body.String(); !strings.Contains(body, "Flooded street") || strings.Contains(body, "Protest") {
		t.Error("search by caption does not select the right picture")
	}

	lib, _ := e.site.Store.MediaLibrary(ctx, "flooded", 1)
	m := lib[0]
	path := fmt.Sprintf("/newsroom/media/%d", m.ID)
	w := e.reporter.PostForm(path, admForm("caption", "Flooded street in the old town", "credit", "Wire Photo", "alt", "Water to the knees", "focal_x", "0.1", "focal_y", "0.9"))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", w.Code, w.Body)
	}
	got, _ := e.site.Store.Media(ctx, m.ID)
	if got.Caption != "Flooded street in the old town" || got.Alt != "Water to the knees" || got.FocalX != 0.1 || got.FocalY != 0.9 {
		t.Errorf("after edit %+v", got)
	}
	if w := e.reporter.PostForm(path, admForm("focal_x", "-1", "focal_y", "0.5")); w.Code != http.StatusBadRequest {
		t.Errorf("bad focal point: %d, want 400", w.Code)
	}
	// The focal point picker's script is loaded from a file (CSP), and
	// there is no inline script or on… attribute.
	page := e.reporter.Get(path).Body.String()
	if !strings.Contains(page, `src="/static/media.`) || strings.Contains(page, "<script>") || strings.Contains(page, " onclick=") {
		t.Error("media page: script not from a static file, or inline script")
	}

	// Picker mode: each picture offers itself as the story's lead image.
	storyID := e.story(t, "Story that needs a picture", time.Time{})
	body = e.reporter.Get(fmt.Sprintf("/newsroom/media?pick=lead&story=%d", storyID)).Body.String()
	want := fmt.Sprintf(`href="/newsroom/stories/%d?lead=%d"`, storyID, m.ID)
	if !strings.Contains(body, want) || !strings.Contains(body, "Use as lead image") {
		t.Errorf("picker lacks %s", want)
	}
	// Uploading in picker mode comes back to the picture with the same offer.
	w = admUpload(e.reporter, fmt.Sprintf("/newsroom/media?pick=lead&story=%d", storyID), "n.jpg", admJPEG(t, 80, 60, 40), nil)
	if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || !strings.Contains(loc, fmt.Sprintf("pick=lead&story=%d", storyID)) {
		t.Fatalf("picker upload: %d %q", w.Code, loc)
	} else if body := e.reporter.Get(loc).Body.String(); !strings.Contains(body, fmt.Sprintf("/newsroom/stories/%d?lead=", storyID)) {
		t.Error("the uploaded picture's page does not offer it as the lead image")
	}
	// Without pick mode there is no such button.
	if strings.Contains(e.reporter.Get("/newsroom/media").Body.String(), "Use as lead image") {
		t.Error("lead image buttons outside picker mode")
	}
	_ = store.RoleAdmin
}
