package newsroom_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/testutil"
)

const pw = "tangerine-bicycle-harbour"

func newSite(t *testing.T) *testutil.Site {
	t.Helper()
	site, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { site.Close() })
	return site
}

func TestSignInAndOut(t *testing.T) {
	site := newSite(t)
	site.MustUser("ed@example.com", "Eda Editor", store.RoleEditor, pw)
	c := testutil.NewClient(site.Handler)
	if w := c.Get("/newsroom/"); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/newsroom/login?next=") {
		t.Fatalf("signed out: %d %q, want 303 to the login", w.Code, w.Header().Get("Location"))
	}
	w := c.PostForm("/newsroom/login", url.Values{"email": {"ED@example.com"}, "password": {pw}, "next": {"/newsroom/"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/newsroom/" {
		t.Fatalf("login: %d %q", w.Code, w.Header().Get("Location"))
	}
	ck := w.Result().Cookies()[0]
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", ck)
	}
	if w := c.Get("/newsroom/"); w.Code != 200 || !strings.Contains(w.Body.String(), "Eda Editor") {
		t.Fatalf("dashboard: %d", w.Code)
	}
	if w := c.PostForm("/newsroom/logout", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d", w.Code)
	}
	if w := c.Get("/newsroom/"); w.Code != http.StatusSeeOther {
		t.Errorf("after logout: %d, want 303", w.Code)
	}
	log, _ := site.Store.AuditLog(context.Background(), 0, 10)
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "logout,login" {
		t.Errorf("audit log %q, want logout,login", got)
	}
}

func TestSecureCookieOverTLS(t *testing.T) {
	site, err := testutil.NewSite(t.TempDir(), map[string]string{"DATELINE_BASE_URL": "https://news.example"})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	site.MustUser("ed@example.com", "Eda", store.RoleEditor, pw)
	c := testutil.NewClient(site.Handler)
	w := c.PostForm("/newsroom/login", url.Values{"email": {"ed@example.com"}, "password": {pw}})
	ck := w.Result().Cookies()[0]
	if !ck.Secure || ck.Name != "__Host-dateline_session" {
		t.Errorf("cookie over TLS: %+v", ck)
	}
	if w.Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over TLS")
	}
}

func TestWrongPasswordAndUnknownAccountLookAlike(t *testing.T) {
	site := newSite(t)
	site.MustUser("ed@example.com", "Eda", store.RoleEditor, pw)
	c := testutil.NewClient(site.Handler)
	a := c.PostForm("/newsroom/login", url.Values{"email": {"ed@example.com"}, "password": {"wrong-password-here"}})
	b := c.PostForm("/newsroom/login", url.Values{"email": {"nobody@example.com"}, "password": {"wrong-password-here"}})
	if a.Code != http.StatusUnauthorized || b.Code != http.StatusUnauthorized {
		t.Fatalf("status %d and %d, want 401", a.Code, b.Code)
	}
	msg := "The email or password is not right."
	if !strings.Contains(a.Body.String(), msg) || !strings.Contains(b.Body.String(), msg) {
		t.Error("the two failures do not show the same message")
	}
	if !strings.Contains(a.Body.String(), `value="ed@example.com"`) {
		t.Error("the email typed is not kept")
	}
}

func TestLoginThrottling(t *testing.T) {
	site := newSite(t)
	site.MustUser("ed@example.com", "Eda", store.RoleEditor, pw)
	c := testutil.NewClient(site.Handler)
	for i := 0; i < 5; i++ {
		c.PostForm("/newsroom/login", url.Values{"email": {"ed@example.com"}, "password": {"not-the-password"}})
	}
	// Even the right password is refused while the account is throttled.
	w := c.PostForm("/newsroom/login", url.Values{"email": {"ed@example.com"}, "password": {pw}})
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "Too many failed sign-in attempts") || w.Header().Get("Retry-After") == "" {
		t.Fatalf("sixth attempt: %d", w.Code)
	}
	// Another address is throttled for this account too, but another
	// account from the first address is not (until the per-address limit).
	site.MustUser("rep@example.com", "Rita", store.RoleReporter, pw)
	if !c.Login("rep@example.com", pw) {
		t.Error("another account from the same address was refused")
	}
	// Per address: 20 failures across accounts lock the address out.
	d := testutil.NewClient(site.Handler)
	d.IP = "198.51.100.77"
	for i := 0; i < 20; i++ {
		d.PostForm("/newsroom/login", url.Values{"email": {fmt.Sprintf("guess%d@example.com", i)}, "password": {"x"}})
	}
	if w := d.PostForm("/newsroom/login", url.Values{"email": {"rep@example.com"}, "password": {pw}}); w.Code != http.StatusTooManyRequests {
		t.Errorf("address after 20 failures: %d, want 429", w.Code)
	}
}

func TestSessionExpiry(t *testing.T) {
	site := newSite(t)
	site.MustUser("ed@example.com", "Eda", store.RoleEditor, pw)
	for _, tc := range []struct {
		name, column string
		age          time.Duration
	}{
		{"idle", "last_seen_at", 13 * time.Hour},
		{"absolute", "created_at", 8 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testutil.NewClient(site.Handler)
			if !c.Login("ed@example.com", pw) {
				t.Fatal("login failed")
			}
			old := time.Now().Add(-tc.age).UnixMicro()
			if _, err := site.DB().Exec(site.Rebind("UPDATE sessions SET "+tc.column+" = ?"), old); err != nil {
				t.Fatal(err)
			}
			if w := c.Get("/newsroom/"); w.Code != http.StatusSeeOther {
				t.Errorf("expired session: %d, want 303 to login", w.Code)
			}
			var n int
			site.DB().QueryRow("SELECT count(*) FROM sessions").Scan(&n)
			if n != 0 {
				t.Errorf("%d sessions left after expiry", n)
			}
		})
	}
}

func TestLogoutEverywhere(t *testing.T) {
	site := newSite(t)
	site.MustUser("ed@example.com", "Eda", store.RoleEditor, pw)
	a, b := testutil.NewClient(site.Handler), testutil.NewClient(site.Handler)
	a.Login("ed@example.com", pw)
	b.Login("ed@example.com", pw)
	if w := a.PostForm("/newsroom/logout-everywhere", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("logout everywhere: %d", w.Code)
	}
	if w := b.Get("/newsroom/"); w.Code != http.StatusSeeOther {
		t.Errorf("the other browser is still signed in: %d", w.Code)
	}
}

func TestCrossSitePostRefused(t *testing.T) {
	site := newSite(t)
	site.MustUser("ed@example.com", "Eda", store.RoleEditor, pw)
	c := testutil.NewClient(site.Handler)
	c.Login("ed@example.com", pw)
	r, _ := http.NewRequest(http.MethodPost, "/newsroom/logout-everywhere", nil)
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	if w := c.Do(r); w.Code != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", w.Code)
	}
	// An older browser without fetch metadata: the Origin header decides.
	r = httptest.NewRequest(http.MethodPost, "/newsroom/logout-everywhere", nil)
	r.Header.Set("Origin", "https://evil.example")
	for _, ck := range c.Cookies {
		r.AddCookie(ck)
	}
	w := httptest.NewRecorder()
	site.Handler.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("POST from another origin: %d, want 403", w.Code)
	}
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }
