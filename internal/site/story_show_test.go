package site_test

import (
	"compress/gzip"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"dateline/internal/story"
)

func TestStoryPageStaffCopy(t *testing.T) {
	s := find(t, "staff, updated, with every common block", func(s *story.Story) bool {
		return len(s.Bylines) > 0 && s.Bylines[0].AuthorID > 0 && s.Updated() && hasBlock(s, story.BlockQuote) && hasH2(s)
	})
	r := get(t, s.Path())
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d", s.Path(), r.status)
	}
	b := r.body
	mustContain(t, b,
		`<a class="section-label" href="/`+s.Section.Slug+`">`+html.EscapeString(s.Section.Name)+`</a>`,
		fmt.Sprintf(`%d MIN READ`, story.ReadingMinutes(s.Body)),
		`<h1>`+html.EscapeString(s.Headline)+`</h1>`,
		`<p class="standfirst">`+html.EscapeString(s.Standfirst)+`</p>`,
		`<a href="/author/`+s.Bylines[0].AuthorSlug+`">`+html.EscapeString(s.Bylines[0].Name)+`</a>`,
		`<link rel="canonical" href="http://dateline.test`+s.Path()+`">`,
		`<article class="story" lang="`+s.Language+`" dir="ltr">`,
		`<blockquote>`, `<h2>`,
		`class="share-x"`, `class="share-facebook"`, `class="share-email"`,
		`href="/feedback?page=%2f`+s.Section.Slug+`%2f`,
		`aria-label="Breadcrumb"`, `<h2 id="explore-h">Explore</h2>`,
	)
	if n := count(b, "<h1"); n != 1 {
		t.Errorf("%d h1 elements, want 1", n)
	}
	// Published and updated times, in <time datetime>, before the body.
	head := b[:strings.Index(b, `<div class="story-body">`)]
	pub := s.FirstPublishedAt.UTC().Format("2006-01-02T15:04:05Z07:00")
	upd := s.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z07:00")
	mustContain(t, head, `Published <time datetime="`+pub+`">`, `Updated <time datetime="`+upd+`">`)
	// Lead picture: srcset, sizes, intrinsic size, alt, eager; caption and credit.
	lead := regexp.MustCompile(`<figure class="lead-pic">\s*<img ([^>]+)>`).FindStringSubmatch(b)
	if lead == nil {
		t.Fatal("no lead picture")
	}
	for _, attr := range []string{`srcset="/media/`, ` 320w`, `sizes="`, `width="1600"`, `height="900"`,
		`alt="` + html.EscapeString(s.Lead.Alt) + `"`, `fetchpriority="high"`} {
		if !strings.Contains(lead[1], attr) {
			t.Errorf("lead img lacks %s: %s", attr, lead[1])
		}
	}
	if strings.Contains(lead[1], `loading="lazy"`) {
		t.Error("the lead picture is above the fold and must not be lazy")
	}
	mustContain(t, b, html.EscapeString(s.Lead.Caption), `<span class="credit">`+html.EscapeString(s.Lead.Credit)+`</span>`)
	// Tags link to tag pages.
	for _, tag := range s.Tags {
		mustContain(t, b, `<a href="/tag/`+tag.Slug+`">`+html.EscapeString(tag.Name)+`</a>`)
	}
	// Explore never lists the story itself.
	explore := b[strings.Index(b, `id="explore-h"`):]
	if strings.Contains(explore, `href="`+s.Path()+`"`) {
		t.Error("Explore lists the current story")
	}
	if n := count(explore, "<li>"); n < 5 {
		t.Errorf("Explore has %d stories, want at least 5", n)
	}
}

func TestStoryPageWireCopy(t *testing.T) {
	s := find(t, "wire", func(s *story.Story) bool { return s.Source != nil && len(s.Bylines) == 0 })
	r := get(t, s.Path())
	mustContain(t, r.body,
		`<p class="byline"><a href="/source/`+s.Source.Slug+`">`+s.Source.Label+`</a></p>`,
		`<p class="wire-source" lang="en" dir="ltr">SOURCE: <a href="/source/`+s.Source.Slug+`">`+s.Source.Label+`</a></p>`)
	if r := get(t, "/source/"+s.Source.Slug); r.status != 200 || !strings.Contains(r.body, `href="`+s.Path()+`"`) {
		t.Errorf("source page %d does not list %s", r.status, s.Path())
	}
}

func TestStoryPageContributorAndOpinion(t *testing.T) {
	s := find(t, "contributor", func(s *story.Story) bool {
		return len(s.Bylines) > 0 && s.Bylines[0].AuthorID == 0 && s.Source == nil
	})
	mustContain(t, get(t, s.Path()).body, `<p class="byline">By `+html.EscapeString(s.Bylines[0].Name))
	op := find(t, "opinion", func(s *story.Story) bool { return s.Type == story.TypeOpinion })
	ob := get(t, op.Path()).body
	// In the Opinion section the section label says it; no second label.
	mustContain(t, ob, `href="/opinion">Opinion</a>`)
	if strings.Contains(ob, `<span class="type-label">Opinion</span>`) {
		t.Error("an opinion piece in Opinion is labelled twice")
	}
	op.Section, _ = demo.Store.SectionBySlug(context.Background(), "world")
	op.ID, op.Slug = 0, "guest-view"
	mustCreate(t, op)
	mustContain(t, get(t, op.Path()).body, `<span class="type-label">Opinion</span>`)
	an := find(t, "analysis", func(s *story.Story) bool { return s.Type == story.TypeAnalysis })
	mustContain(t, get(t, an.Path()).body, `<span class="type-label">Analysis</span>`)
}

