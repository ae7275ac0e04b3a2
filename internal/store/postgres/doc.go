// Package postgres implements store.Store on a PostgreSQL database
// through pgx's database/sql driver. It owns the PostgreSQL schema and
// its migrations; SQL lives here and nowhere else. It behaves as the
// SQLite store does (the shared suite in store/storetest runs on both):
// the same tables, times in microseconds, sentinel errors, ordering and
// keyset cursors. Search uses PostgreSQL's own text search (tsvector,
// tsquery, GIN) on terms folded in Go by package search.
package postgres
