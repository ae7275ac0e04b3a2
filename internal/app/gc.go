package app

import (
	"context"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"

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
	serveGC.tuned, serveGC.limit, serveGC.percent = true, limit, serverGCPercent
	return func() {
		serveGC.Lock()
		defer serveGC.Unlock()
		serveGC.tuned = false
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
}

// serveGC records that tuneGC's settings are in force, for batchGC and
// paceGC. Garbage-collector settings belong to the process, and so does
// this.
var serveGC struct {
	sync.Mutex
	tuned   bool
	batch   int // batchGC jobs running
	limit   int64
	percent int // the pace in force while tuned
}

// paceGC keeps serve's heap goal at least half its soft memory limit,
// until ctx ends. With a small live heap (a site whose readers want few
// pages, or one story in a benchmark), serverGCPercent alone let the
// heap grow only to a few times it: 20 MB at 4 MB live, so under a
// breaking-news load of 30,000 pages a second the collector ran every
// 145 ms, and the requests that overlapped one of its 7 ms mark phases
// were the slowest hundredth (bench/RESULTS.md, "Eighth session"). Half
// the limit is memory serve may use anyway; with a large live heap the
// pace is serverGCPercent and the limit decides.
func paceGC(ctx context.Context) {
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	var seen uint64
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		metrics.Read(samples)
		if samples[0].Value.Kind() != metrics.KindUint64 || samples[1].Value.Kind() != metrics.KindUint64 {
			return // not measured by this runtime
		}
		if cycles := samples[1].Value.Uint64(); cycles != seen { // the live heap is new
			seen = cycles
			paceFor(samples[0].Value.Uint64())
		}
	}
}

// paceFor sets the GC percent that makes the heap goal at least half the
// soft limit at this live heap, and never less than serverGCPercent;
// only while tuneGC's settings are in force and no batch job runs.
func paceFor(live uint64) {
	serveGC.Lock()
	defer serveGC.Unlock()
	if !serveGC.tuned || serveGC.batch > 0 {
		return
	}
	p := gcPercentFor(live, uint64(serveGC.limit/2))
	if p != serveGC.percent {
		debug.SetGCPercent(p)
		serveGC.percent = p
	}
}

// gcPercentFor returns the GC percent whose heap goal, live×(1+p/100),
// reaches floor, within [serverGCPercent, maxGCPercent].
func gcPercentFor(live, floor uint64) int {
	if live == 0 {
		return maxGCPercent
	}
	if live >= floor {
		return serverGCPercent
	}
	p := (floor*100+live-1)/live - 100 // rounded up
	return int(max(serverGCPercent, min(p, maxGCPercent)))
}

// maxGCPercent bounds the pace when almost nothing is live (the soft
// limit bounds the heap in any case).
const maxGCPercent = 10000

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
		serveGC.batch++
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}
	serveGC.Unlock()
	defer func() {
		serveGC.Lock()
		defer serveGC.Unlock()
		if tuned {
			serveGC.batch--
		}
		if tuned && serveGC.tuned && serveGC.batch == 0 {
			debug.SetGCPercent(serveGC.percent)
			debug.SetMemoryLimit(serveGC.limit)
		}
	}()
	f()
}
