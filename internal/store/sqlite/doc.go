// Package sqlite implements store.Store on an embedded SQLite file
// (modernc.org/sqlite, no cgo). It owns the SQLite schema and its
// migrations, the connection's PRAGMAs, the prepared-statement cache, the
// index hints the planner needs, and FTS5 search. What it shares with
// the PostgreSQL store is written once in package sqlshare, which runs
// through this package's dialect (shared.go); SQL lives here and there
// and nowhere else.
package sqlite
