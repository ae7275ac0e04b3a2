package newsroom_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// order returns the positions of the headlines in body, failing when one
// is missing.
func admOrder(t *testing.T, body string, headlines ...string) []int {
	t.Helper()
	var out []int
	for _, h := range headlines {
		i := strings.Index(body, ">"+h+"<")
		if i < 0 {
			t.Fatalf("page lacks %q", h)
		}
		out = append(out, i)
	}
	return out
}

func admAscending(p []int) bool {
	for i := 1; i < len(p); i++ {
		if p[i] <= p[i-1] {
			return false
		}
	}
	return true
}

// admLead is the headline inside the front page's lead card.
func admLead(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `class="lead-card"`)
	if i < 0 {
		t.Fatal("front page has no lead story")
	}
	rest := body[i:]
	j := strings.Index(rest, "</h3>")
	k := strings.LastIndex(rest[:j], `">`)
	return strings.TrimSuffix(rest[k+2:j], "</a>")
}

func TestCurationOnPublicPages(t *testing.T) {
	e := newAdmEnv(t)
	now := time.Now()
	a := e.story(t, "Oldest story of the day", now.Add(-5*time.Hour))
	b := e.story(t, "Middle story of the day", now.Add(-3*time.Hour))
	e.story(t, "Newest story of the day", now.Add(-time.Hour))
	draft := e.story(t, "Unfinished draft story", time.Time{})
	anon := func(path string) string {
		w := e.site.Handler
		_ = w
		return e.reporter.Get(path).Body.String()
	}
	if got := admLead(t, anon("/")); got != "Newest story of the day" {
		t.Fatalf("lead before curation: %q, want the newest", got)
	}

	// The form lists recent stories; places 1 and 2 go to the oldest two.
	page := e.editor.Get("/newsroom/curation").Body.String()
	if !strings.Contains(page, "Oldest story of the day") || strings.Contains(page, "Unfinished draft story") {
		t.Error("the curation form should offer published stories only")
	}
	f := admForm("scope", "front",
		"id", fmt.Sprint(b), "pos", "2",
		"id", fmt.Sprint(draft), "pos", "1", // not published: skipped on the site
		"id", fmt.Sprint(a), "pos", "1")
	if w := e.editor.PostForm("/newsroom/curation", f); w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", w.Code, w.Body)
	}
	ids, _ := e.site.Store.Curation(context.Background(), "front")
	if fmt.Sprint(ids) != fmt.Sprint([]int64{draft, a, b}) {
		t.Errorf("stored curation %v", ids)
	}
	if entry := e.lastAudit(t, "curation"); entry.Target != "curation:front" {
		t.Errorf("audit %+v", entry)
	}
	front := anon("/")
	if got := admLead(t, front); got != "Oldest story of the day" {
		t.Errorf("lead after curation: %q", got)
	}
	if p := admOrder(t, front, "Oldest story of the day", "Middle story of the day", "Newest story of the day"); !admAscending(p) {
		t.Errorf("front order %v: want curated lead, curated second, then newest", p)
	}
	if strings.Contains(front, "Unfinished draft story") {
		t.Error("a curated draft shows on the front page")
	}
	// The form shows the choice back, in order.
	page = e.editor.Get("/newsroom/curation").Body.String()
	page = page[strings.Index(page, "Order of stories"):]
	if p := admOrder(t, page, "Oldest story of the day", "Middle story of the day", "Newest story of the day"); !admAscending(p) {
		t.Error("the curation form does not list the chosen stories first")
	}

	// A section page follows its own choice.
	if w := e.editor.PostForm("/newsroom/curation", admForm("scope", "world", "id", fmt.Sprint(b), "pos", "1")); w.Code != http.StatusSeeOther {
		t.Fatalf("save world: %d", w.Code)
	}
	if p := admOrder(t, anon("/world"), "Middle story of the day", "Newest story of the day", "Oldest story of the day"); !admAscending(p) {
		t.Errorf("section order %v: want the curated story first, then newest", p)
	}
	if w := e.editor.PostForm("/newsroom/curation", admForm("scope", "nowhere")); w.Code != http.StatusNotFound {
		t.Errorf("unknown scope: %d", w.Code)
	}
	if w := e.editor.PostForm("/newsroom/curation", admForm("scope", "front", "id", fmt.Sprint(a), "pos", "9")); w.Code != http.StatusBadRequest {
		t.Errorf("place out of range: %d", w.Code)
	}

	// Clearing the choice brings back newest first.
	if w := e.editor.PostForm("/newsroom/curation", admForm("scope", "front", "reset", "1", "id", fmt.Sprint(a), "pos", "1")); w.Code != http.StatusSeeOther {
		t.Fatalf("reset: %d", w.Code)
	}
	if got := admLead(t, anon("/")); got != "Newest story of the day" {
		t.Errorf("lead after reset: %q", got)
	}
}

