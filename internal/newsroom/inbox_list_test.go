package newsroom_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
)

func TestInbox(t *testing.T) {
	e := newAdmEnv(t)
	ctx := context.Background()
	now := time.Now()
	add := func(m store.Message) int64 {
		id, err := e.site.Store.AddMessage(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	older := add(store.Message{Kind: "feedback", Name: "Fay Reader", Body: "The map in the flood story is wrong.", Page: "/world/flood-1", CreatedAt: now.Add(-time.Hour)})
	newer := add(store.Message{Kind: "contact", Name: "Cal Caller", Email: "cal@example.com", Subject: "Tip", Body: "<script>alert(1)</script> I have a tip.", Page: "https://evil.example/x", CreatedAt: now})

	body := e.editor.Get("/newsroom/inbox").Body.String()
	if i, j := strings.Index(body, "Cal Caller"), strings.Index(body, "Fay Reader"); i < 0 || j < 0 || i > j {
		t.Error("inbox not newest first")
	}
	if !strings.Contains(body, `href="/world/flood-1"`) {
		t.Error("the page a message came from is not a link")
	}
	if strings.Contains(body, "evil.example/x\"") || strings.Contains(body, "<script>alert") {
		t.Error("an off-site page link or unescaped markup in the inbox")
	}

	// Kind filter.
	if b := e.editor.Get("/newsroom/inbox?kind=feedback").Body.String(); strings.Contains(b, "Cal Caller") || !strings.Contains(b, "Fay Reader") {
		t.Error("kind=feedback shows a contact message")
	}

	// Mark handled: gone from the default view, kept under "all".
	w := e.editor.PostForm(fmt.Sprintf("/newsroom/inbox/%d/handled", older), admForm("handled", "1", "return", "kind=feedback"))
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/newsroom/inbox?kind=feedback") {
		t.Fatalf("mark: %d %q", w.Code, w.Header().Get("Location"))
	}
	msgs, _ := e.site.Store.InboxMessages(ctx, store.MessageQuery{Limit: 10})
	for _, m := range msgs {
		if (m.ID == older) == m.HandledAt.IsZero() {
			t.Errorf("message %d handled at %v", m.ID, m.HandledAt)
		}
	}
	if b := e.editor.Get("/newsroom/inbox").Body.String(); strings.Contains(b, "Fay Reader") || !strings.Contains(b, "Cal Caller") {
		t.Error("a handled message is still in the default view")
	}
	if b := e.editor.Get("/newsroom/inbox?show=all").Body.String(); !strings.Contains(b, "Fay Reader") || !strings.Contains(b, "Mark not handled") {
		t.Error("show=all lacks the handled message")
	}
	if e.lastAudit(t, "message_handled").Target != fmt.Sprintf("message:%d", older) {
		t.Error("not audited")
	}
	// And back.
	if w := e.editor.PostForm(fmt.Sprintf("/newsroom/inbox/%d/handled", older), admForm("handled", "0")); w.Code != http.StatusSeeOther {
		t.Fatalf("unmark: %d", w.Code)
	}
	if b := e.editor.Get("/newsroom/inbox").Body.String(); !strings.Contains(b, "Fay Reader") {
		t.Error("a message marked not handled is missing")
	}
	if w := e.editor.PostForm("/newsroom/inbox/99999/handled", admForm("handled", "1")); w.Code != http.StatusNotFound {
		t.Errorf("unknown message: %d", w.Code)
	}
	if w := e.reporter.PostForm(fmt.Sprintf("/newsroom/inbox/%d/handled", newer), admForm("handled", "1")); w.Code != http.StatusForbidden {
		t.Errorf("reporter marking: %d, want 403", w.Code)
	}
}
