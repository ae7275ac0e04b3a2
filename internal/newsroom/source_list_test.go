package newsroom_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/testutil"
)

func TestWireSourcesAdmin(t *testing.T) {
	site := newSite(t)
	site.MustUser("admin@example.com", "Ada Admin", store.RoleAdmin, pw)
	site.MustUser("ed@example.com", "Eda Editor", store.RoleEditor, pw)
	admin, editor := testutil.NewClient(site.Handler), testutil.NewClient(site.Handler)
	admin.Login("admin@example.com", pw)
	editor.Login("ed@example.com", pw)
	ctx := context.Background()

	if w := editor.Get("/newsroom/sources"); w.Code != http.StatusForbidden {
		t.Errorf("editor sees sources: %d, want 403", w.Code)
	}
	if w := editor.PostForm("/newsroom/sources", url.Values{"name": {"X"}, "label": {"X"}}); w.Code != http.StatusForbidden {
		t.Errorf("editor adds a source: %d, want 403", w.Code)
	}
	w := admin.PostForm("/newsroom/sources", url.Values{"name": {"Anadolu Agency"}, "label": {"AA"}, "url": {"https://www.aa.com.tr/en"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("add: %d %s", w.Code, w.Body.String())
	}
	src, err := site.Store.SourceBySlug(ctx, "aa")
	if err != nil || src.Name != "Anadolu Agency" || src.URL != "https://www.aa.com.tr/en" {
		t.Fatalf("stored %+v %v", src, err)
	}
	for _, bad := range []url.Values{
		{"name": {"Again"}, "label": {"aa"}},
		{"name": {""}, "label": {"AFP"}},
		{"name": {"Agence"}, "label": {"AFP"}, "url": {"javascript:alert(1)"}},
	} {
		if w := admin.PostForm("/newsroom/sources", bad); w.Code != http.StatusBadRequest {
			t.Errorf("add %v: %d, want 400", bad, w.Code)
		}
	}
	w = admin.PostForm("/newsroom/sources/"+strconv.FormatInt(src.ID, 10), url.Values{"name": {"Anadolu Ajansı"}, "label": {"AA"}, "url": {""}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("update: %d", w.Code)
	}
	if got, _ := site.Store.SourceBySlug(ctx, "aa"); got.Name != "Anadolu Ajansı" || got.URL != "" {
		t.Errorf("after update %+v", got)
	}
	page := admin.Get("/newsroom/sources").Body.String()
	if !strings.Contains(page, `value="Anadolu Ajansı"`) || !strings.Contains(page, `href="/source/aa"`) {
		t.Error("the list does not show the source")
	}
	log, _ := site.Store.AuditLog(ctx, 0, 5)
	if len(log) < 2 || log[0].Action != "source_change" || log[1].Action != "source_add" {
		t.Errorf("audit log %+v", log)
	}
}
