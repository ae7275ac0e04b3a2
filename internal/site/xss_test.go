package site_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

func payloads(t *testing.T) []string {
	t.Helper()
	p, err := testutil.XSSPayloads()
	if err != nil {
		t.Fatalf("the XSS corpus of the shared test data: %v", err)
	}
	if len(p) < 370 {
		t.Fatalf("only %d payloads read", len(p))
	}
	return p
}

// TestUnsafeHTMLChecker makes sure the checker the XSS tests rely on sees
// what it must, and passes the site's own pages.
func TestUnsafeHTMLChecker(t *testing.T) {
	for _, bad := range []string{`<p><img src=x onerror=alert(1)></p>`, `<script>alert(1)</script>`,
		"<a href=\" java\tscript:alert(1)\">x</a>", `<script src="//evil.example/x.js"></script>`, `<svg/onload=alert(1)>`, `<script type="application/ld+json">{"a":"</script>`,
		`<iframe src="data:text/html,x"></iframe>`, `<meta http-equiv="refresh" content="0;url=x">`} {
		if len(testutil.UnsafeHTML(bad)) == 0 {
			t.Errorf("checker missed %q", bad)
		}
	}
	for _, p := range []string{"/", "/world", "/search?q=ankara", "/contact", "/staff", stories(t)[0].Path()} {
		if r := get(t, p); r.status != 200 || len(testutil.UnsafeHTML(r.body)) > 0 {
			t.Errorf("%s: %d %v", p, r.status, testutil.UnsafeHTML(r.body))
		}
	}
}

// TestXSSReflected sends every payload of the corpus through every query
// parameter, path segment and form field of the public site: none may
// change a page's structure, and none may cause a 500.
func TestXSSReflected(t *testing.T) {
	for i, p := range payloads(t) {
		q := url.QueryEscape(p)
		for _, path := range []string{
			"/search?q=" + q,
			"/search?q=ankara&section=" + q + "&lang=" + q + "&sort=" + q,
			"/search?q=" + q + "&after=" + q,
			"/world?after=" + q,
			"/" + url.PathEscape(p),
			"/tag/" + url.PathEscape(p),
			"/world/" + url.PathEscape(p),
			"/contact?sent=1&page=" + q,
		} {
			r := get(t, path)
			if r.status >= 500 {
				t.Fatalf("payload %d: GET %s answered %d", i, path, r.status)
			}
			if bad := testutil.UnsafeHTML(r.body); len(bad) > 0 {
				t.Fatalf("payload %d %q: GET %s: %v", i, p, path, bad)
			}
		}
		for _, form := range []string{"/contact", "/feedback"} {
			req := httpPost(form, url.Values{"name": {p}, "email": {p}, "subject": {p}, "message": {p}, "page": {p}})
			r := do(t, req)
			if r.status >= 500 {
				t.Fatalf("payload %d: POST %s answered %d", i, form, r.status)
			}
			if bad := testutil.UnsafeHTML(r.body); len(bad) > 0 {
				t.Fatalf("payload %d %q: POST %s: %v", i, p, form, bad)
			}
		}
	}
}

func httpPost(path string, vals url.Values) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, "http://dateline.test"+path, strings.NewReader(vals.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.RemoteAddr = "198.51.100.7:5000"
	return r
}

// TestXSSStored writes every payload into every field of a story (and of
// a reader's message), and reads it back on the pages that show it.
func TestXSSStored(t *testing.T) {
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
	c := testutil.NewClient(s.Handler)
	var paths []string
	for i, p := range payloads(t) {
		body := p + "\n\n[" + p + "](" + p + ")\n\n> " + p + "\n> — " + p + "\n\n- " + p + "\n\n" + p + "\n\n## " + p
		st := &story.Story{Language: "en", Type: story.TypeOpinion, Status: story.StatusPublished, Section: sec,
			Headline: p, Standfirst: p, Body: story.ParseBody(body), BodySource: body, SEOTitle: p, SEODesc: p,
			Bylines: []story.Byline{{Name: p}}, Tags: []story.Tag{{Name: fmt.Sprintf("tag %d %s", i, p)}},
			Notes: []story.Note{{Kind: "correction", Text: p, At: s.Now}}, FirstPublishedAt: s.Now, PublishedAt: s.Now}
		if _, err := s.Store.CreateStory(ctx, st); err != nil {
			t.Fatalf("payload %d: %v", i, err)
		}
		paths = append(paths, st.Path(), "/tag/"+st.Tags[0].Slug)
		if _, err := s.Store.AddMessage(ctx, store.Message{Kind: "feedback", Name: p, Email: "a@b.example", Subject: p, Body: p, Page: p, CreatedAt: s.Now}); err != nil {
			t.Fatal(err)
		}
	}
	paths = append(paths, "/", "/world", "/search?q=alert", "/search?q=script")
	for _, path := range paths {
		w := c.Get(path)
		if w.Code != 200 {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
		if bad := testutil.UnsafeHTML(w.Body.String()); len(bad) > 0 {
			t.Fatalf("GET %s: %v", path, bad)
		}
	}
	// The newsroom shows the same text to editors.
	s.MustUser("xss-admin@dateline.test", "Admin", store.RoleAdmin, "correct horse battery staple")
	if !c.Login("xss-admin@dateline.test", "correct horse battery staple") {
		t.Fatal("login failed")
	}
	for _, path := range []string{"/newsroom/", "/newsroom/inbox", "/newsroom/stories", "/newsroom/stories/1", "/newsroom/stories/1/revisions"} {
		w := c.Get(path)
		if w.Code >= 500 {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
		if bad := testutil.UnsafeHTML(w.Body.String()); len(bad) > 0 {
			t.Fatalf("GET %s: %v", path, bad)
		}
	}
}
