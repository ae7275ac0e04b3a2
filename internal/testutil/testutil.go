// Package testutil builds real fixtures for tests: a SQLite file in a
// temporary directory (or, with DATELINE_TEST_STORE=postgres, a schema on
// a real PostgreSQL server), filled with the demo newsroom, served by the
// real handler. Nothing here is a mock.
package testutil

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dateline/internal/app"
	"dateline/internal/auth"
	"dateline/internal/config"
	"dateline/internal/demo"
	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/store/postgres"
	"dateline/internal/store/sqlite"
	"dateline/internal/story"
)

// Site is a demo newsroom on a real store with its HTTP handler.
type Site struct {
	Dir     string
	Config  *config.Config
	Store   store.Store
	Media   *media.Store
	Handler http.Handler
	Now     time.Time

	drop func() error // drops the PostgreSQL schema
}

// NewDemoSite creates a demo site in dir (which the caller removes). It is
// meant for TestMain, so it returns errors instead of taking a testing.TB.
func NewDemoSite(dir string, env map[string]string) (*Site, error) {
	return newSite(dir, env, true)
}

// NewSite is NewDemoSite without the demo: an empty, migrated store with
// one section ("world"), quick to make for tests of their own.
func NewSite(dir string, env map[string]string) (*Site, error) {
	return newSite(dir, env, false)
}

func newSite(dir string, env map[string]string, withDemo bool) (*Site, error) {
	getenv := func(k string) string { return env[k] }
	args := []string{"--db", filepath.Join(dir, "dateline.db"), "--media-dir", filepath.Join(dir, "media")}
	if env["DATELINE_BASE_URL"] == "" {
		args = append(args, "--base-url", "http://dateline.test")
	}
	// Tests send requests from one address at machine speed: the rate
	// limits of search and the API are off unless a test sets them
	// (internal/app/ratelimit_test.go does).
	for _, name := range []string{"search-rate-limit", "api-rate-limit"} {
		if env[config.EnvName(name)] == "" {
			args = append(args, "--"+name, "0")
		}
	}
	cfg, _, err := config.Parse(config.Command{Name: "serve", Demo: true}, args, getenv, io.Discard)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	ms, err := media.Open(cfg.MediaDir)
	if err != nil {
		return nil, err
	}
	site := &Site{Dir: dir, Config: cfg, Media: ms, Now: time.Now()}
	if OnPostgres() {
		admin := os.Getenv(DatabaseURLEnv)
		if admin == "" {
			return nil, errors.New(StoreEnv + "=postgres needs " + DatabaseURLEnv + " (scripts/pg-test-server.sh start prints one)")
		}
		u, drop, err := postgresSchema(ctx, admin)
		if err != nil {
			return nil, err
		}
		site.drop = drop
		cfg.DatabaseURL = u
		pg, err := postgres.Open(ctx, u, nil)
		if err != nil {
			drop()
			return nil, err
		}
		site.Store = pg
		if withDemo {
			if _, err := demo.Fill(ctx, pg, ms, site.Now); err != nil {
				site.Close()
				return nil, err
			}
		}
	} else {
		st, err := sqlite.Open(ctx, cfg.DB, nil)
		if err != nil {
			return nil, err
		}
		if withDemo {
			if st, site.Now, err = fillDemo(ctx, st, cfg.DB, ms, cfg.MediaDir); err != nil {
				if st != nil {
					st.Close()
				}
				return nil, err
			}
		}
		site.Store = st
	}
	if !withDemo {
		if _, err := site.Store.CreateSection(ctx, story.Section{Slug: "world", Name: "World"}); err != nil {
			site.Close()
			return nil, err
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("DATELINE_TEST_LOG") != "" {
		log = slog.Default()
	}
	if site.Handler, err = app.Handler(cfg, site.Store, ms, log); err != nil {
		site.Close()
		return nil, err
	}
	return site, nil
}

// Close closes the site's store and, on PostgreSQL, drops its schema.
// The caller still removes the directory.
func (s *Site) Close() error {
	err := s.Store.Close()
	if s.drop != nil {
		err = errors.Join(err, s.drop())
		s.drop = nil
	}
	return err
}

// MustTempDir makes a directory for a TestMain fixture.
func MustTempDir(prefix string) string {
	d, err := os.MkdirTemp("", prefix)
	if err != nil {
		panic(err)
	}
	return d
}

// Client is a browser for tests: it keeps cookies and sends the headers
// a browser sends on same-origin form posts.
type Client struct {
	Handler http.Handler
	Cookies map[string]*http.Cookie
	IP      string
}

// NewClient returns a client of h with no cookies.
func NewClient(h http.Handler) *Client {
	return &Client{Handler: h, Cookies: map[string]*http.Cookie{}, IP: "192.0.2.10"}
}

// Do sends r with the client's cookies and keeps the cookies set.
func (c *Client) Do(r *http.Request) *httptest.ResponseRecorder {
	for _, ck := range c.Cookies {
		r.AddCookie(ck)
	}
	if r.Method != http.MethodGet && r.Header.Get("Sec-Fetch-Site") == "" {
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	r.RemoteAddr = c.IP + ":40000"
	w := httptest.NewRecorder()
	c.Handler.ServeHTTP(w, r)
	for _, ck := range w.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.Cookies, ck.Name)
		} else {
			c.Cookies[ck.Name] = ck
		}
	}
	return w
}

// Get fetches a path.
func (c *Client) Get(path string) *httptest.ResponseRecorder {
	return c.Do(httptest.NewRequest(http.MethodGet, path, nil))
}

// PostForm posts form values to a path.
func (c *Client) PostForm(path string, vals url.Values) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(vals.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(r)
}

// Login signs in through the real form; it reports whether it worked.
func (c *Client) Login(email, password string) bool {
	w := c.PostForm("/newsroom/login", url.Values{"email": {email}, "password": {password}})
	return w.Code == http.StatusSeeOther && len(c.Cookies) > 0
}

// MustUser creates a staff account with a password and returns its id.
func (s *Site) MustUser(email, name string, role store.Role, password string) int64 {
	hash, err := auth.HashPassword(password)
	if err != nil {
		panic(err)
	}
	id, err := s.Store.CreateUser(context.Background(), store.User{Email: email, Name: name, Role: role, PasswordHash: hash})
	if err != nil {
		panic(err)
	}
	return id
}