func TestBreakingBanner(t *testing.T) {
	e := newAdmEnv(t)
	ctx := context.Background()
	id := e.story(t, "Earthquake hits the coast", time.Now().Add(-time.Hour))
	e.story(t, "A quiet afternoon", time.Now().Add(-2*time.Hour))
	draft := e.story(t, "Embargoed draft", time.Time{})
	pages := []string{"/", "/world", "/about", "/contact"}
	banner := func(path string) bool {
		body := e.reporter.Get(path).Body.String()
		return strings.Contains(body, `class="breaking-banner"`) && strings.Contains(body, "Earthquake hits the coast") &&
			strings.Contains(body, ">Breaking<")
	}
	for _, p := range pages {
		if banner(p) {
			t.Fatalf("%s shows a banner before any is set", p)
		}
	}
	start := time.Now()
	if w := e.editor.PostForm("/newsroom/curation/breaking", admForm("story_id", fmt.Sprint(id))); w.Code != http.StatusSeeOther {
		t.Fatalf("set: %d\n%s", w.Code, w.Body)
	}
	meta, _ := e.site.Store.StoryMeta(ctx, id)
	if d := meta.BreakingUntil.Sub(start); d < 2*time.Hour-time.Minute || d > 2*time.Hour+time.Minute {
		t.Errorf("default expiry in %v, want 2h", d)
	}
	for _, p := range pages {
		if !banner(p) {
			t.Errorf("%s lacks the breaking banner", p)
		}
	}
	if e.lastAudit(t, "breaking_set").Target != fmt.Sprintf("story:%d", id) {
		t.Error("breaking_set not audited")
	}
	if body := e.editor.Get("/newsroom/curation").Body.String(); !strings.Contains(body, "Clear the banner") {
		t.Error("the curation page does not show the current banner")
	}

	// Cleared: gone everywhere.
	if w := e.editor.PostForm("/newsroom/curation/breaking/clear", admForm("story_id", fmt.Sprint(id))); w.Code != http.StatusSeeOther {
		t.Fatalf("clear: %d", w.Code)
	}
	for _, p := range pages {
		if banner(p) {
			t.Errorf("%s still shows the banner after clearing", p)
		}
	}
	e.lastAudit(t, "breaking_clear")

	// Expired: gone without anyone clearing it.
	if w := e.editor.PostForm("/newsroom/curation/breaking", admForm("story_id", fmt.Sprint(id), "hours", "0.5")); w.Code != http.StatusSeeOther {
		t.Fatalf("set for half an hour: %d", w.Code)
	}
	if !banner("/") {
		t.Fatal("no banner for the half-hour mark")
	}
	if err := e.site.Store.SetBreaking(ctx, id, time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if banner("/") {
		t.Error("the banner outlives its expiry")
	}

	// Only published stories, for a sane time.
	if w := e.editor.PostForm("/newsroom/curation/breaking", admForm("story_id", fmt.Sprint(draft))); w.Code != http.StatusBadRequest {
		t.Errorf("draft as breaking: %d, want 400", w.Code)
	}
	if w := e.editor.PostForm("/newsroom/curation/breaking", admForm("story_id", fmt.Sprint(id), "hours", "1000")); w.Code != http.StatusBadRequest {
		t.Errorf("1000 hours: %d, want 400", w.Code)
	}
}

// TestCuratedSectionPaging: a section's chosen story leads its first page
// and appears on no later page; no story is lost or shown twice.
func TestCuratedSectionPaging(t *testing.T) {
	e := newAdmEnv(t)
	now := time.Now()
	var oldest int64
	for i := 0; i < 30; i++ {
		id := e.story(t, fmt.Sprintf("Paging story number %02d", i), now.Add(-time.Duration(i+1)*time.Minute))
		if i == 29 {
			oldest = id
		}
	}
	if w := e.editor.PostForm("/newsroom/curation", admForm("scope", "world", "id", fmt.Sprint(oldest), "pos", "1")); w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d", w.Code)
	}
	seen := map[string]int{}
	var first string
	path := "/world"
	for pages := 0; path != "" && pages < 5; pages++ {
		body := e.reporter.Get(path).Body.String()
		for _, part := range strings.Split(body, ">Paging story number ")[1:] {
			n := part[:2]
			if first == "" {
				first = n
			}
			seen[n]++
		}
		path = ""
		if i := strings.Index(body, `rel="next"`); i > 0 {
			j := strings.LastIndex(body[:i], `href="`)
			path = strings.ReplaceAll(body[j+6:i-2], "&amp;", "&")
		}
	}
	if first != "29" {
		t.Errorf("first story on /world is number %s, want the curated 29", first)
	}
	if len(seen) != 30 {
		t.Errorf("saw %d distinct stories over the pages, want 30", len(seen))
	}
	for n, c := range seen {
		if c != 1 {
			t.Errorf("story %s shown %d times", n, c)
		}
	}
}
