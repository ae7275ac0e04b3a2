package site_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// uncachedSite is an empty site with the page cache off, so that every
// request is rendered, and its one section, World.
func uncachedSite(t *testing.T) (*testutil.Site, story.Section) {
	t.Helper()
	site, err := testutil.NewSite(t.TempDir(), map[string]string{"DATELINE_PAGE_CACHE_MB": "0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { site.Close() })
	world, err := site.Store.SectionBySlug(context.Background(), "world")
	if err != nil {
		t.Fatal(err)
	}
	return site, world
}

// TestExploreSharedLists: the newest and most-read stories that every
// story page's Explore draws on are read once and shared, yet a story
// published a moment ago is in the next page rendered, and no page lists
// itself or what its body links to, however many stories that is.
func TestExploreSharedLists(t *testing.T) {
	ctx := context.Background()
	site, sec := uncachedSite(t)
	at := site.Now.Add(-100 * time.Hour)
	publish := func(headline, body string) *story.Story {
		t.Helper()
		at = at.Add(time.Hour)
		st := &story.Story{Section: sec, Headline: headline, Slug: story.Slugify(headline, 80), Language: "en",
			Type: story.TypeNews, Status: story.StatusPublished, Body: story.ParseBody(body),
			FirstPublishedAt: at, PublishedAt: at, UpdatedAt: at}
		id, err := site.Store.CreateStory(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if st, err = site.Store.Story(ctx, id); err != nil {
			t.Fatal(err)
		}
		return st
	}
	var all []*story.Story
	for i := range 60 {
		all = append(all, publish(fmt.Sprintf("Harbour story number %d", i), "Cranes and ships at the harbour."))
	}
	// A story whose body links to the 55 newest others: the shared lists
	// cannot fill Explore without them, so the page asks the store.
	var links []string
	for _, st := range all[len(all)-55:] {
		links = append(links, fmt.Sprintf("[[related:%d]]", st.ID))
	}
	linker := publish("A story that links to most others", "First.\n\n"+strings.Join(links, "\n\n"))
	explore := regexp.MustCompile(`(?s)id="explore-h".*?</aside>`)
	href := regexp.MustCompile(`href="([^"]+)"`)
	page := func(st *story.Story) (paths map[string]bool, queries int64) {
		t.Helper()
		qctx, n := store.WithQueryCounter(ctx)
		req := httptest.NewRequestWithContext(qctx, http.MethodGet, st.Path(), nil)
		w := httptest.NewRecorder()
		site.Handler.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", st.Path(), w.Code)
		}
		paths = map[string]bool{}
		for _, m := range href.FindAllStringSubmatch(explore.FindString(w.Body.String()), -1) {
			paths[m[1]] = true
		}
		return paths, n.Load()
	}

	first := all[0]
	_, cold := page(first)
	got, warm := page(first)
	if warm >= cold {
		t.Errorf("a second story page made %d queries, the first %d: the shared lists were not kept", warm, cold)
	}
	if !got[linker.Path()] {
		t.Errorf("the newest story %s is not in Explore: %v", linker.Path(), got)
	}
	if got[first.Path()] {
		t.Error("a story is in its own Explore")
	}

	fresh := publish("Breaking news at the harbour", "Just in.")
	if got, _ := page(first); !got[fresh.Path()] {
		t.Errorf("a story published a moment ago is not in the next page's Explore: %v", got)
	}

	got, _ = page(linker)
	if len(got) < 5 {
		t.Errorf("the linking story's Explore has %d stories", len(got))
	}
	for p := range got {
		if p == linker.Path() {
			t.Error("the linking story is in its own Explore")
		}
		for _, st := range all[len(all)-55:] {
			if p == st.Path() {
				t.Errorf("Explore repeats %s, which the body links to", p)
			}
		}
	}
}

// TestMastheadPerSection: the masthead is rendered once per content
// version and section, yet every page marks its own section, and a
// section added a moment ago is in the next page's navigation.
func TestMastheadPerSection(t *testing.T) {
	ctx := context.Background()
	site, world := uncachedSite(t)
	if _, err := site.Store.CreateSection(ctx, story.Section{Slug: "sport", Name: "Sport", Position: 2}); err != nil {
		t.Fatal(err)
	}
	at := site.Now.Add(-time.Hour)
	st := &story.Story{Section: world, Headline: "Ferry crossing reopens", Slug: "ferry-crossing-reopens", Language: "en",
		Type: story.TypeNews, Status: story.StatusPublished, Body: story.ParseBody("The ferry runs again."),
		FirstPublishedAt: at, PublishedAt: at, UpdatedAt: at}
	id, err := site.Store.CreateStory(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if st, err = site.Store.Story(ctx, id); err != nil {
		t.Fatal(err)
	}
	nav := regexp.MustCompile(`(?s)<nav class="section-nav".*?</nav>`)
	marked := regexp.MustCompile(`<a href="([^"]+)" aria-current="page">`)
	// current returns the sections the page's navigation marks, and the
	// navigation itself.
	current := func(path string) ([]string, string) {
		t.Helper()
		w := httptest.NewRecorder()
		site.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
		n := nav.FindString(w.Body.String())
		if n == "" {
			t.Fatalf("GET %s: no section navigation", path)
		}
		var got []string
		for _, m := range marked.FindAllStringSubmatch(n, -1) {
			got = append(got, m[1])
		}
		return got, n
	}
	for _, tt := range []struct {
		path string
		want string
	}{
		{"/world", "/world"},
		{st.Path(), "/world"},
		{"/sport", "/sport"},
		{"/world", "/world"}, // again, from what the first visit kept
		{"/", ""},
		{"/about", ""},
		{"/search?q=ferry", ""},
	} {
		got, n := current(tt.path)
		want := []string{}
		if tt.want != "" {
			want = []string{tt.want}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("GET %s marks %v in the navigation, want %v:\n%s", tt.path, got, want, n)
		}
	}

	if _, err := site.Store.CreateSection(ctx, story.Section{Slug: "climate", Name: "Climate", Position: 99}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/world", st.Path(), "/"} {
		if _, n := current(path); !strings.Contains(n, `<a href="/climate">Climate</a>`) {
			t.Errorf("GET %s after a section was added: the navigation does not show it:\n%s", path, n)
		}
	}
	if got, _ := current("/climate"); fmt.Sprint(got) != "[/climate]" {
		t.Errorf("GET /climate marks %v", got)
	}
}
