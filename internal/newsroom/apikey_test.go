package newsroom_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/testutil"
)

var keyPattern = regexp.MustCompile(`dl_[A-Za-z0-9_-]{43}`)

func TestAPIKeysAdmin(t *testing.T) {
	site := newSite(t)
	site.MustUser("admin@example.com", "Ada Admin", store.RoleAdmin, pw)
	site.MustUser("ed@example.com", "Eda Editor", store.RoleEditor, pw)
	admin, editor := testutil.NewClient(site.Handler), testutil.NewClient(site.Handler)
	admin.Login("admin@example.com", pw)
	editor.Login("ed@example.com", pw)
	ctx := context.Background()

	if w := editor.Get("/newsroom/api-keys"); w.Code != http.StatusForbidden {
		t.Errorf("editor sees keys: %d, want 403", w.Code)
	}
	if w := editor.PostForm("/newsroom/api-keys", url.Values{"name": {"Sneaky"}}); w.Code != http.StatusForbidden {
		t.Errorf("editor makes a key: %d, want 403", w.Code)
	}
	if w := admin.PostForm("/newsroom/api-keys", url.Values{"name": {"  "}}); w.Code != http.StatusBadRequest {
		t.Errorf("no name: %d, want 400", w.Code)
	}
	// A form posted from another site is refused before the handler runs.
	r := httptest.NewRequest(http.MethodPost, "/newsroom/api-keys", strings.NewReader("name=Evil"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	if w := admin.Do(r); w.Code != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", w.Code)
	}

	w := admin.PostForm("/newsroom/api-keys", url.Values{"name": {"Partner <Daily>"}})
	if w.Code != http.StatusCreated {
		t.Fatalf("make key: %d %s", w.Code, w.Body.String())
	}
	keys := keyPattern.FindAllString(w.Body.String(), -1)
	if len(keys) != 1 {
		t.Fatalf("the answer shows %d keys, want the new one once", len(keys))
	}
	key := keys[0]
	if !strings.Contains(w.Body.String(), "Partner &lt;Daily&gt;") {
		t.Error("the key's name is not shown escaped")
	}
	stored, err := site.Store.APIKeyByHash(ctx, auth.APIKeyHash(key))
	if err != nil || stored.Name != "Partner <Daily>" || stored.Hash == key {
		t.Fatalf("stored %+v %v", stored, err)
	}
	list := admin.Get("/newsroom/api-keys").Body.String()
	if keyPattern.MatchString(list) || !strings.Contains(list, "Partner &lt;Daily&gt;") || !strings.Contains(list, "never") {
		t.Error("the list shows the key itself, or not its name and 'never used'")
	}

	// The key works on the API until it is revoked.
	api := func() int {
		r := httptest.NewRequest(http.MethodGet, "/api/v1/stories?status=draft", nil)
		r.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		site.Handler.ServeHTTP(rec, r)
		return rec.Code
	}
	if code := api(); code != http.StatusOK {
		t.Fatalf("API with the new key: %d", code)
	}
	if list := admin.Get("/newsroom/api-keys").Body.String(); strings.Contains(list, ">never<") {
		t.Error("last use not shown after the key was used")
	}
	if w := editor.PostForm("/newsroom/api-keys/"+strconv.FormatInt(stored.ID, 10)+"/revoke", nil); w.Code != http.StatusForbidden {
		t.Errorf("editor revokes: %d, want 403", w.Code)
	}
	if w := admin.PostForm("/newsroom/api-keys/"+strconv.FormatInt(stored.ID, 10)+"/revoke", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", w.Code)
	}
	if code := api(); code != http.StatusUnauthorized {
		t.Errorf("API with the revoked key: %d, want 401", code)
	}
	if list := admin.Get("/newsroom/api-keys?done=revoked").Body.String(); !strings.Contains(list, "revoked") || strings.Contains(list, "/revoke\"") {
		t.Error("the list does not mark the key revoked (or still offers to revoke it)")
	}
	if w := admin.PostForm("/newsroom/api-keys/9999/revoke", nil); w.Code != http.StatusNotFound {
		t.Errorf("revoke unknown: %d, want 404", w.Code)
	}
	log, _ := site.Store.AuditLog(ctx, 0, 5)
	if len(log) < 2 || log[0].Action != "api_key_revoke" || log[1].Action != "api_key_create" || log[1].Detail != "Partner <Daily>" {
		t.Errorf("audit log %+v", log)
	}
}
