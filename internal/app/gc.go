package app

import (
	"math"
	"runtime/debug"
	"sync"

	"dateline/internal/config"
)

// serverGCPercent is the garbage collector's pace for serve: a cache hit
// allocates about 4 KB (net/http's request and header maps), so at the
// default of 100 a busy server with a few MB live collects several times
// a second, each collection a short stop that lands on some request's
// latency. Four times the headroom collects three to five times less
// often (bench/RESULTS.md, "Garbage collection"), and the soft limit
// below keeps memory bounded.
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
	serveGC.Lock()
	defer serveGC.Unlock()
	oldPercent := debug.SetGCPercent(serverGCPercent)
	oldLimit := debug.SetMemoryLimit(limit)
	serveGC.tuned, serveGC.limit = true, limit
	return func() {
		serveGC.Lock()
		defer serveGC.Unlock()
		serveGC.tuned = false
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
}

// serveGC records that tuneGC's settings are in force, for batchGC.
// Garbage-collector settings belong to the process, and so does this.
var serveGC struct {
	sync.Mutex
	tuned bool
	limit int64
}

// batchGC runs f, a background job inside serve whose live heap can pass
// serve's soft limit (the related-story rebuild holds about 400 MB at a
// million stories), at the runtime's default pace and without the limit:
// held under it, the collector would run back to back, on up to half the
// CPU, for the whole job. Serve's settings come back when f returns.
// Settings the operator chose (GOGC, GOMEMLIMIT) are left alone.
func batchGC(f func()) {
	serveGC.Lock()
	tuned := serveGC.tuned
	if tuned {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}
	serveGC.Unlock()
	defer func() {
		serveGC.Lock()
		defer serveGC.Unlock()
		if tuned && serveGC.tuned {
			debug.SetGCPercent(serverGCPercent)
			debug.SetMemoryLimit(serveGC.limit)
		}
	}()
	f()
}
