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
