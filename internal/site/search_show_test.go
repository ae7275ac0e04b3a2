package site_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

const browserUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"

var resultLinkRE = regexp.MustCompile(`<li class="result">\s*<p class="kicker"><a href="/([a-z-]+)">[^<]*</a>.*?<h3 lang="([a-z]+)"[^>]*><a href="([^"]+)">`)

// results returns the section, language and address of each result.
func results(body string) [][3]string {
	var out [][3]string
	for _, m := range resultLinkRE.FindAllStringSubmatch(strings.ReplaceAll(body, "\n", " "), -1) {
		out = append(out, [3]string{m[1], m[2], m[3]})
	}
	return out
}

func TestSearchPage(t *testing.T) {
	s := find(t, "Fenerbahçe", func(s *story.Story) bool { return strings.Contains(s.Headline, "Fenerbahçe") })
	r := get(t, "/search?q=fenerbahce")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	mustContain(t, r.body, `<mark>Fenerbahçe</mark>`, `href="`+s.Path()+`"`, `<p class="snippet" lang="en" dir="ltr">`,
		`<meta name="robots" content="noindex">`, `value="fenerbahce"`)
	if res := results(r.body); len(res) == 0 || res[0][2] != s.Path() {
		t.Errorf("first result %v, want %s", res, s.Path())
	}
	// A typing slip is corrected and said so.
	mustContain(t, get(t, "/search?q=Fenerbache").body, "Showing results for", `href="`+s.Path()+`"`)
	// Arabic and Turkish, folded.
	ar := find(t, "Arabic", func(s *story.Story) bool { return s.Language == "ar" })
	if res := results(get(t, "/search?q="+strings.Fields(ar.Headline)[0]).body); len(res) == 0 || res[0][1] != "ar" {
		t.Errorf("Arabic search: %v", res)
	}
}

func TestSearchEscapesStoryText(t *testing.T) {
	sec, _ := demo.Store.SectionBySlug(context.Background(), "world")
	mustCreate(t, &story.Story{Section: sec, Headline: `Zebrafish <script>alert(1)</script> & "quotes"`,
		Body:             story.ParseBody(`The zebrafish <img src=x onerror=alert(1)> study & more.`),
		FirstPublishedAt: demo.Now.Add(-time.Hour)})
	b := get(t, "/search?q=zebrafish").body
	if strings.Contains(b, "<script>alert") || strings.Contains(b, "<img src=x") {
		t.Error("story text reached the page as HTML")
	}
	mustContain(t, b, `<mark>Zebrafish</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;`,
		`The <mark>zebrafish</mark> &lt;img src=x onerror=alert(1)&gt; study &amp; more.`)
	// What the reader typed is escaped too.
	b = get(t, "/search?q=%3Cscript%3Ex%3C%2Fscript%3E+zebrafish").body
	if strings.Contains(b, "<script>x") {
		t.Error("the query reached the page as HTML")
	}
}

func TestSearchFilters(t *testing.T) {
	for _, tc := range []struct {
		path    string
		section string
		lang    string
	}{
		{"/search?q=climate&section=world", "world", ""},
		{"/search?q=istanbul&lang=tr", "", "tr"},
		{"/search?q=istanbul&lang=en&section=sport", "sport", "en"},
	} {
		r := get(t, tc.path)
		res := results(r.body)
		if r.status != 200 || len(res) == 0 {
			t.Errorf("%s: %d, %d results", tc.path, r.status, len(res))
		}
		for _, x := range res {
			if tc.section != "" && x[0] != tc.section || tc.lang != "" && x[1] != tc.lang {
				t.Errorf("%s: result %v outside the filter", tc.path, x)
			}
		}
	}
	// A date range with nothing in it.
	r := get(t, "/search?q=climate&from=2001-01-01&to=2001-01-31")
	if n := len(results(r.body)); n != 0 || !strings.Contains(r.body, "No stories match") {
		t.Errorf("empty range: %d results", n)
	}
	mustContain(t, r.body, `value="2001-01-01"`, `value="2001-01-31"`)
	// Filters that make no sense are left out, with a notice; never an error.
	for _, path := range []string{
		"/search?q=climate&section=nope", "/search?q=climate&lang=xx", "/search?q=climate&from=yesterday",
		"/search?q=climate&to=2026-13-45", "/search?q=climate&from=%ff", "/search?q=climate&section=world&section=sport",
	} {
		r := get(t, path)
		if r.status != 200 || len(results(r.body)) == 0 {
			t.Errorf("%s: %d, %d results", path, r.status, len(results(r.body)))
		}
		if !strings.Contains(path, "section=world&") && !strings.Contains(r.body, "was left out") {
			t.Errorf("%s: no notice", path)
		}
	}
}

