package newsroom_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dateline/internal/store"
)

func TestAuditLogPage(t *testing.T) {
	e := newAdmEnv(t)
	ctx := context.Background()
	for i := 0; i < 130; i++ {
		if err := e.site.Store.Audit(ctx, store.AuditEntry{Actor: "editor@example.com", Action: "publish", Target: fmt.Sprintf("story:%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	e.site.Store.Audit(ctx, store.AuditEntry{Actor: "admin@example.com", Action: "role_change", Target: "user:7", Detail: "<i>x</i>"})

	body := e.admin.Get("/newsroom/audit").Body.String()
	if p := admOrder(t, body, "user:7", "story:129", "story:128"); !admAscending(p) {
		t.Error("audit log not newest first")
	}
	if strings.Contains(body, "<i>x</i>") {
		t.Error("detail not escaped")
	}
	if !strings.Contains(body, `<option value="role_change"`) || !strings.Contains(body, `<option value="login"`) {
		t.Error("the action filter lacks actions")
	}

	// Filter by action, and page through it by id.
	body = e.admin.Get("/newsroom/audit?action=publish").Body.String()
	if strings.Contains(body, "user:7") || !strings.Contains(body, ">story:129<") || strings.Contains(body, ">story:29<") {
		t.Error("first page of action=publish is wrong")
	}
	i := strings.Index(body, `rel="next"`)
	j := strings.LastIndex(body[:i], `href="`)
	next := strings.ReplaceAll(body[j+6:i-2], "&amp;", "&")
	if !strings.Contains(next, "action=publish") || !strings.Contains(next, "before=") {
		t.Fatalf("older link %q", next)
	}
	body = e.admin.Get(next).Body.String()
	if !strings.Contains(body, ">story:29<") || !strings.Contains(body, ">story:0<") || strings.Contains(body, ">story:30<") || strings.Contains(body, `rel="next"`) {
		t.Error("second page of action=publish is wrong")
	}
	if w := e.admin.Get("/newsroom/audit?action=%3Cscript%3E"); w.Code != http.StatusOK {
		t.Errorf("unknown action: %d", w.Code)
	}
}
