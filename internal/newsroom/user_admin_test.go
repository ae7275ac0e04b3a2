package newsroom_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// admPassword is the password of every account these tests make.
const admPassword = "quiet-lantern-over-the-fjord"

// admEnv is a fresh newsroom with one signed-in client per role.
type admEnv struct {
	site                        *testutil.Site
	admin, editor, reporter     *testutil.Client
	adminID, editorID, reportID int64
	world                       story.Section
}

func newAdmEnv(t *testing.T) *admEnv {
	t.Helper()
	site, err := testutil.NewSite(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { site.Close() })
	e := &admEnv{site: site}
	e.adminID = site.MustUser("admin@example.com", "Ada Admin", store.RoleAdmin, admPassword)
	e.editorID = site.MustUser("editor@example.com", "Eda Editor", store.RoleEditor, admPassword)
	e.reportID = site.MustUser("reporter@example.com", "Rey Reporter", store.RoleReporter, admPassword)
	e.admin = e.login(t, "admin@example.com", admPassword)
	e.editor = e.login(t, "editor@example.com", admPassword)
	e.reporter = e.login(t, "reporter@example.com", admPassword)
	if e.world, err = site.Store.SectionBySlug(context.Background(), "world"); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *admEnv) login(t *testing.T, email, password string) *testutil.Client {
	t.Helper()
	c := testutil.NewClient(e.site.Handler)
	if !c.Login(email, password) {
		t.Fatalf("cannot sign in as %s", email)
	}
	return c
}

// story creates a story in the world section, published at the time
// given (or a draft when at is zero), and returns its id.
func (e *admEnv) story(t *testing.T, headline string, at time.Time) int64 {
	t.Helper()
	s := &story.Story{Section: e.world, Headline: headline, Slug: story.Slugify(headline, 80), Language: "en",
		Type: story.TypeNews, Status: story.StatusDraft, Body: story.ParseBody("Words for the test.")}
	if !at.IsZero() {
		s.Status, s.FirstPublishedAt, s.PublishedAt, s.UpdatedAt = story.StatusPublished, at, at, at
	}
	id, err := e.site.Store.CreateStory(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// auditActions lists the audit log's actions, newest first.
func (e *admEnv) auditActions(t *testing.T) []string {
	t.Helper()
	log, err := e.site.Store.AuditLog(context.Background(), 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range log {
		out = append(out, a.Action)
	}
	return out
}

func (e *admEnv) lastAudit(t *testing.T, action string) store.AuditEntry {
	t.Helper()
	log, err := e.site.Store.AuditEntries(context.Background(), store.AuditQuery{Action: action, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 {
		t.Fatalf("no %s entry in the audit log", action)
	}
	return log[0]
}

// upload posts a multipart form with one file to path.
func admUpload(c *testutil.Client, path, filename string, data []byte, fields map[string]string) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(data)
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(r)
}

// picture draws a w×h picture whose colours depend on seed, so each
// seed is a different picture (uploads of the same picture are one item).
func admPicture(w, h int, seed uint8) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x) ^ seed, uint8(y) + seed, seed * 7, 255})
		}
	}
	return img
}