func TestSearchPages(t *testing.T) {
	r := get(t, "/search?q=said")
	first := results(r.body)
	if len(first) != 20 {
		t.Fatalf("first page has %d results, want 20", len(first))
	}
	m := regexp.MustCompile(`href="(/search\?[^"]+)" rel="next"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no link to more results")
	}
	r2 := get(t, html.UnescapeString(m[1]))
	second := results(r2.body)
	if r2.status != 200 || len(second) == 0 || !strings.Contains(r2.body, "First results") {
		t.Fatalf("second page: %d, %d results", r2.status, len(second))
	}
	seen := map[string]bool{}
	for _, x := range first {
		seen[x[2]] = true
	}
	for _, x := range second {
		if seen[x[2]] {
			t.Errorf("%s on both pages", x[2])
		}
	}
	for _, bad := range []string{"zzz", "1.2.3", "a.b.c.d", "1.1.1.9", "0.0.0.0", "-1.2.3.0", strings.Repeat("9", 70)} {
		if r := get(t, "/search?q=said&after="+bad); r.status != http.StatusBadRequest {
			t.Errorf("after=%s: %d, want 400", bad, r.status)
		}
	}
}

func TestSearchHelp(t *testing.T) {
	for path, notice := range map[string]string{
		"/search":             "",
		"/search?q=":          "",
		"/search?q=a":         "Type at least two letters",
		"/search?q=%21%21%21": "Type at least two letters",
		"/search?q=-war":      "Type at least two letters",
		"/search?q=%ff%fe":    "Type at least two letters",
	} {
		r := get(t, path)
		if r.status != 200 || !strings.Contains(r.body, `id="help-h"`) || notice != "" && !strings.Contains(r.body, notice) {
			t.Errorf("%s: %d, help %v", path, r.status, strings.Contains(r.body, `id="help-h"`))
		}
	}
	r := get(t, "/search?q="+strings.Repeat("climate+", 100))
	mustContain(t, r.body, "only its first 200 characters were used")
}

func TestSearchQueryCount(t *testing.T) {
	// The slowest path: nothing matches as typed, a slip is corrected,
	// and the corrected words are still searched strictly then relaxed.
	for _, path := range []string{"/search?q=Fenerbache", "/search?q=zzzqqq+xxxyyy", "/search?q=climate&section=world&lang=en&from=2020-01-01"} {
		ctx, n := store.WithQueryCounter(context.Background())
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
		do(t, req)
		if n.Load() > 10 {
			t.Errorf("%s: %d queries, want at most 10", path, n.Load())
		}
	}
}

func TestViewsAndMostRead(t *testing.T) {
	ctx := context.Background()
	s := find(t, "sport", func(s *story.Story) bool { return s.Section.Slug == "sport" })
	view := func(header map[string]string) {
		req := httptest.NewRequest(http.MethodGet, s.Path(), nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		if r := do(t, req); r.status != 200 {
			t.Fatalf("GET %s: %d", s.Path(), r.status)
		}
	}
	count := func() int {
		list, err := demo.Store.MostRead(ctx, store.MostReadQuery{Since: time.Now().Add(-time.Hour), Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range list {
			if v.ID == s.ID {
				return len(list) - i
			}
		}
		return 0
	}
	before := count()
	view(map[string]string{"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"})
	view(map[string]string{"User-Agent": browserUA, "Sec-Purpose": "prefetch"})
	view(nil)
	if count() != before {
		t.Error("a robot, a prefetch or a client without User-Agent was counted")
	}
	for range 50 {
		view(map[string]string{"User-Agent": browserUA})
	}
	if count() == 0 {
		t.Fatal("a reader's views were not counted")
	}
	front := get(t, "/").body
	block := front[strings.Index(front, `id="most-read-h"`):]
	mustContain(t, block, `href="`+s.Path()+`"`)
	sport := get(t, "/sport").body
	mustContain(t, sport, `id="most-read-h"`, `href="`+s.Path()+`"`)
	if world := get(t, "/world").body; strings.Contains(world, `id="most-read-h"`) && strings.Contains(world[strings.Index(world, `id="most-read-h"`):], `href="`+s.Path()+`"`) {
		t.Error("a sport story in World's most read")
	}
}

func TestExploreMixesWithoutRepeats(t *testing.T) {
	for _, s := range stories(t) {
		b := get(t, s.Path()).body
		i := strings.Index(b, `id="explore-h"`)
		if i < 0 {
			t.Errorf("%s: no Explore", s.Path())
			continue
		}
		seen := map[string]bool{s.Path(): true}
		for _, m := range regexp.MustCompile(`<aside class="related-inline"[^>]*><span class="related-label">Related</span> <a href="([^"]+)"`).FindAllStringSubmatch(b, -1) {
			seen[m[1]] = true
		}
		links := regexp.MustCompile(`<li><a href="([^"]+)"`).FindAllStringSubmatch(b[i:], -1)
		if len(links) < 5 {
			t.Errorf("%s: Explore has %d stories", s.Path(), len(links))
		}
		for _, m := range links {
			if seen[m[1]] {
				t.Errorf("%s: Explore repeats %s", s.Path(), m[1])
			}
			seen[m[1]] = true
		}
	}
}
