package site

import (
	"net/http"
	"strings"
	"time"

	"dateline/internal/search"
	"dateline/internal/store"
	"dateline/internal/story"
)

// Explore and Most read: how a page leads readers on.
const (
	mostReadCount  = 5
	mostReadWindow = 48 * time.Hour // "most read" means the last two days
	exploreRelated = 6              // asked for: exploreMix's four, the body's automatic link and a spare
	exploreMost    = 6
)

// exploreMix is the order Explore draws from its lists: related stories
// first, then most-read and fresh ones in turn. An exhausted list gives
// its turn to the next that has stories left.
const exploreMix = "rrmfrmfrfm"

// mixExplore fills up to n Explore items from the lists, skipping what the
// page already shows (seen, which it extends).
func mixExplore(ex store.ExploreResult, seen map[int64]bool, n int) []story.Summary {
	lists := [3][]story.Summary{ex.Related, ex.MostRead, ex.Fresh}
	next := func(k byte) (story.Summary, bool) {
		l := &lists[strings.IndexByte("rmf", k)]
		for len(*l) > 0 {
			v := (*l)[0]
			*l = (*l)[1:]
			if !seen[v.ID] {
				return v, true
			}
		}
		return story.Summary{}, false
	}
	out := make([]story.Summary, 0, n)
	for i := 0; len(out) < n; i++ {
		want := byte('f')
		if i < len(exploreMix) {
			want = exploreMix[i]
		}
		v, ok := next(want)
		for _, k := range []byte("frm") {
			if ok {
				break
			}
			v, ok = next(k)
		}
		if !ok {
			break
		}
		seen[v.ID] = true
		out = append(out, v)
	}
	return out
}

// countView counts a reader's view of a story: server-side, no cookie,
// nothing about the reader kept. Robots and prefetches do not count. The
// store behind the site buffers counts in memory (store.ViewBuffer), so
// this never waits on a write; a failure costs a count, not the page.
func (s *Server) countView(r *http.Request, id int64) {
	if !search.CountsAsView(r) {
		return
	}
	if err := s.store.CountView(r.Context(), id); err != nil {
		s.log.WarnContext(r.Context(), "count view", "story", id, "err", err)
	}
}

// CountCachedView counts a view of a story page that the page cache
// answered without calling the site.
func (s *Server) CountCachedView(r *http.Request, storyID int64) { s.countView(r, storyID) }
