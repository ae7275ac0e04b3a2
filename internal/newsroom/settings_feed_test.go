package newsroom_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSettingsFeedContent: an admin switches feeds between full text and
// summaries on the settings page, and the public feeds follow at once.
func TestSettingsFeedContent(t *testing.T) {
	e := newAdmEnv(t)
	e.story(t, "Feed setting story", time.Now().Add(-time.Hour))
	const body = "Words for the test."
	checked := func(value string) bool {
		page := e.admin.Get("/newsroom/settings").Body.String()
		return strings.Contains(page, `name="feed_full_text" value="`+value+`" checked`)
	}
	if !checked("true") || !strings.Contains(e.reporter.Get("/rss.xml").Body.String(), body) {
		t.Fatal("feeds do not start with full text")
	}
	w := e.admin.PostForm("/newsroom/settings", admForm("feed_full_text", "false"))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", w.Code, w.Body)
	}
	if a := e.lastAudit(t, "settings_change"); a.Target != "setting:feed_full_text" {
		t.Errorf("audit %+v", a)
	}
	if !checked("false") {
		t.Error("the form does not show the summary choice")
	}
	for _, path := range []string{"/rss.xml", "/world/atom.xml", "/feed.json"} {
		if got := e.reporter.Get(path).Body.String(); strings.Contains(got, body) || !strings.Contains(got, "Feed setting story") {
			t.Errorf("%s after choosing summaries:\n%s", path, got)
		}
	}
	// Saving the page texts alone leaves the choice alone.
	e.admin.PostForm("/newsroom/settings", admForm("page_about", "About."))
	if !checked("false") {
		t.Error("a form without the field changed the feed setting")
	}
	w = e.admin.PostForm("/newsroom/settings", admForm("feed_full_text", "maybe"))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Feed content must be") {
		t.Errorf("a bad value: %d", w.Code)
	}
	if w := e.editor.PostForm("/newsroom/settings", admForm("feed_full_text", "true")); w.Code != http.StatusForbidden {
		t.Errorf("an editor changed the feed setting: %d", w.Code)
	}
	if !checked("false") {
		t.Error("a refused change took effect")
	}
	e.admin.PostForm("/newsroom/settings", admForm("feed_full_text", "true"))
	if !strings.Contains(e.reporter.Get("/rss.xml").Body.String(), body) {
		t.Error("full text did not come back")
	}
}