func TestStoryPageArabicIsRightToLeft(t *testing.T) {
	s := find(t, "Arabic", func(s *story.Story) bool { return s.Language == "ar" })
	r := get(t, s.Path())
	if r.status != 200 {
		t.Fatalf("GET %s: %d", s.Path(), r.status)
	}
	mustContain(t, r.body, `<html lang="en" dir="ltr">`, `<article class="story" lang="ar" dir="rtl">`,
		// The page's own words stay English inside the Arabic article.
		`<p class="kicker" lang="en" dir="ltr">`)
}

func TestStoryPageBodyBlocks(t *testing.T) {
	// Between them the demo stories use every block type; each renders.
	want := map[story.BlockType]string{
		story.BlockParagraph: "<p>", story.BlockHeading: "<h", story.BlockQuote: "<blockquote>",
		story.BlockImage: `<figure class="body-pic">`, story.BlockList: "<li>", story.BlockRelated: `<aside class="related-inline"`,
		story.BlockEmbed: `<p class="embed-card">`, story.BlockDivider: "<hr>",
	}
	seen := map[story.BlockType]bool{}
	for _, s := range stories(t) {
		body := get(t, s.Path()).body
		body = body[strings.Index(body, `<div class="story-body">`):]
		for typ, marker := range want {
			if hasBlock(s, typ) {
				seen[typ] = true
				if !strings.Contains(body, marker) {
					t.Errorf("%s has a %s block but the page lacks %s", s.Path(), typ, marker)
				}
			}
		}
	}
	for typ := range want {
		if !seen[typ] {
			t.Errorf("no demo story uses a %s block", typ)
		}
	}
}

func TestStoryInlineImagesAreLazy(t *testing.T) {
	s := find(t, "inline picture", func(s *story.Story) bool { return hasBlock(s, story.BlockImage) })
	b := get(t, s.Path()).body
	m := regexp.MustCompile(`<figure class="body-pic"><img ([^>]+)>`).FindStringSubmatch(b)
	if m == nil || !strings.Contains(m[1], `loading="lazy"`) || !strings.Contains(m[1], `width="`) {
		t.Errorf("inline picture not lazy with a size: %v", m)
	}
}

func TestRelatedLinkAutomaticWhenNoneChosen(t *testing.T) {
	s := find(t, "without related", func(s *story.Story) bool { return !hasBlock(s, story.BlockRelated) })
	b := get(t, s.Path()).body
	m := regexp.MustCompile(`<aside class="related-inline"[^>]*><span class="related-label">Related</span> <a href="([^"]+)"`).FindStringSubmatch(b)
	if m == nil {
		t.Fatal("no automatic Related link")
	}
	if m[1] == s.Path() {
		t.Error("the automatic Related link points at the story itself")
	}
}

func TestStoryAddresses(t *testing.T) {
	s := find(t, "any", func(s *story.Story) bool { return s.Slug != "" })
	for _, path := range []string{
		fmt.Sprintf("/%s/old-headline-%d", s.Section.Slug, s.ID),
		fmt.Sprintf("/%s/%d", s.Section.Slug, s.ID),
		fmt.Sprintf("/opinion/%s-%d", s.Slug, s.ID),
	} {
		if path == s.Path() {
			continue
		}
		r := get(t, path)
		if r.status != http.StatusMovedPermanently || r.header.Get("Location") != s.Path() {
			t.Errorf("GET %s: %d to %q, want 301 to %s", path, r.status, r.header.Get("Location"), s.Path())
		}
	}
	for _, path := range []string{"/world/no-such-story-99999999", "/world/not-a-story", "/world/x-007", "/world/-1"} {
		if r := get(t, path); r.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.status)
		}
	}
}

// TestStoryPageWeight holds a story page with its stylesheet to 60 KB
// compressed, before pictures.
func TestStoryPageWeight(t *testing.T) {
	s := find(t, "long", func(s *story.Story) bool { return story.WordCount(s.Body) > 900 })
	total := 0
	fetch := func(path string) string {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		demo.Handler.ServeHTTP(w, req)
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("GET %s: %d, encoding %q", path, w.Code, w.Header().Get("Content-Encoding"))
		}
		total += w.Body.Len()
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(zr)
		return string(b)
	}
	page := fetch(s.Path())
	for _, m := range regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)">`).FindAllStringSubmatch(page, -1) {
		fetch(m[1])
	}
	if total > 60<<10 {
		t.Errorf("story page weighs %d bytes compressed, want at most 60 KB", total)
	}
	t.Logf("story page with stylesheet: %d bytes compressed", total)
}

// hasH2 reports whether a story's body has a level-2 subheading.
func hasH2(s *story.Story) bool {
	for _, b := range s.Body {
		if b.Type == story.BlockHeading && b.Level == 2 {
			return true
		}
	}
	return false
}