func admJPEG(t *testing.T, w, h int, seed uint8) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, admPicture(w, h, seed), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func admPNG(t *testing.T, w, h int, seed uint8) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, admPicture(w, h, seed)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func admForm(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

var admSecretRE = regexp.MustCompile(`<code class="secret">([^<]+)</code>`)

// TestAdminRoleMatrix runs each admin, media, curation and inbox action
// as each role: refused ones answer 403 and change nothing, allowed ones
// succeed.
func TestAdminRoleMatrix(t *testing.T) {
	e := newAdmEnv(t)
	ctx := context.Background()
	st := e.site.Store
	storyID := e.story(t, "Matrix story", time.Now().Add(-time.Hour))
	msgID, err := st.AddMessage(ctx, store.Message{Kind: "contact", Name: "Reader", Body: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	victim := e.site.MustUser("victim@example.com", "Vic Victim", store.RoleReporter, admPassword)
	secID, err := st.CreateSection(ctx, story.Section{Slug: "sport", Name: "Sport", Position: 5})
	if err != nil {
		t.Fatal(err)
	}
	seed := uint8(0)
	w := admUpload(e.admin, "/newsroom/media", "a.png", admPNG(t, 64, 48, 200), nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("setup upload: %d %s", w.Code, w.Body)
	}
	lib, _ := st.MediaLibrary(ctx, "", 10)
	mediaID := lib[0].ID

	type action struct {
		name    string
		allowed map[store.Role]bool
		do      func(c *testutil.Client, role store.Role) *httptest.ResponseRecorder
	}
	admins := map[store.Role]bool{store.RoleAdmin: true}
	editors := map[store.Role]bool{store.RoleAdmin: true, store.RoleEditor: true}
	everyone := map[store.Role]bool{store.RoleAdmin: true, store.RoleEditor: true, store.RoleReporter: true}
	get := func(path string) func(*testutil.Client, store.Role) *httptest.ResponseRecorder {
		return func(c *testutil.Client, _ store.Role) *httptest.ResponseRecorder { return c.Get(path) }
	}
	post := func(path string, kv ...string) func(*testutil.Client, store.Role) *httptest.ResponseRecorder {
		return func(c *testutil.Client, _ store.Role) *httptest.ResponseRecorder {
			return c.PostForm(path, admForm(kv...))
		}
	}
	actions := []action{
		{"list users", admins, get("/newsroom/users")},
		{"add user", admins, func(c *testutil.Client, role store.Role) *httptest.ResponseRecorder {
			return c.PostForm("/newsroom/users", admForm("email", "new-"+string(role)+"@example.com", "name", "New "+string(role), "role", "reporter"))
		}},
		{"show user", admins, get(fmt.Sprintf("/newsroom/users/%d", victim))},
		{"change user", admins, post(fmt.Sprintf("/newsroom/users/%d", victim), "name", "Vic Victim", "role", "editor")},
		{"reset password", admins, post(fmt.Sprintf("/newsroom/users/%d/password", victim))},
		{"list sections", admins, get("/newsroom/sections")},
		{"add section", admins, func(c *testutil.Client, role store.Role) *httptest.ResponseRecorder {
			return c.PostForm("/newsroom/sections", admForm("name", "Desk "+string(role)))
		}},
		{"rename section", admins, post(fmt.Sprintf("/newsroom/sections/%d", secID), "name", "Sport", "description", "Games")},
		{"move section", admins, post(fmt.Sprintf("/newsroom/sections/%d/move", secID), "dir", "up")},
		{"show settings", admins, get("/newsroom/settings")},
		{"save settings", admins, post("/newsroom/settings", "page_about", "About us, by the matrix.")},
		{"audit log", admins, get("/newsroom/audit")},
		{"curation", editors, get("/newsroom/curation")},
		{"section curation", editors, get("/newsroom/curation?scope=world")},
		{"save curation", editors, post("/newsroom/curation", "scope", "front", "id", fmt.Sprint(storyID), "pos", "1")},
		{"set breaking", editors, post("/newsroom/curation/breaking", "story_id", fmt.Sprint(storyID))},
		{"clear breaking", editors, post("/newsroom/curation/breaking/clear", "story_id", fmt.Sprint(storyID))},
		{"inbox", editors, get("/newsroom/inbox")},
		{"mark handled", editors, post(fmt.Sprintf("/newsroom/inbox/%d/handled", msgID), "handled", "1")},
		{"media library", everyone, get("/newsroom/media")},
		{"media picker", everyone, get(fmt.Sprintf("/newsroom/media?pick=lead&story=%d", storyID))},
		{"upload", everyone, func(c *testutil.Client, _ store.Role) *httptest.ResponseRecorder {
			seed++
			return admUpload(c, "/newsroom/media", "p.jpg", admJPEG(t, 40, 30, seed), map[string]string{"caption": "Matrix"})
		}},
		{"show picture", everyone, get(fmt.Sprintf("/newsroom/media/%d", mediaID))},
		{"describe picture", everyone, post(fmt.Sprintf("/newsroom/media/%d", mediaID), "caption", "A caption", "focal_x", "0.3", "focal_y", "0.6")},
	}
	clients := map[store.Role]*testutil.Client{store.RoleReporter: e.reporter, store.RoleEditor: e.editor, store.RoleAdmin: e.admin}
	for _, a := range actions {
		for _, role := range []store.Role{store.RoleReporter, store.RoleEditor, store.RoleAdmin} {
			t.Run(a.name+"/"+string(role), func(t *testing.T) {
				before := len(e.auditActions(t))
				w := a.do(clients[role], role)
				if a.allowed[role] {
					if w.Code >= 400 {
						t.Errorf("%s as %s: %d, want success\n%s", a.name, role, w.Code, w.Body)
					}
					return
				}
				if w.Code != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403", a.name, role, w.Code)
				}
				if after := len(e.auditActions(t)); after != before {
					t.Errorf("%s as %s: refused, but the audit log grew", a.name, role)
				}
			})
		}
	}
	// Signed out, every page sends to the login.
	anon := testutil.NewClient(e.site.Handler)
	for _, p := range []string{"/newsroom/users", "/newsroom/media", "/newsroom/curation", "/newsroom/inbox", "/newsroom/audit", "/newsroom/sections", "/newsroom/settings"} {
		if w := anon.Get(p); w.Code != http.StatusSeeOther {
			t.Errorf("GET %s signed out: %d, want 303", p, w.Code)
		}
	}
}

func TestUserAdd(t *testing.T) {
	e := newAdmEnv(t)
	w := e.admin.PostForm("/newsroom/users", admForm("email", "nia@example.com", "name", "Nia  Newcomer", "role", "editor"))
	if w.Code != http.StatusCreated {
		t.Fatalf("add: %d\n%s", w.Code, w.Body)
	}
	m := admSecretRE.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatal("the generated password is not shown")
	}
	if c := testutil.NewClient(e.site.Handler); !c.Login("nia@example.com", m[1]) {
		t.Error("cannot sign in with the generated password")
	}
	u, err := e.site.Store.UserByEmail(context.Background(), "nia@example.com")
	if err != nil || u.Role != store.RoleEditor || u.Name != "Nia Newcomer" {
		t.Errorf("stored %+v, %v", u, err)
	}
	if a := e.lastAudit(t, "user_add"); a.Actor != "admin@example.com" || a.Target != fmt.Sprintf("user:%d", u.ID) {
		t.Errorf("audit %+v", a)
	}
	// The page with the password is not kept by caches.
	if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}

	cases := []struct {
		name   string
		form   url.Values
		status int
		msg    string
	}{
		{"typed weak password", admForm("email", "weak@example.com", "name", "Weak", "role", "reporter", "password", "password1234"), 400, "common"},
		{"typed short password", admForm("email", "short@example.com", "name", "Short", "role", "reporter", "password", "abc"), 400, "at least 12"},
		{"duplicate email", admForm("email", "EDITOR@example.com", "name", "Twin", "role", "reporter"), 409, "already exists"},
		{"bad email", admForm("email", "not-an-email", "name", "X", "role", "reporter"), 400, "email address"},
		{"bad role", admForm("email", "x@example.com", "name", "X", "role", "owner"), 400, "Choose a role"},
		{"markup in name", admForm("email", "<b>@example.com", "name", "<script>alert(1)</script>", "role", "reporter"), 400, "email address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := e.admin.PostForm("/newsroom/users", c.form)
			if w.Code != c.status || !strings.Contains(w.Body.String(), c.msg) {
				t.Errorf("%d, want %d with %q\n%s", w.Code, c.status, c.msg, w.Body)
			}
			if strings.Contains(w.Body.String(), "<script>alert") {
				t.Error("markup echoed unescaped")
			}
		})
	}
	// A good typed password is accepted and works.
	w = e.admin.PostForm("/newsroom/users", admForm("email", "typed@example.com", "name", "Ty Ped", "role", "reporter", "password", "marble-orchard-umbrella"))
	if w.Code != http.StatusCreated || admSecretRE.MatchString(w.Body.String()) {
		t.Fatalf("typed password: %d (a typed password must not be shown back)", w.Code)
	}
	if c := testutil.NewClient(e.site.Handler); !c.Login("typed@example.com", "marble-orchard-umbrella") {
		t.Error("cannot sign in with the typed password")
	}
}

