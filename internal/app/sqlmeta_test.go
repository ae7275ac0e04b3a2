package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// TestSearchSQLMetacharacters sends SQL metacharacters and classic
// injections through the reader's search and the newsroom's headline
// search (a LIKE): no 500, no page that could run a script, no query
// that finds what it should not, and % _ \ matched as characters.
func TestSearchSQLMetacharacters(t *testing.T) {
	s, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Store.Close()
	ctx := context.Background()
	sec, err := s.Store.SectionBySlug(ctx, "world")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, h := range []string{"Rates rise by half a percent, to 5% in May", "Newsrooms try A_B headlines", "Paths with a back\\slash confuse readers", "Harbour workers strike"} {
		st := &story.Story{Section: sec, Headline: h, Slug: story.Slugify(h, 80), Language: "en", Type: story.TypeNews,
			Status: story.StatusPublished, Body: story.ParseBody("Words about " + h + "."),
			FirstPublishedAt: s.Now, PublishedAt: s.Now, UpdatedAt: s.Now}
		if ids[h], err = s.Store.CreateStory(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := s.Store.CountStories(ctx)
	s.MustUser("sql-editor@dateline.test", "Editor", store.RoleEditor, crashPassword)
	c := testutil.NewClient(s.Handler)
	if !c.Login("sql-editor@dateline.test", crashPassword) {
		t.Fatal("login failed")
	}

	// The reader's search: none of these is a word any story has.
	for _, q := range []string{"'", `"`, ";", "--", "/*", "%", "_", `\`, "\x00", "' OR '1'='1", "1; DROP TABLE stories",
		"' OR 1=1 --", `" OR ""="`, "*", "%%", "') OR ('x'='x", "NEAR(", "^", "+", "-", "AND", "OR NOT"} {
		w := c.Get("/search?q=" + url.QueryEscape(q))
		if w.Code >= 500 {
			t.Fatalf("search %q: %d", q, w.Code)
		}
		if bad := testutil.UnsafeHTML(w.Body.String()); len(bad) > 0 {
			t.Errorf("search %q: %v", q, bad)
		}
		for h, id := range ids {
			if strings.Contains(w.Body.String(), story.Path("world", story.Slugify(h, 80), id)) {
				t.Errorf("search %q finds %q", q, h)
			}
		}
	}

	// The newsroom's headline search: the characters LIKE would read as
	// wildcards or escapes find the one headline that has them.
	for q, want := range map[string][]string{
		"%":                     {"Rates rise by half a percent, to 5% in May"},
		"5%":                    {"Rates rise by half a percent, to 5% in May"},
		"_":                     {"Newsrooms try A_B headlines"},
		`\`:                     {"Paths with a back\\slash confuse readers"},
		"' OR '1'='1":           nil,
		"%' OR '1'='1' --":      nil,
		"1; DROP TABLE stories": nil,
	} {
		w := c.Get("/newsroom/stories/search?q=" + url.QueryEscape(q))
		if w.Code != http.StatusOK {
			t.Errorf("newsroom search %q: %d", q, w.Code)
			continue
		}
		var hits []struct{ Headline string }
		if err := json.Unmarshal(w.Body.Bytes(), &hits); err != nil {
			t.Fatalf("newsroom search %q: %v", q, err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Headline)
		}
		if !slices.Equal(got, want) {
			t.Errorf("newsroom search %q found %q, want %q", q, got, want)
		}
	}
	if after, err := s.Store.CountStories(ctx); err != nil || after != before {
		t.Errorf("%d stories after, %d before (%v)", after, before, err)
	}
}
