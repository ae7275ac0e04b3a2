package store

import (
	"context"
	"sync/atomic"
)

type counterKey struct{}

// QueryCounter counts the SQL statements sent on behalf of one context.
// Counters nest: a statement counts toward every counter in the chain, so
// a test can count around a handler that counts for its access log.
type QueryCounter struct {
	n      atomic.Int64
	parent *QueryCounter
}

// Load returns the number of statements counted so far.
func (c *QueryCounter) Load() int64 { return c.n.Load() }

// WithQueryCounter returns a context in which store implementations count
// the SQL statements they send, and the counter to read. Request logging
// and the query-count test use it to catch N+1 patterns.
func WithQueryCounter(ctx context.Context) (context.Context, *QueryCounter) {
	parent, _ := ctx.Value(counterKey{}).(*QueryCounter)
	c := &QueryCounter{parent: parent}
	return context.WithValue(ctx, counterKey{}, c), c
}

// CountQuery records one statement against the counters in ctx, if any.
// Implementations call it for every statement they send.
func CountQuery(ctx context.Context) {
	c, _ := ctx.Value(counterKey{}).(*QueryCounter)
	for ; c != nil; c = c.parent {
		c.n.Add(1)
	}
}
