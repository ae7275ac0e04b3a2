package site_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

func TestFrontPage(t *testing.T) {
	r := get(t, "/")
	if r.status != 200 {
		t.Fatalf("GET /: %d", r.status)
	}
	mustContain(t, r.body, `<section class="lead-story"`, `<h2 id="top-h">Top stories</h2>`,
		`<h2 id="latest-h">Latest</h2>`, `rel="next"`, `<a href="/about">About us</a>`,
		`<a href="/contact">Contact us</a>`, `<a href="/feedback">Share your feedback</a>`,
		`<a href="/standards">`, `<a href="/staff">`, `<a class="skip" href="#main">`, `<main id="main"`)
	secs, _ := demo.Store.Sections(context.Background())
	for _, sec := range secs {
		mustContain(t, r.body, `<h2 id="sec-`+sec.Slug+`"><a href="/`+sec.Slug+`">`)
	}
	// No story appears twice among the lead, top stories and section blocks.
	main := r.body[strings.Index(r.body, `<section class="lead-story"`):strings.Index(r.body, `<section class="latest"`)]
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`<h3[^>]*><a href="([^"]+)"`).FindAllStringSubmatch(main, -1) {
		if seen[m[1]] {
			t.Errorf("%s shown twice on the front page", m[1])
		}
		seen[m[1]] = true
	}
	if len(seen) < 20 {
		t.Errorf("front page shows %d stories in its blocks, want at least 20", len(seen))
	}
}

func TestListPages(t *testing.T) {
	s := find(t, "tagged staff", func(s *story.Story) bool {
		return len(s.Tags) > 0 && len(s.Bylines) > 0 && s.Bylines[0].AuthorSlug != ""
	})
	for _, tc := range []struct{ path, want string }{
		{"/" + s.Section.Slug, "<h1>" + s.Section.Name},
		{"/tag/" + s.Tags[0].Slug, "<h1>" + s.Tags[0].Name},
		{"/author/" + s.Bylines[0].AuthorSlug, `<img class="portrait"`},
	} {
		r := get(t, tc.path)
		if r.status != 200 {
			t.Errorf("GET %s: %d", tc.path, r.status)
			continue
		}
		mustContain(t, r.body, strings.ReplaceAll(tc.want, "&", "&amp;"), `href="`+s.Path()+`"`)
	}
	a := get(t, "/author/"+s.Bylines[0].AuthorSlug).body
	mustContain(t, a, `<p class="role">`, `<p class="intro">`)
}

// TestListPictureLoading: on a list page the first teaser's picture is
// on screen at once, so it is fetched eagerly; the rest wait until the
// reader scrolls near them. Other tests add stories without pictures to
// the demo, so every section and author page is looked at, and at least
// one must show both cases.
func TestListPictureLoading(t *testing.T) {
	ctx := context.Background()
	var paths []string
	secs, _ := demo.Store.Sections(ctx)
	for _, sec := range secs {
		paths = append(paths, "/"+sec.Slug)
	}
	authors, _ := demo.Store.Authors(ctx)
	for _, a := range authors {
		paths = append(paths, "/author/"+a.Slug)
	}
	teaserRE := regexp.MustCompile(`(?s)<article class="teaser[ "].*?</article>`)
	var eagerSeen, lazySeen bool
	for _, path := range paths {
		r := get(t, path)
		if r.status != 200 {
			t.Errorf("GET %s: %d", path, r.status)
			continue
		}
		for i, teaser := range teaserRE.FindAllString(r.body, -1) {
			if !strings.Contains(teaser, `class="teaser-pic"`) {
				continue
			}
			lazy := strings.Contains(teaser, `loading="lazy"`)
			if lazy != (i > 0) {
				t.Errorf("GET %s: teaser %d lazy=%v, want lazy for all but the first", path, i, lazy)
			}
			eagerSeen = eagerSeen || i == 0
			lazySeen = lazySeen || i > 0
		}
	}
	if !eagerSeen || !lazySeen {
		t.Errorf("no list page had a first teaser with a picture (%v) or a later one (%v)", eagerSeen, lazySeen)
	}
}

func TestTransparencyPages(t *testing.T) {
	mustContain(t, get(t, "/about").body, "<h1>About us</h1>", "independent international news site")
	mustContain(t, get(t, "/standards").body, "<h1>Editorial standards</h1>", "we correct it openly")
	staff := get(t, "/staff").body
	authors, _ := demo.Store.Authors(context.Background())
	if len(authors) < 8 {
		t.Fatalf("%d authors, want at least 8", len(authors))
	}
	for _, a := range authors {
		mustContain(t, staff, `<a href="/author/`+a.Slug+`">`)
		if a.Bio == "" || a.Portrait == nil {
			t.Errorf("author %s lacks a bio or portrait", a.Slug)
		}
	}
}

// TestPaginationIsStable publishes a story between reading page 1 and
// page 2: keyset pagination neither repeats nor skips a story.
func TestPaginationIsStable(t *testing.T) {
	ctx := context.Background()
	sec, err := demo.Store.SectionBySlug(ctx, "world")
	if err != nil {
		t.Fatal(err)
	}
	// Enough stories for three pages of this section.
	for i := 0; i < 45; i++ {
		mustCreate(t, &story.Story{Section: sec, Headline: "Archive item " + strings.Repeat("x", i%3),
			FirstPublishedAt: demo.Now.Add(-time.Duration(60+i) * 24 * time.Hour)})
	}
	first := get(t, "/world")
	older := regexp.MustCompile(`href="(/world\?after=[^"]+)" rel="next"`).FindStringSubmatch(first.body)
	if older == nil {
		t.Fatal("no link to older stories")
	}
	mustCreate(t, &story.Story{Section: sec, Headline: "Breaking in between", FirstPublishedAt: demo.Now})
	second := get(t, strings.ReplaceAll(older[1], "&amp;", "&"))
	if second.status != 200 {
		t.Fatalf("page 2: %d", second.status)
	}
	ids := func(body string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<h3[^>]*><a href="([^"]+)"`).FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	p1, p2 := ids(first.body), ids(second.body)
	if len(p1) != 20 || len(p2) != 20 {
		t.Fatalf("pages hold %d and %d stories, want 20 each", len(p1), len(p2))
	}
	seen := map[string]bool{}
	for _, id := range p1 {
		seen[id] = true
	}
	for _, id := range p2 {
		if seen[id] {
			t.Errorf("%s on both pages", id)
		}
	}
	mustContain(t, second.body, `<a href="/world">← Newest stories</a>`)
}

