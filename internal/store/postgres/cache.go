package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// versionCache lets ContentVersion answer from memory while it is sure
// nothing changed: no notification arrived on the listening connection
// (listen.go) and this process committed nothing since the value was
// read. Without a listener every call reads the database, as before.
type versionCache struct {
	listening atomic.Bool
	gen       atomic.Int64 // moved by every notification, connect and loss of the listener
	writes    atomic.Int64 // write statements and commits of this process (writeTracer)
	memo      atomic.Pointer[versionMemo]
	// downUntil (Unix nanoseconds) holds back reads after one failed:
	// while the database is gone, a page served from the cache does not
	// wait for a connection attempt every time.
	downUntil atomic.Int64
}

// versionMemo is a content version with the generation and write count
// read before it.
type versionMemo struct {
	v, gen, writes int64
}

// retryDown is how long a failed read of the version is not retried.
const retryDown = 500 * time.Millisecond

// errDown is what ContentVersion says while it holds back after a failure.
var errDown = errors.New("content version: the database did not answer a moment ago")

// ContentVersion returns the counter the triggers of migration 0016 move
// on every change to public content. While Listen runs it is read from
// the database only after a change notification or a commit of this
// process; otherwise on every call.
func (s *Store) ContentVersion(ctx context.Context) (int64, error) {
	g, w := s.cv.gen.Load(), s.cv.writes.Load()
	if s.cv.listening.Load() {
		if m := s.cv.memo.Load(); m != nil && m.gen == g && m.writes == w {
			return m.v, nil
		}
	}
	if until := s.cv.downUntil.Load(); until != 0 && time.Now().UnixNano() < until {
		return 0, errDown
	}
	var n int64
	if err := s.readRow(ctx, "SELECT n FROM content_version WHERE id = 1").Scan(&n); err != nil {
		if ctx.Err() == nil {
			s.cv.downUntil.Store(time.Now().Add(retryDown).UnixNano())
		}
		return 0, fmt.Errorf("content version: %w", err)
	}
	s.cv.downUntil.Store(0)
	// Filed under the generation and write count read before the
	// query: a change that lands meanwhile moves one of them, and the
	// next call reads again.
	s.cv.memo.Store(&versionMemo{v: n, gen: g, writes: w})
	return n, nil
}

// Ping reports whether the database answers, for telling a lost
// database (503) from a failure of the request (500).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// writeTracer counts the statements this process completes outside a
// transaction that may have written (INSERT, UPDATE, DELETE, MERGE) and
// every COMMIT, each after it has taken effect: a page rendered after
// that is never answered with a version read before it.
type writeTracer struct{ n *atomic.Int64 }

func (t writeTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (t writeTracer) TraceQueryEnd(_ context.Context, conn *pgx.Conn, d pgx.TraceQueryEndData) {
	if d.Err != nil || conn.PgConn().TxStatus() != 'I' {
		return
	}
	tag := d.CommandTag
	if tag.Insert() || tag.Update() || tag.Delete() || tag.String() == "COMMIT" || strings.HasPrefix(tag.String(), "MERGE") {
		t.n.Add(1)
	}
}
