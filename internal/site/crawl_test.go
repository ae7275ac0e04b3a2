package site_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// TestCrawl follows every internal link and asset on the front page and on
// a story page: each answers 200, or 301 where a link is meant to move.
func TestCrawl(t *testing.T) {
	s := find(t, "with tags and a related link", func(s *story.Story) bool {
		return len(s.Tags) > 0 && hasBlock(s, story.BlockRelated)
	})
	seen := map[string]bool{}
	for _, start := range []string{"/", s.Path()} {
		r := get(t, start)
		if r.status != 200 {
			t.Fatalf("GET %s: %d", start, r.status)
		}
		for _, l := range links(r.body) {
			if seen[l] {
				continue
			}
			seen[l] = true
			res := get(t, l)
			if res.status != http.StatusOK {
				t.Errorf("link %s on %s: %d", l, start, res.status)
			}
		}
	}
	if len(seen) < 60 {
		t.Errorf("crawled only %d links", len(seen))
	}
}

// TestQueryCount holds every page type to a fixed number of SQL
// statements, and checks that adding stories does not change it (no N+1).
func TestQueryCount(t *testing.T) {
	s := find(t, "staff with tags", func(s *story.Story) bool {
		return len(s.Tags) > 0 && len(s.Bylines) > 0 && s.Bylines[0].AuthorSlug != ""
	})
	pages := map[string]string{
		"front":   "/",
		"section": "/" + s.Section.Slug,
		"story":   s.Path(),
		"tag":     "/tag/" + s.Tags[0].Slug,
		"author":  "/author/" + s.Bylines[0].AuthorSlug,
		"staff":   "/staff",
		"about":   "/about",
		"search":  "/search?q=climate",
		"404":     "/nope",
	}
	const limit = 10
	count := func(path string) int64 {
		ctx, n := store.WithQueryCounter(context.Background())
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://dateline.test"+path, nil)
		req.RemoteAddr = "192.0.2.1:1234"
		do(t, req)
		return n.Load()
	}
	measure := func() map[string]int64 {
		out := map[string]int64{}
		for name, path := range pages {
			// A write to public content empties the page cache, so the
			// page is rendered and every query of it counted.
			if err := demo.Store.SetSetting(context.Background(), "test_probe", path); err != nil {
				t.Fatal(err)
			}
			out[name] = count(path)
			// Once rendered, it is served from the page cache for at
			// most the price of reading the content version (none while
			// the store remembers it: no commit since, and recent).
			if name != "404" {
				if n := count(path); n > 1 {
					t.Errorf("%s page again: %d queries, want at most 1 (from the page cache)", name, n)
				}
			}
		}
		return out
	}
	before := measure()
	for name, n := range before {
		if n == 0 || n > limit {
			t.Errorf("%s page: %d queries, want 1..%d", name, n, limit)
		}
	}
	sec, _ := demo.Store.SectionBySlug(context.Background(), s.Section.Slug)
	for i := 0; i < 30; i++ {
		mustCreate(t, &story.Story{Section: sec, Headline: "Extra story " + strings.Repeat("y", i%4),
			Tags: s.Tags, Bylines: s.Bylines[:1], FirstPublishedAt: demo.Now.Add(-time.Duration(i+1) * time.Minute)})
	}
	after := measure()
	for name := range before {
		if after[name] != before[name] {
			t.Errorf("%s page: %d queries before adding 30 stories, %d after", name, before[name], after[name])
		}
	}
}
