package joblog

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestReportOnceAMinute: a job failing every 5 seconds for three minutes
// logs its failure four times (at once, then each minute), and its
// recovery once; a cancelled pass is not a failure.
func TestReportOnceAMinute(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	r := New(log, "scheduler", 0, func() time.Time { return now })
	ctx := context.Background()
	down := errors.New("dial tcp 10.0.0.5:5432: connection refused")
	r.Report(ctx, nil)
	for range 36 { // three minutes of 5-second ticks
		r.Report(ctx, down)
		now = now.Add(5 * time.Second)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	r.Report(cancelled, context.Canceled)
	r.Report(ctx, nil)
	r.Report(ctx, nil)

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var errs, infos int
	for _, l := range lines {
		switch {
		case strings.Contains(l, "level=ERROR"):
			errs++
			if !strings.Contains(l, "msg=scheduler") || !strings.Contains(l, "connection refused") {
				t.Errorf("error line lacks the job or the cause: %s", l)
			}
		case strings.Contains(l, "level=INFO"):
			infos++
			if !strings.Contains(l, `msg="scheduler recovered"`) || !strings.Contains(l, "failures=36") || !strings.Contains(l, "after=3m0s") {
				t.Errorf("recovery line: %s", l)
			}
		}
	}
	if errs != 3 || infos != 1 || len(lines) != 4 {
		t.Errorf("%d error and %d info lines of %d, want 3 (at 0, 1 and 2 minutes) and 1:\n%s", errs, infos, len(lines), buf.String())
	}
	if !strings.Contains(lines[2], "failures=25") || !strings.Contains(lines[2], "unlogged=11") {
		t.Errorf("the repeat does not count what it did not log: %s", lines[2])
	}

	// A new outage starts a new count.
	buf.Reset()
	r.Report(ctx, down)
	if !strings.Contains(buf.String(), "level=ERROR") || strings.Contains(buf.String(), "failures=") {
		t.Errorf("a new outage's first failure: %s", buf.String())
	}
}
