package site

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"sync"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// sharedLists keeps what many pages show alike: the newest stories and
// the most read, site-wide and per section, and the layout's sections and
// breaking-news banner. Every story page
// draws Explore from the first two, so without this each page would ask
// the store for them again (a third of an uncached story page's time on a
// 100,000-story archive). They are read again when the content version
// moves, which any change to a public story does, and at least once a
// minute, because view counts do not move it: the same rule as the page
// cache, so a page from either is never older than the other.
type sharedLists struct {
	mu      sync.Mutex // held while reading, so a burst reads once
	version int64
	at      time.Time
	valid   bool
	// explore holds the newest and the most-read stories with their
	// bylines, as Explore shows them; loaded says it was read.
	explore store.ExploreResult
	loaded  bool
	// most holds the Most read blocks by section id (0: the site).
	most map[int64][]story.Summary
	// chrome is what every page's layout shows: the sections for the
	// navigation and the breaking-news banner (nil when none).
	chrome       pageChrome
	chromeLoaded bool
}

type pageChrome struct {
	sections []story.Section
	breaking *story.Summary
	// mastheads holds the rendered masthead by the slug of the section a
	// page belongs to ("" for none), filled as pages ask (masthead); it
	// is read and written with sharedLists.mu held.
	mastheads map[string]template.HTML
}

const (
	// sharedFresh and sharedMost are how many stories the site-wide lists
	// keep: enough for Explore after leaving out the page's own story and
	// the stories its body links to (storyLinks asks the store itself when
	// they are not enough).
	sharedFresh  = 48
	sharedMost   = 24
	sharedMaxAge = time.Minute
)

// exploreLists returns the newest and the most-read stories for Explore;
// ok is false when the store could not say.
func (s *Server) exploreLists(ctx context.Context) (store.ExploreResult, bool) {
	l := &s.shared
	l.mu.Lock()
	defer l.mu.Unlock()
	if !s.sharedCurrent(ctx) || !l.loaded {
		ex, err := s.store.Explore(ctx, store.ExploreQuery{
			Fresh: sharedFresh, MostRead: sharedMost, Since: s.now().Add(-mostReadWindow),
		})
		if err != nil {
			s.log.WarnContext(ctx, "newest and most-read stories", "err", err)
			return ex, false
		}
		l.explore, l.loaded = ex, true
	}
	return l.explore, true
}

// mostRead is the "Most read" block of the front page (section 0) and of
// section pages; a failure costs the block, not the page.
func (s *Server) mostRead(ctx context.Context, sectionID int64) []story.Summary {
	l := &s.shared
	l.mu.Lock()
	defer l.mu.Unlock()
	s.sharedCurrent(ctx)
	list, ok := l.most[sectionID]
	if !ok {
		var err error
		list, err = s.store.MostRead(ctx, store.MostReadQuery{SectionID: sectionID, Since: s.now().Add(-mostReadWindow), Limit: mostReadCount})
		if err != nil {
			s.log.WarnContext(ctx, "most read", "err", err)
			return nil
		}
		l.most[sectionID] = list
	}
	return list
}

// pageChrome returns the sections and the breaking-news banner. A
// failure costs the navigation or the banner, not the page, and is not
// kept.
func (s *Server) pageChrome(ctx context.Context) pageChrome {
	l := &s.shared
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.sharedCurrent(ctx) && l.chromeLoaded {
		return l.chrome
	}
	c := pageChrome{mastheads: map[string]template.HTML{}}
	ok := true
	var err error
	if c.sections, err = s.store.Sections(ctx); err != nil {
		s.log.WarnContext(ctx, "sections for navigation", "err", err)
		ok = false
	}
	// Breaking news: one indexed query.
	if b, err := s.store.Breaking(ctx, s.now()); err == nil {
		c.breaking = b
	} else if !errors.Is(err, store.ErrNotFound) {
		s.log.WarnContext(ctx, "breaking news banner", "err", err)
		ok = false
	}
	l.chrome, l.chromeLoaded = c, ok
	return c
}

// masthead returns the masthead of a page in section current, rendered
// from c's sections the first time a page of that section asks for it
// after the content version moved. current is always a stored section's
// slug or "", so the map holds at most one entry per section.
func (s *Server) masthead(c pageChrome, current string) (template.HTML, error) {
	l := &s.shared
	l.mu.Lock()
	h, ok := c.mastheads[current]
	l.mu.Unlock()
	if ok {
		return h, nil
	}
	out, err := s.render.String(pageNames[0], "masthead", Page{Site: s.info, Sections: c.sections, Current: current})
	if err != nil {
		return "", err
	}
	h = template.HTML(out)
	if c.mastheads != nil {
		l.mu.Lock()
		c.mastheads[current] = h
		l.mu.Unlock()
	}
	return h, nil
}

// sharedCurrent reports whether the kept lists still hold, and forgets
// them when they do not. It is called with the lock held.
func (s *Server) sharedCurrent(ctx context.Context) bool {
	l := &s.shared
	v, err := s.contentVersion(ctx)
	now := time.Now()
	if err == nil && l.valid && v == l.version && now.Sub(l.at) < sharedMaxAge {
		return true
	}
	l.explore, l.loaded, l.most = store.ExploreResult{}, false, map[int64][]story.Summary{}
	l.chrome, l.chromeLoaded = pageChrome{}, false
	l.valid = err == nil
	l.version, l.at = v, now
	return false
}

// without returns up to n of list, in order, leaving out the ids in skip.
// ok is false when list held too few to be sure of n (it was cut at
// limit and skip took some).
func without(list []story.Summary, skip []int64, n, limit int) ([]story.Summary, bool) {
	// Most pages skip nothing that the list's head holds: then the head
	// itself is the answer, without a copy (callers only read it).
	head := list[:min(n, len(list))]
	if !slices.ContainsFunc(head, func(v story.Summary) bool { return slices.Contains(skip, v.ID) }) {
		return head[:len(head):len(head)], len(head) == n || len(list) < limit
	}
	out := make([]story.Summary, 0, n)
	for _, v := range list {
		if len(out) == n {
			return out, true
		}
		if !slices.Contains(skip, v.ID) {
			out = append(out, v)
		}
	}
	return out, len(out) == n || len(list) < limit
}

// versionMemo holds the content version for the rest of one request, so
// that the navigation and Explore, which each check the shared lists, ask
// the store once (on PostgreSQL without LISTEN, each ask is a query).
type versionMemo struct {
	done bool
	v    int64
	err  error
}

type versionMemoKey struct{}

func withVersionMemo(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), versionMemoKey{}, &versionMemo{}))
}

func (s *Server) contentVersion(ctx context.Context) (int64, error) {
	m, _ := ctx.Value(versionMemoKey{}).(*versionMemo)
	if m != nil && m.done {
		return m.v, m.err
	}
	v, err := s.store.ContentVersion(ctx)
	if m != nil {
		m.done, m.v, m.err = true, v, err
	}
	return v, err
}
