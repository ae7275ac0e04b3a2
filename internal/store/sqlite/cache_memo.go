package sqlite

import (
	"sync/atomic"
	"time"

	msqlite "modernc.org/sqlite"
)

// localCommits counts the write transactions this process has committed
// on any SQLite store, through a commit hook on every connection: a
// remembered content version stays good while it has not moved.
var localCommits atomic.Int64

func init() {
	msqlite.RegisterConnectionHook(func(c msqlite.ExecQuerierContext, _ string) error {
		if hr, ok := c.(msqlite.HookRegisterer); ok {
			hr.RegisterCommitHook(func() int32 { localCommits.Add(1); return 0 })
		}
		return nil
	})
}

// versionTTL bounds how long a remembered content version is believed
// without asking the database, for writes by other processes (dateline
// ingest, a second instance), which no hook here sees. Every cached page
// view asked the database before: a fifth of the time of a cache hit.
const versionTTL = 100 * time.Millisecond

// versionMemo is the last content version read, with the commit count
// read before it and when.
type versionMemo struct {
	v, commits int64
	at         time.Time
}

// rememberedVersion returns the remembered content version when no commit
// happened in this process since it was read and it is younger than
// versionTTL; ok false means ask the database, then call remember with
// the commit count got here.
func (s *Store) rememberedVersion() (v, commits int64, ok bool) {
	commits = localCommits.Load()
	m := s.cv.Load()
	if m != nil && m.commits == commits && time.Since(m.at) < versionTTL {
		return m.v, commits, true
	}
	return 0, commits, false
}

func (s *Store) remember(v, commits int64, at time.Time) {
	s.cv.Store(&versionMemo{v: v, commits: commits, at: at})
}
