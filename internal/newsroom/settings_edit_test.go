package newsroom_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestSettingsChange(t *testing.T) {
	e := newAdmEnv(t)
	about := "We are a small newsroom.\n\nWe are owned by our readers. <b>Really.</b>"
	w := e.admin.PostForm("/newsroom/settings", admForm("page_about", about, "page_standards", "We correct errors in public."))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", w.Code, w.Body)
	}
	a := e.lastAudit(t, "settings_change")
	if a.Actor != "admin@example.com" || (a.Target != "setting:page_about" && a.Target != "setting:page_standards") {
		t.Errorf("audit %+v", a)
	}
	body := e.reporter.Get("/about").Body.String()
	if !strings.Contains(body, "We are owned by our readers. &lt;b&gt;Really.&lt;/b&gt;") {
		t.Error("/about does not show the new text, escaped")
	}
	if !strings.Contains(e.reporter.Get("/standards").Body.String(), "We correct errors in public.") {
		t.Error("/standards does not show the new text")
	}
	// The form shows the stored text; saving it unchanged writes no entry.
	n := len(e.auditActions(t))
	if page := e.admin.Get("/newsroom/settings").Body.String(); !strings.Contains(page, "We correct errors in public.") {
		t.Error("the settings form does not show the stored text")
	}
	e.admin.PostForm("/newsroom/settings", admForm("page_about", about, "page_standards", "We correct errors in public."))
	if len(e.auditActions(t)) != n {
		t.Error("an unchanged save was audited")
	}
	long := strings.Repeat("x", 101<<10)
	if w := e.admin.PostForm("/newsroom/settings", admForm("page_about", long)); w.Code != http.StatusBadRequest {
		t.Errorf("over-long text: %d, want 400", w.Code)
	}
}