func TestUserRoleChangeDisableAndReset(t *testing.T) {
	e := newAdmEnv(t)
	ctx := context.Background()
	path := fmt.Sprintf("/newsroom/users/%d", e.reportID)
	authorID, err := e.site.Store.CreateAuthor(ctx, story.Author{Slug: "rey-reporter", Name: "Rey Reporter"})
	if err != nil {
		t.Fatal(err)
	}
	w := e.admin.PostForm(path, admForm("name", "Rey Reporter", "role", "editor", "author_id", fmt.Sprint(authorID)))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("role change: %d\n%s", w.Code, w.Body)
	}
	u, _ := e.site.Store.User(ctx, e.reportID)
	if u.Role != store.RoleEditor || u.AuthorID != authorID {
		t.Errorf("after change: role %s author %d", u.Role, u.AuthorID)
	}
	a := e.lastAudit(t, "role_change")
	if a.Actor != "admin@example.com" || a.Target != fmt.Sprintf("user:%d", e.reportID) || !strings.Contains(a.Detail, "reporter → editor") {
		t.Errorf("role_change entry %+v", a)
	}
	// The promoted user may now curate.
	if w := e.reporter.Get("/newsroom/curation"); w.Code != http.StatusOK {
		t.Errorf("promoted user on curation: %d", w.Code)
	}

	// Disabled: signed out at once, and cannot sign in.
	w = e.admin.PostForm(path, admForm("name", "Rey Reporter", "role", "editor", "disabled", "1"))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("disable: %d", w.Code)
	}
	if w := e.reporter.Get("/newsroom/"); w.Code != http.StatusSeeOther {
		t.Errorf("disabled user's session still works: %d", w.Code)
	}
	if c := testutil.NewClient(e.site.Handler); c.Login("reporter@example.com", admPassword) {
		t.Error("a disabled user signed in")
	}
	e.lastAudit(t, "user_disable")
	if w := e.admin.PostForm(path, admForm("name", "Rey Reporter", "role", "reporter")); w.Code != http.StatusSeeOther {
		t.Fatalf("enable: %d", w.Code)
	}
	e.lastAudit(t, "user_enable")

	// Reset: a new password shown once; the old one and its sessions end.
	rc := e.login(t, "reporter@example.com", admPassword)
	w = e.admin.PostForm(path+"/password", nil)
	m := admSecretRE.FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || m == nil {
		t.Fatalf("reset: %d, password shown: %v", w.Code, m != nil)
	}
	if w := rc.Get("/newsroom/"); w.Code != http.StatusSeeOther {
		t.Errorf("session survived the reset: %d", w.Code)
	}
	if c := testutil.NewClient(e.site.Handler); c.Login("reporter@example.com", admPassword) {
		t.Error("the old password still works")
	}
	if c := testutil.NewClient(e.site.Handler); !c.Login("reporter@example.com", m[1]) {
		t.Error("the new password does not work")
	}
	if a := e.lastAudit(t, "password_reset"); strings.Contains(a.Detail, m[1]) {
		t.Error("the password is in the audit log")
	}
}

