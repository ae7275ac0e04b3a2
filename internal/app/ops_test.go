package app_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"dateline/internal/app"
	"dateline/internal/config"
)

func TestHealthcheckCommand(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--debug-addr", "127.0.0.1:0"},
		map[string]string{"DATELINE_DB": filepath.Join(dir, "site.db"), "DATELINE_MEDIA_DIR": filepath.Join(dir, "media")})
	addr := strings.TrimPrefix(base, "http://")
	var out strings.Builder
	if err := app.Run(context.Background(), []string{"healthcheck", "--addr", addr}, env(nil), &out, io.Discard); err != nil {
		t.Fatalf("healthcheck against a running server: %v", err)
	}
	if out.String() != "ok\n" {
		t.Errorf("healthcheck printed %q, want ok", out.String())
	}
	// The profiler is not on the public address.
	resp, err := http.Get(base + "/debug/pprof/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /debug/pprof/ on the public address: %d, want 404", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	err = app.Run(context.Background(), []string{"healthcheck", "--addr", closed}, env(nil), io.Discard, io.Discard)
	if err == nil || app.ExitCode(err) != 1 {
		t.Errorf("healthcheck with nothing listening: %v (exit %d), want exit 1", err, app.ExitCode(err))
	}
}

func TestDebugAddrMustDifferFromAddr(t *testing.T) {
	err := app.Run(context.Background(), []string{"serve", "--addr", "127.0.0.1:8099", "--debug-addr", "127.0.0.1:8099"}, env(nil), io.Discard, io.Discard)
	var ue *config.UsageError
	if err == nil || (!errors.As(err, &ue) && app.ExitCode(err) != 2) || !strings.Contains(err.Error(), "--debug-addr") {
		t.Fatalf("serve with --debug-addr equal to --addr: %v, want a usage error naming --debug-addr", err)
	}
}

func TestBenchDataFillsAnArchive(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bench.db")
	args := []string{"bench-data", "--stories", "100", "--db", db, "--media-dir", filepath.Join(dir, "media")}
	var out strings.Builder
	if err := app.Run(context.Background(), args, env(nil), &out, io.Discard); err != nil {
		t.Fatalf("bench-data: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "100 stories in ") {
		t.Errorf("bench-data output %q does not report 100 stories", out.String())
	}
	// A second run refuses a store that has stories.
	err := app.Run(context.Background(), args, env(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already has") {
		t.Errorf("bench-data on a filled store: %v, want a refusal", err)
	}
	// The archive serves: a tag page, search and the sitemap index.
	base, _, stop := startServe(t, []string{"--addr", "127.0.0.1:0"},
		map[string]string{"DATELINE_DB": db, "DATELINE_MEDIA_DIR": filepath.Join(dir, "media")})
	defer stop()
	for _, path := range []string{"/", "/world", "/search?q=election", "/sitemap.xml", "/sitemap-news.xml"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s on the bench archive: %d", path, resp.StatusCode)
		}
	}
}
