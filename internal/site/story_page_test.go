package site_test

import (
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"dateline/internal/site"
	"dateline/internal/story"
	"dateline/web"
)

// oracleTemplates are the site's templates with story.html: the
// templates that rendered the story page before story_page.go wrote it
// (testdata/story_oracle.html), in the layout that rendered it before
// layout_write.go did, with the masthead and footer rendered on every
// page rather than kept.
func oracleTemplates(t *testing.T) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(web.Templates, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(web.Templates, path)
		m[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The footer and the masthead were part of the layout, rendered on
	// every page.
	layout := string(m["templates/layout.html"].Data)
	for kept, every := range map[string]string{"{{.Site.Footer}}": `{{template "footer" .}}`, "{{.Masthead}}": `{{template "masthead" .}}`} {
		if !strings.Contains(layout, kept) {
			t.Fatalf("layout.html does not show %s", kept)
		}
		layout = strings.Replace(layout, kept, every, 1)
	}
	m["templates/layout.html"].Data = []byte(layout)
	b, err := os.ReadFile("testdata/story_oracle.html")
	if err != nil {
		t.Fatal(err)
	}
	m["templates/story.html"] = &fstest.MapFile{Data: b}
	return m
}

func siteDeps(templates fs.FS) site.Deps {
	return site.Deps{Config: demo.Config, Store: demo.Store, Templates: templates, Static: web.Static}
}

// TestStoryPageMatchesTemplates serves every demo story's page as the
// site writes it (story_page.go, layout_write.go) and renders it with
// the templates those replaced, and finds the same bytes.
func TestStoryPageMatchesTemplates(t *testing.T) {
	pages, err := site.NewStoryPages(siteDeps(web.Templates), oracleTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	pages.Routes(mux)
	page := func(path string) string {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
		return w.Body.String()
	}
	var lead, notes, wire, opinion int
	for _, st := range stories(t) {
		g := page(st.Path())
		w, err := pages.Oracle(st)
		if err != nil {
			t.Fatal(err)
		}
		if g != w {
			t.Errorf("%s differs from the templates' page:\n%s", st.Path(), firstDiff(g, w))
		}
		if st.Lead != nil {
			lead++
		}
		if len(st.Notes) > 0 {
			notes++
		}
		if st.Source != nil {
			wire++
		}
		if st.Type != story.TypeNews {
			opinion++
		}
	}
	// The demo must show every optional part of the page somewhere.
	if lead == 0 || notes == 0 || wire == 0 || opinion == 0 {
		t.Errorf("the demo stories lack a part of the page: %d with a lead picture, %d with notes, %d wire, %d opinion or analysis", lead, notes, wire, opinion)
	}
}

// TestStoryPreviewMatchesTemplates does the same for the newsroom's
// preview, which shows a story with the same template in any state, with
// neither address nor structured data.
func TestStoryPreviewMatchesTemplates(t *testing.T) {
	pages, err := site.NewStoryPages(siteDeps(web.Templates), oracleTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stories(t) {
		draft := *st
		draft.Status, draft.FirstPublishedAt = story.StatusDraft, time.Time{}
		got, want, err := pages.Previews(&draft)
		if err != nil {
			t.Fatalf("%s: %v", st.Path(), err)
		}
		if got != want {
			t.Errorf("preview of %s differs from the templates' page:\n%s", st.Path(), firstDiff(got, want))
		}
		if !strings.Contains(got, "<h1>"+html.EscapeString(st.Headline)+"</h1>") || !strings.Contains(got, `<div class="story-body">`+"\n<") {
			t.Errorf("preview of %s lacks the headline or the body", st.Path())
		}
	}
}

// TestStoryPageMatchesTemplatesOnPayloads puts the XSS corpus into every
// field of a story and of its Explore list, and finds the writer's page
// and the templates' the same to the byte: the writer escapes exactly as
// html/template does, context for context.
func TestStoryPageMatchesTemplatesOnPayloads(t *testing.T) {
	oracle := oracleTemplates(t)
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	ps := payloads(t)
	pages, err := site.NewStoryPages(siteDeps(web.Templates), oracle)
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for i := 0; i < len(ps); i += 3 {
		p, q := ps[i], ps[(i+1)%len(ps)]
		img := &story.Image{Hash: "ab12" + fmt.Sprint(i), Width: 1600, Height: 900, Alt: p, Caption: q, Credit: p}
		st := &story.Story{
			ID: int64(i + 1), Slug: p, Language: []string{"en", "ar", p}[i%3], Type: story.Type([]string{"news", "opinion", "analysis"}[i%3]),
			Status: story.StatusPublished, Section: story.Section{ID: 1, Slug: q, Name: p},
			Headline: p, Standfirst: q, SEOTitle: q, SEODesc: p,
			Bylines: []story.Byline{{Name: p, AuthorSlug: q}, {Name: q}, {Name: p, AuthorSlug: p}}[:1+i%3],
			Tags:    []story.Tag{{Slug: p, Name: q}, {Slug: q, Name: p}},
			Notes:   []story.Note{{Kind: "correction", Text: p, At: at}, {Kind: p, Text: q, At: at}},
			Body:    story.ParseBody(p + "\n\n**" + q + "**"), FirstPublishedAt: at, PublishedAt: at, UpdatedAt: at.Add(time.Duration(i) * time.Hour),
		}
		switch i % 4 {
		case 0:
			st.Lead = img
		case 1:
			st.Source = &story.Source{Slug: p, Label: q, Name: p}
			st.Bylines = nil
		case 2:
			st.Source = &story.Source{Slug: q, Label: p}
			st.Lead = &story.Image{Hash: q, Width: 800, Height: 600, Alt: q}
		}
		explore := []story.Summary{
			{ID: 9001, Slug: q, Language: p, Section: story.Section{Slug: p}, Headline: q, Bylines: st.Bylines},
			{ID: 9002, Slug: "plain", Language: "tr", Section: story.Section{Slug: "world"}, Headline: p, Source: st.Source},
		}
		got, want, err := pages.Both(st, explore)
		if err != nil {
			t.Fatalf("payload %d: %v", i, err)
		}
		if got != want {
			t.Fatalf("payload %d (%q) differs from the templates' page:\n%s", i, p, firstDiff(got, want))
		}
		compared++
	}
	if compared < 60 {
		t.Errorf("only %d pages compared", compared)
	}
}

// firstDiff shows where got first differs from want, with some context.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-120)
	return fmt.Sprintf("at byte %d\n got …%s…\nwant …%s…", i, got[from:min(len(got), i+120)], want[from:min(len(want), i+120)])
}