func TestLastAdminProtection(t *testing.T) {
	e := newAdmEnv(t)
	ctx := context.Background()
	self := fmt.Sprintf("/newsroom/users/%d", e.adminID)
	for name, f := range map[string]url.Values{
		"demote self":  admForm("name", "Ada Admin", "role", "editor"),
		"disable self": admForm("name", "Ada Admin", "role", "admin", "disabled", "1"),
	} {
		w := e.admin.PostForm(self, f)
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "your own account") {
			t.Errorf("%s: %d, want 409 with a reason", name, w.Code)
		}
	}
	if u, _ := e.site.Store.User(ctx, e.adminID); u.Role != store.RoleAdmin || u.Disabled {
		t.Errorf("admin changed: %+v", u)
	}
	// The store refuses to lose the last enabled admin, whoever asks.
	u, _ := e.site.Store.User(ctx, e.adminID)
	u.Role = store.RoleEditor
	if err := e.site.Store.UpdateUserGuarded(ctx, u); !errors.Is(err, store.ErrLastAdmin) || !errors.Is(err, store.ErrConflict) {
		t.Errorf("demote the last admin: %v, want ErrLastAdmin", err)
	}
	u.Role, u.Disabled = store.RoleAdmin, true
	if err := e.site.Store.UpdateUserGuarded(ctx, u); !errors.Is(err, store.ErrLastAdmin) {
		t.Errorf("disable the last admin: %v, want ErrLastAdmin", err)
	}
	// With a second admin, one may demote the other.
	second := e.site.MustUser("second@example.com", "Sam Second", store.RoleAdmin, admPassword)
	w := e.admin.PostForm(fmt.Sprintf("/newsroom/users/%d", second), admForm("name", "Sam Second", "role", "editor"))
	if w.Code != http.StatusSeeOther {
		t.Errorf("demote another admin: %d", w.Code)
	}
}
