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

// The pace keeps the heap goal at half the soft limit while little is
// live, and is serverGCPercent once more is.
func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live, floor uint64
		want        int
	}{
		{4 * mib, 64 * mib, 1500},  // goal 4×16 = 64 MiB
		{5 * mib, 64 * mib, 1180},  // rounded up: 5×12.8 = 64 MiB
		{12 * mib, 64 * mib, 434},  // 12×5.34 ≥ 64 MiB
		{13 * mib, 64 * mib, 400},  // 13×5 ≥ 64 MiB already
		{64 * mib, 64 * mib, 400},  // at the floor
		{900 * mib, 64 * mib, 400}, // over it
		{1, 64 * mib, maxGCPercent},
		{0, 64 * mib, maxGCPercent},
	} {
		if got := gcPercentFor(c.live, c.floor); got != c.want {
			t.Errorf("gcPercentFor(%d MiB, %d MiB) = %d, want %d", c.live/mib, c.floor/mib, got, c.want)
		}
		if got := gcPercentFor(c.live, c.floor); c.live > 0 && got < maxGCPercent && c.live*uint64(100+got)/100 < c.floor {
			t.Errorf("live %d: goal %d under the floor %d", c.live, c.live*uint64(100+got)/100, c.floor)
		}
	}
}

// paceFor moves the GC percent only while serve's settings are in force
// and no batch job runs; a batch job gives back the pace it found.
func TestPaceFor(t *testing.T) {
	const mib = 1 << 20
	before := debug.SetGCPercent(-1)
	debug.SetGCPercent(before)
	restore := tuneGC(&config.Config{PageCacheMB: 64}, func(string) string { return "" }) // limit 128 MiB, floor 64
	defer restore()
	percent := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }

	paceFor(4 * mib)
	if got := percent(); got != 1500 {
		t.Errorf("live 4 MiB: GC percent %d, want 1500", got)
	}
	batchGC(func() {
		paceFor(4 * mib)
		if got := percent(); got != 100 {
			t.Errorf("in a batch job: GC percent %d, want 100", got)
		}
	})
	if got := percent(); got != 1500 {
		t.Errorf("after a batch job: GC percent %d, want the pace 1500 back", got)
	}
	paceFor(100 * mib)
	if got := percent(); got != serverGCPercent {
		t.Errorf("live 100 MiB: GC percent %d, want %d", got, serverGCPercent)
	}
	restore()
	paceFor(4 * mib)
	if got := percent(); got != before {
		t.Errorf("after serve: GC percent %d, want %d", got, before)
	}
}
