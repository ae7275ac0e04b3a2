// Package testutil builds real fixtures for tests: a SQLite file in a
// temporary directory, filled with the demo newsroom, served by the real
// handler. Nothing here is a mock.
package testutil

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"dateline/internal/app"
	"dateline/internal/config"
	"dateline/internal/demo"
	"dateline/internal/media"
	"dateline/internal/store/sqlite"
)

// Site is a demo newsroom on a real store with its HTTP handler.
type Site struct {
	Dir     string
	Config  *config.Config
	Store   *sqlite.Store
	Media   *media.Store
	Handler http.Handler
	Now     time.Time
}

// NewDemoSite creates a demo site in dir (which the caller removes). It is
// meant for TestMain, so it returns errors instead of taking a testing.TB.
func NewDemoSite(dir string, env map[string]string) (*Site, error) {
	getenv := func(k string) string { return env[k] }
	args := []string{"--db", filepath.Join(dir, "dateline.db"), "--media-dir", filepath.Join(dir, "media"),
		"--base-url", "http://dateline.test"}
	cfg, _, err := config.Parse(config.Command{Name: "serve", Demo: true}, args, getenv, io.Discard)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, cfg.DB, nil)
	if err != nil {
		return nil, err
	}
	ms, err := media.Open(cfg.MediaDir)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if _, err := demo.Fill(ctx, st, ms, now); err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("DATELINE_TEST_LOG") != "" {
		log = slog.Default()
	}
	h, err := app.Handler(cfg, st, ms, log)
	if err != nil {
		return nil, err
	}
	return &Site{Dir: dir, Config: cfg, Store: st, Media: ms, Handler: h, Now: now}, nil
}

// MustTempDir makes a directory for a TestMain fixture.
func MustTempDir(prefix string) string {
	d, err := os.MkdirTemp("", prefix)
	if err != nil {
		panic(err)
	}
	return d
}
