// Package joblog keeps a background job's log readable while something
// it needs is away. A job that ticks every few seconds against a database
// that is down would otherwise write the same error on every tick; with a
// Reporter the first failure is logged at ERROR, later ones at most once a
// minute with how many there were, and the recovery once, at INFO, with
// how long it took.
package joblog

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Reporter reports one job's failures. The zero value is not usable: make
// one with New.
type Reporter struct {
	log   *slog.Logger
	job   string
	every time.Duration
	now   func() time.Time

	mu      sync.Mutex
	failing bool
	since   time.Time // first failure of this run of failures
	last    time.Time // last failure logged
	unsaid  int       // failures since the last one logged
	total   int       // failures in this run
}

// New returns a Reporter for job that repeats a failure at most once
// every (a minute when 0). now is the clock (time.Now when nil).
func New(log *slog.Logger, job string, every time.Duration, now func() time.Time) *Reporter {
	if every <= 0 {
		every = time.Minute
	}
	if now == nil {
		now = time.Now
	}
	return &Reporter{log: log, job: job, every: every, now: now}
}

// Report records the outcome of one pass of the job: err nil for a pass
// that worked. A cancelled ctx (the server stopping) is not a failure.
func (r *Reporter) Report(ctx context.Context, err error) {
	if err != nil && ctx.Err() != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if err == nil {
		if r.failing {
			r.log.InfoContext(ctx, r.job+" recovered", "failures", r.total, "after", now.Sub(r.since).Round(time.Second))
		}
		r.failing, r.unsaid, r.total = false, 0, 0
		return
	}
	r.total++
	switch {
	case !r.failing:
		r.failing, r.since, r.last = true, now, now
		r.log.ErrorContext(ctx, r.job, "err", err)
	case now.Sub(r.last) >= r.every:
		r.log.ErrorContext(ctx, r.job, "err", err, "failures", r.total, "since", r.since.UTC().Format(time.RFC3339),
			"unlogged", r.unsaid)
		r.last, r.unsaid = now, 0
	default:
		r.unsaid++
	}
}
