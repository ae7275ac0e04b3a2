package newsroom_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dateline/internal/story"
)

func TestSectionsAdmin(t *testing.T) {
	e := newAdmEnv(t)
	ctx := context.Background()
	reserved := []string{"About", "Staff", "Standards", "Contact", "Feedback", "Search", "Tag", "Author", "Source",
		"API", "Newsroom", "Static", "Media", "Healthz", "Metrics"}
	for _, name := range reserved {
		w := e.admin.PostForm("/newsroom/sections", admForm("name", name))
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "reserved") {
			t.Errorf("section %q: %d, want 400 reserved", name, w.Code)
		}
	}
	for _, f := range [][]string{{"name", "Web 2.0"}, {"name", "Sitemap", "slug", "sitemap.xml"}, {"name", "Search", "slug", "search"}, {"name", "!!!"}} {
		if w := e.admin.PostForm("/newsroom/sections", admForm(f...)); w.Code != http.StatusBadRequest {
			t.Errorf("section %v: %d, want 400", f, w.Code)
		}
	}
	secs, _ := e.site.Store.Sections(ctx)
	if len(secs) != 1 {
		t.Fatalf("refused sections were created: %v", secs)
	}

	// A good one: slug by transliteration, placed last, live on the site.
	if w := e.admin.PostForm("/newsroom/sections", admForm("name", "Türkiye", "description", "News from Türkiye")); w.Code != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", w.Code, w.Body)
	}
	sec, err := e.site.Store.SectionBySlug(ctx, "turkiye")
	if err != nil || sec.Name != "Türkiye" || sec.Description != "News from Türkiye" {
		t.Fatalf("stored %+v %v", sec, err)
	}
	if w := e.reporter.Get("/turkiye"); w.Code != http.StatusOK {
		t.Errorf("new section page: %d", w.Code)
	}
	if w := e.admin.PostForm("/newsroom/sections", admForm("name", "Turkiye")); w.Code != http.StatusConflict {
		t.Errorf("duplicate slug: %d, want 409", w.Code)
	}
	e.lastAudit(t, "section_add")

	// Rename (the slug stays) and reorder.
	if w := e.admin.PostForm(fmt.Sprintf("/newsroom/sections/%d", sec.ID), admForm("name", "Turkey", "description", "")); w.Code != http.StatusSeeOther {
		t.Fatalf("rename: %d", w.Code)
	}
	if got, _ := e.site.Store.SectionBySlug(ctx, "turkiye"); got.Name != "Turkey" {
		t.Errorf("renamed: %+v", got)
	}
	if w := e.admin.PostForm(fmt.Sprintf("/newsroom/sections/%d", sec.ID), admForm("name", " ")); w.Code != http.StatusBadRequest {
		t.Errorf("empty name: %d", w.Code)
	}
	if w := e.admin.PostForm(fmt.Sprintf("/newsroom/sections/%d/move", sec.ID), admForm("dir", "up")); w.Code != http.StatusSeeOther {
		t.Fatalf("move: %d", w.Code)
	}
	secs, _ = e.site.Store.Sections(ctx)
	if len(secs) != 2 || secs[0].Slug != "turkiye" || secs[1].Slug != "world" {
		t.Errorf("order after move up: %v", admSlugs(secs))
	}
	if body := e.reporter.Get("/").Body.String(); strings.Index(body, `href="/turkiye"`) > strings.Index(body, `href="/world"`) {
		t.Error("the site's navigation does not follow the new order")
	}
}

func admSlugs(secs []story.Section) []string {
	var out []string
	for _, s := range secs {
		out = append(out, s.Slug)
	}
	return out
}
