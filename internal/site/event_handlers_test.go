package site_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dateline/internal/bodyhtml"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// TestEventHandlerNamesNeverSurvive puts every one of the 114 on…
// attribute names of the shared list into a story body as HTML, on a
// paragraph and on an image, quoted and not, in upper and lower case,
// and publishes it: neither the rendered story page nor the body HTML of
// feeds (bodyhtml) carries any of them as an attribute (the body syntax
// has no HTML: it is shown as text), nor any other way to run script.
func TestEventHandlerNamesNeverSurvive(t *testing.T) {
	names, err := testutil.EventHandlerNames()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 114 {
		t.Fatalf("%d event handler names in the shared list, want 114", len(names))
	}
	s, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	sec, err := s.Store.SectionBySlug(ctx, "world")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			src := fmt.Sprintf("<p %s=\"alert(1)\">text</p>\n\n<img src=x %s=alert(1)>\n\nSafe words <b %s='alert(1)'>bold</b>\n\n"+
				"[link](https://example.org/ \"t\" %s=alert(1))\n\n> <div %s=alert(1)>quoted</div>",
				name, name, strings.ToUpper(name), name, name)
			body := story.ParseBody(src)
			check := func(where, out string) {
				t.Helper()
				if bad := testutil.UnsafeHTML(out); len(bad) > 0 {
					t.Errorf("%s: %v", where, bad)
				}
				low := strings.ToLower(out)
				for _, tag := range []string{"<p ", "<img src=x ", "<b ", "<div "} {
					if strings.Contains(low, tag+name) {
						t.Errorf("%s has the element %s%s… unescaped", where, tag, name)
					}
				}
				// The words stay, shown as text.
				if !strings.Contains(low, "&lt;p "+name+"=") {
					t.Errorf("%s lost the text of the paragraph", where)
				}
			}
			check("bodyhtml", bodyhtml.Render(body, bodyhtml.Options{BaseURL: "http://dateline.test"}))

			st := &story.Story{Language: "en", Type: story.TypeNews, Status: story.StatusPublished, Section: sec,
				Headline: "Handlers " + name, Standfirst: "Standfirst", Body: body, FirstPublishedAt: time.Now(), PublishedAt: time.Now()}
			id, err := s.Store.CreateStory(ctx, st)
			if err != nil {
				t.Fatal(err)
			}
			saved, err := s.Store.Story(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			s.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, saved.Path(), nil))
			if w.Code != http.StatusOK {
				t.Fatalf("story page %s: %d", saved.Path(), w.Code)
			}
			page := w.Body.String()
			if !strings.Contains(page, "text") || !strings.Contains(page, "quoted") {
				t.Errorf("the story's words are missing from the page")
			}
			check("story page", page)
		})
	}
}
