package newsroom_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/internal/app"
	"dateline/internal/auth"
	"dateline/internal/config"
	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// edFixture is a small real newsroom: a SQLite file in a temporary
// directory with two sections, an author, one user per role, and the
// whole HTTP handler of the program.
type edFixture struct {
	dir     string
	cfg     *config.Config
	store   store.Store
	media   *media.Store
	handler http.Handler
	world   story.Section
	sport   story.Section
	author  story.Author
	users   map[store.Role]store.User
}

const edPassword = "correct horse battery staple"

func newEdFixture(tb testing.TB) *edFixture {
	tb.Helper()
	dir := tb.TempDir()
	cfg, _, err := config.Parse(config.Command{Name: "serve"}, []string{"--db", filepath.Join(dir, "d.db"),
		"--media-dir", filepath.Join(dir, "media"), "--base-url", "http://dateline.test"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	st := testutil.OpenStore(tb, cfg.DB)
	ms, err := media.Open(cfg.MediaDir)
	if err != nil {
		tb.Fatal(err)
	}
	f := &edFixture{dir: dir, cfg: cfg, store: st, media: ms, users: map[store.Role]store.User{}}
	for _, sec := range []*story.Section{{Slug: "world", Name: "World"}, {Slug: "sport", Name: "Sport", Position: 1}} {
		if sec.ID, err = st.CreateSection(ctx, *sec); err != nil {
			tb.Fatal(err)
		}
	}
	f.world, _ = st.SectionBySlug(ctx, "world")
	f.sport, _ = st.SectionBySlug(ctx, "sport")
	f.author = story.Author{Slug: "ayse-kaya", Name: "Ayşe Kaya", Role: "Correspondent"}
	if f.author.ID, err = st.CreateAuthor(ctx, f.author); err != nil {
		tb.Fatal(err)
	}
	hash, err := auth.HashPassword(edPassword)
	if err != nil {
		tb.Fatal(err)
	}
	for _, role := range []store.Role{store.RoleReporter, store.RoleEditor, store.RoleAdmin} {
		f.addUser(tb, string(role), role, hash)
	}
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("DATELINE_TEST_LOG") != "" {
		log = slog.Default()
	}
	f.handler, err = app.Handler(cfg, st, ms, log)
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

func (f *edFixture) addUser(tb testing.TB, name string, role store.Role, hash string) store.User {
	tb.Helper()
	u := store.User{Email: name + "@dateline.test", Name: strings.ToUpper(name[:1]) + name[1:], Role: role,
		PasswordHash: hash, CreatedAt: time.Now(), PasswordChangedAt: time.Now()}
	id, err := f.store.CreateUser(context.Background(), u)
	if err != nil {
		tb.Fatal(err)
	}
	u.ID = id
	if _, ok := f.users[role]; !ok {
		f.users[role] = u
	}
	return u
}

// edClient is a browser with a session cookie.
type edClient struct {
	f      *edFixture
	cookie *http.Cookie
	user   store.User
}

type edResponse struct {
	status int
	header http.Header
	body   string
}

func (f *edFixture) anon() *edClient { return &edClient{f: f} }

// login signs in through the real login form.
func (f *edFixture) login(tb testing.TB, u store.User) *edClient {
	tb.Helper()
	c := &edClient{f: f, user: u}
	res := c.post(tb, "/newsroom/login", url.Values{"email": {u.Email}, "password": {edPassword}})
	if res.status != http.StatusSeeOther {
		tb.Fatalf("login %s: %d %s", u.Email, res.status, res.body)
	}
	return c
}

func (f *edFixture) as(tb testing.TB, role store.Role) *edClient { return f.login(tb, f.users[role]) }

func (c *edClient) do(tb testing.TB, r *http.Request) edResponse {
	tb.Helper()
	if c.cookie != nil {
		r.AddCookie(c.cookie)
	}
	w := httptest.NewRecorder()
	c.f.handler.ServeHTTP(w, r)
	res := w.Result()
	for _, ck := range res.Cookies() {
		if ck.Name == "dateline_session" {
			if ck.MaxAge < 0 {
				c.cookie = nil
			} else {
				c.cookie = ck
			}
		}
	}
	b, _ := io.ReadAll(res.Body)
	return edResponse{res.StatusCode, res.Header, string(b)}
}

func (c *edClient) get(tb testing.TB, path string) edResponse {
	tb.Helper()
	return c.do(tb, httptest.NewRequest(http.MethodGet, path, nil))
}

func (c *edClient) post(tb testing.TB, path string, form url.Values, header ...string) edResponse {
	tb.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return c.do(tb, r)
}

// storyForm is a valid editor form.
func (f *edFixture) storyForm(headline, body string) url.Values {
	return url.Values{
		"headline": {headline}, "standfirst": {"What happened, in one sentence."}, "section": {strconv.FormatInt(f.world.ID, 10)},
		"type": {"news"}, "language": {"en"}, "bylines": {"Ayşe Kaya, Guest Writer"}, "tags": {"Diplomacy, Black Sea"},
		"body": {body}, "action": {"save"},
	}
}

var edIDInURL = regexp.MustCompile(`/newsroom/stories/(\d+)`)

// create makes a story through the editor and returns its id.
func (c *edClient) create(tb testing.TB, form url.Values) int64 {
	tb.Helper()
	return createdID(tb, c.post(tb, "/newsroom/stories/new", form))
}

// createdID is the id of the story the new-story form made, from where
// it sent the browser.
func createdID(tb testing.TB, res edResponse) int64 {
	tb.Helper()
	if res.status != http.StatusSeeOther {
		tb.Fatalf("create: %d %s", res.status, edErrors(res.body))
	}
	m := edIDInURL.FindStringSubmatch(res.header.Get("Location"))
	if m == nil {
		tb.Fatalf("create went to %q", res.header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// edErrors picks the error notices out of a page, for failure messages.
func edErrors(body string) string {
	var out []string
	for _, m := range regexp.MustCompile(`class="(?:notice notice-error|field-error)"[^>]*>([^<]*)<`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 && len(body) > 300 {
		return body[:300]
	}
	if len(out) == 0 {
		return body
	}
	return strings.Join(out, " | ")
}

// seed stores a story directly in a given state, owned by owner.
func (f *edFixture) seed(tb testing.TB, owner store.User, status story.Status, headline string) *story.Story {
	tb.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	st := &story.Story{Language: "en", Type: story.TypeNews, Status: status, Section: f.world, Headline: headline,
		Slug: story.Slugify(headline, 80), BodySource: "First paragraph.\n\nSecond paragraph.", CreatedAt: now, ModifiedAt: now}
	st.Body = story.ParseBody(st.BodySource)
	if status == story.StatusPublished || status == story.StatusUnpublished {
		st.FirstPublishedAt, st.PublishedAt, st.UpdatedAt = now.Add(-time.Hour), now.Add(-time.Hour), now.Add(-time.Hour)
	}
	id, err := f.store.CreateStory(ctx, st)
	if err != nil {
		tb.Fatal(err)
	}
	meta := store.StoryMeta{OwnerID: owner.ID}
	if status == story.StatusSpiked {
		meta.SpikedAt = now
	}
	if status == story.StatusScheduled {
		meta.ScheduledAt = now.Add(time.Hour)
	}
	if err := f.store.SetStoryMeta(ctx, id, meta); err != nil {
		tb.Fatal(err)
	}
	got, err := f.store.Story(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

func (f *edFixture) story(tb testing.TB, id int64) *story.Story {
	tb.Helper()
	st, err := f.store.Story(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func edPath(id int64, rest string) string {
	return "/newsroom/stories/" + strconv.FormatInt(id, 10) + rest
}

func edContain(tb testing.TB, body string, wants ...string) {
	tb.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			tb.Errorf("page lacks %q", w)
		}
	}
}