func mustCreate(t testing.TB, s *story.Story) int64 {
	t.Helper()
	if s.Language == "" {
		s.Language = "en"
	}
	if s.Type == "" {
		s.Type = story.TypeNews
	}
	if s.Status == "" {
		s.Status = story.StatusPublished
	}
	if s.Slug == "" {
		s.Slug = story.Slugify(s.Headline, 80)
	}
	if s.Body == nil {
		s.Body = story.ParseBody("A paragraph of text for the test.")
	}
	s.PublishedAt, s.UpdatedAt = s.FirstPublishedAt, s.FirstPublishedAt
	id, err := demo.Store.CreateStory(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestStoryStatuses(t *testing.T) {
	ctx := context.Background()
	sec, _ := demo.Store.SectionBySlug(ctx, "business")
	for _, tc := range []struct {
		status story.Status
		want   int
	}{
		{story.StatusPublished, http.StatusOK},
		{story.StatusUnpublished, http.StatusGone},
		{story.StatusKilled, http.StatusGone},
		{story.StatusWithheld, http.StatusNotFound},
		{story.StatusDraft, http.StatusNotFound},
		{story.StatusSubmitted, http.StatusNotFound},
		{story.StatusScheduled, http.StatusNotFound},
		{story.StatusSpiked, http.StatusNotFound},
	} {
		s := &story.Story{Section: sec, Headline: "Status " + string(tc.status), Status: tc.status, FirstPublishedAt: demo.Now.Add(-400 * 24 * time.Hour)}
		mustCreate(t, s)
		r := get(t, s.Path())
		if r.status != tc.want {
			t.Errorf("%s story: %d, want %d", tc.status, r.status, tc.want)
		}
		if tc.want == http.StatusGone {
			mustContain(t, r.body, "This story has been removed")
		}
		if tc.status != story.StatusPublished && strings.Contains(get(t, "/business?after=").body, s.Headline) {
			t.Errorf("%s story listed", tc.status)
		}
	}
	_ = store.ListQuery{}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/?page=-1", 200},
		{"/?page=abc", 200},
		{"/world?page=-1", 200},
		{"/world?after=garbage", 400},
		{"/world?after=zz.", 400},
		{"/world?after=.1", 400},
		{"/world?after=1.-1", 400},
		{"/world?after=" + strings.Repeat("9", 40) + ".1", 400},
		{"/?after=%ff%fe", 400},
		{"/no-such-section", 404},
		{"/tag/no-such-tag", 404},
		{"/author/nobody", 404},
		{"/source/nobody", 404},
		{"/world/", 404},
		{"/a/b/c/d", 404},
		{"/static/missing.css", 404},
		{"/media/%2e%2e/%2e%2e%2fetc%2fpasswd", 404},
		{"/media/zz/1.jpg", 404},
		{"/search?q=%22NEAR%28*", 200},
		{"/search?q=" + strings.Repeat("x", 5000), 200},
		{"/search?q=%ff%fe", 200},
	} {
		r := get(t, tc.path)
		if r.status != tc.want {
			t.Errorf("GET %s: %d, want %d", tc.path, r.status, tc.want)
		}
	}
	nf := get(t, "/no-such-section")
	mustContain(t, nf.body, "Page not found", `action="/search"`, "Latest stories", `<meta name="robots" content="noindex">`)
}

func TestOperationalEndpoints(t *testing.T) {
	if r := get(t, "/healthz"); r.status != 200 || strings.TrimSpace(r.body) != "ok" {
		t.Errorf("healthz: %d %q", r.status, r.body)
	}
	if r := get(t, "/robots.txt"); r.status != 200 || !strings.Contains(r.body, "User-agent: *") {
		t.Errorf("robots.txt: %d", r.status)
	}
	front := get(t, "/")
	css := regexp.MustCompile(`href="(/static/site\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(front.body)
	if css == nil {
		t.Fatal("no hashed stylesheet link")
	}
	r := get(t, css[1])
	if r.status != 200 || !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("stylesheet: %d %q", r.status, r.header.Get("Cache-Control"))
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
		if front.header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	// Only where a session lives is the window isolated from other
	// origins (it costs a reader's browser a fresh process).
	if v := front.header.Get("Cross-Origin-Opener-Policy"); v != "" {
		t.Errorf("front page: Cross-Origin-Opener-Policy %q, want none", v)
	}
	for _, p := range []string{"/newsroom/login", "/api/v1/stories"} {
		if v := get(t, p).header.Get("Cross-Origin-Opener-Policy"); v != "same-origin" {
			t.Errorf("%s: Cross-Origin-Opener-Policy %q, want same-origin", p, v)
		}
	}
	if strings.Contains(front.header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("CSP allows unsafe-inline")
	}
	if regexp.MustCompile(`<script|\son[a-z]+=|style="`).MatchString(front.body) {
		t.Error("the page has inline script, style or event handlers")
	}
}
