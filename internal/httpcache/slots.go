package httpcache

import (
	"context"
	"sync/atomic"
)

// renderSlots bounds how many renders run at once (Options.Renders).
//
// A render is CPU work: running more of them at once than there are
// cores does not finish them sooner, but it makes every other goroutine
// wait behind them, answers from the cache included. With a bound, the
// renders beyond it wait in line, parked, and a cache hit waits behind
// at most the renders the bound lets run. Measured on the 2-core
// machine with readers of one cached story (32 connections) beside a
// crawl of uncached stories (32 more): the hits' p99 fell from 107-111
// ms to 38-43 ms with three slots, and the crawl went as fast as
// without a bound (bench/RESULTS.md, ninth session).
type renderSlots struct {
	c       chan struct{} // one token per running render; nil: no bound
	waiting atomic.Int64  // renders waiting for a slot now
	waited  atomic.Int64  // renders that have had to wait, ever
}

func newRenderSlots(n int) *renderSlots {
	s := &renderSlots{}
	if n > 0 {
		s.c = make(chan struct{}, n)
	}
	return s
}

// take waits for a slot until ctx ends, and reports whether it got one.
func (s *renderSlots) take(ctx context.Context) bool {
	if s.tryTake() {
		return true
	}
	s.waited.Add(1)
	s.waiting.Add(1)
	defer s.waiting.Add(-1)
	select {
	case s.c <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// tryTake takes a slot if one is free now, and reports whether it did;
// give hands it back.
func (s *renderSlots) tryTake() bool {
	if s.c == nil {
		return true
	}
	select {
	case s.c <- struct{}{}:
		return true
	default:
		return false
	}
}

func (s *renderSlots) give() {
	if s.c != nil {
		<-s.c
	}
}

// run runs f in a slot, once one is free, unless ctx ends first; it
// reports whether f ran. The slot is given back even if f panics.
func (s *renderSlots) run(ctx context.Context, f func()) bool {
	if !s.take(ctx) {
		return false
	}
	defer s.give()
	f()
	return true
}
