package httpcache

// Stats are the page cache's counters since the handler was made, for
// monitoring (/metrics).
type Stats struct {
	Hits          int64 // answers sent from a cached page
	Misses        int64 // pages rendered to be cached (one per burst: single flight)
	Evictions     int64 // pages dropped to stay within the byte bound
	Invalidations int64 // times the whole cache was emptied by a content change
	Stale         int64 // answers sent from a cached page while the content version could not be read
	Bytes         int64 // memory held by cached pages, as counted against the bound
	Entries       int   // pages cached now
	MaxBytes      int64 // the bound; 0 when there is no page cache
}

// Stats returns the page cache's counters; all zero without a page cache.
func (h *Handler) Stats() Stats {
	p := h.pages
	if p == nil {
		return Stats{}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Hits: p.hits, Misses: p.misses, Evictions: p.evictions, Invalidations: p.invalidations, Stale: p.stale,
		Bytes: p.size, Entries: len(p.m), MaxBytes: p.max}
}

// RenderStats describes the bound on renders running at once
// (Options.Renders).
type RenderStats struct {
	Slots   int   // renders that may run at once; 0 when there is no bound
	Waiting int64 // renders waiting for a slot now
	Waits   int64 // renders that have had to wait for a slot, ever
}

// RenderStats returns the render bound's counters.
func (h *Handler) RenderStats() RenderStats {
	return RenderStats{Slots: cap(h.slots.c), Waiting: h.slots.waiting.Load(), Waits: h.slots.waited.Load()}
}
