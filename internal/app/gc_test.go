package app

import (
	"math"
	"runtime/debug"
	"testing"

	"dateline/internal/config"
)

// TestTuneGC: serve paces the collector itself unless the operator set
// GOGC or GOMEMLIMIT, and puts back what was there when it returns.
func TestTuneGC(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	cfg := &config.Config{PageCacheMB: 32}
	before, beforeLimit := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1)
	debug.SetGCPercent(before)

	restore := tuneGC(cfg, env(nil))
	if got := debug.SetGCPercent(-1); got != serverGCPercent {
		t.Errorf("GC percent %d, want %d", got, serverGCPercent)
	}
	debug.SetGCPercent(serverGCPercent)
	if got, want := debug.SetMemoryLimit(-1), int64(32<<20+serverMemoryHeadroom); got != want {
		t.Errorf("memory limit %d, want %d", got, want)
	}
	// A rebuild inside serve runs at the runtime's defaults, then
	// serve's settings come back.
	batchGC(func() {
		if got := debug.SetGCPercent(-1); got != 100 {
			t.Errorf("in a batch job: GC percent %d, want 100", got)
		}
		debug.SetGCPercent(100)
		if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
			t.Errorf("in a batch job: memory limit %d, want none", got)
		}
	})
	if got := debug.SetGCPercent(-1); got != serverGCPercent {
		t.Errorf("after a batch job: GC percent %d, want %d", got, serverGCPercent)
	}
	debug.SetGCPercent(serverGCPercent)
	if got, want := debug.SetMemoryLimit(-1), int64(32<<20+serverMemoryHeadroom); got != want {
		t.Errorf("after a batch job: memory limit %d, want %d", got, want)
	}
	restore()
	if got := debug.SetGCPercent(-1); got != before {
		t.Errorf("after serve: GC percent %d, want %d back", got, before)
	}
	debug.SetGCPercent(before)
	if got := debug.SetMemoryLimit(-1); got != beforeLimit {
		t.Errorf("after serve: memory limit %d, want %d back", got, beforeLimit)
	}

	for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
		restore := tuneGC(cfg, env(map[string]string{k: "200"}))
		if got := debug.SetGCPercent(-1); got != before {
			t.Errorf("%s set: GC percent moved to %d", k, got)
		}
		debug.SetGCPercent(before)
		batchGC(func() {
			if got := debug.SetGCPercent(-1); got != before {
				t.Errorf("%s set: a batch job moved the GC percent to %d", k, got)
			}
			debug.SetGCPercent(before)
		})
		restore()
	}
}
