// Command dateline runs the Dateline news platform. Everything happens in
// app.Run, which tests call directly.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"dateline/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := app.RunWithInput(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if code := app.ExitCode(err); code != 0 {
		fmt.Fprintln(os.Stderr, "dateline:", err)
		os.Exit(code)
	}
}
