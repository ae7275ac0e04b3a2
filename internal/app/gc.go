package app

import (
	"runtime/debug"

	"dateline/internal/config"
)

// serverGCPercent is the garbage collector's pace for serve: a cache hit
// allocates a few hundred bytes, so at the default of 100 a busy server
// with a few MB live collects several times a second, each collection a
// short stop that lands on some request's latency. Four times the
// headroom collects three to five times less often (bench/RESULTS.md,
// "Garbage collection"), and the soft limit below keeps memory bounded.
const serverGCPercent = 400

// serverMemoryHeadroom is what serve's soft memory limit allows beyond the
// page cache: templates, request buffers, the shared lists and the renders
// in flight. With the default cache the limit is 128 MiB, which keeps the
// process under issue 7's 150 MB of resident memory with SQLite's own.
const serverMemoryHeadroom = 64 << 20

// tuneGC sets serve's garbage-collector pace and soft memory limit, unless
// the operator set either through GOGC or GOMEMLIMIT, which then decide
// alone. It returns a function that puts back what was there, so a serve
// run inside a test leaves the process as it found it.
func tuneGC(cfg *config.Config, getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := int64(cfg.PageCacheMB)<<20 + serverMemoryHeadroom
	oldPercent := debug.SetGCPercent(serverGCPercent)
	oldLimit := debug.SetMemoryLimit(limit)
	return func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
}
