package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"dateline/internal/config"
)

var healthcheckCommand = config.Command{
	Name: "healthcheck", Usage: "healthcheck [flags]",
	About: "Asks the server at --addr for /healthz and exits 0 when it answers 200, 1 otherwise:\n" +
		"a container health check that needs no shell or curl in the image.",
}

// healthcheck runs `dateline healthcheck`.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, pos, err := config.Parse(healthcheckCommand, args, getenv, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return &config.UsageError{Msg: fmt.Sprintf("healthcheck takes no arguments, got %q", pos[0])}
	}
	host, port, _ := net.SplitHostPort(cfg.Addr) // validated by Parse
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1" // a server on every address answers on loopback
	}
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, port) + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck %s: status %d", url, resp.StatusCode)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}
