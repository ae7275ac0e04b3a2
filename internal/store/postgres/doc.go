// Package postgres implements store.Store on a PostgreSQL database
// through pgx's database/sql driver. It owns the PostgreSQL schema and
// its migrations, LISTEN/NOTIFY, advisory locks and its text search
// (tsvector, tsquery, GIN, on terms folded in Go by package search).
// What it shares with the SQLite store is written once in package
// sqlshare, which runs through this package's dialect (shared.go); SQL
// lives here and there and nowhere else. It behaves as the SQLite store
// does (the shared suite in store/storetest runs on both): the same
// tables, times in microseconds, sentinel errors, ordering and keyset
// cursors.
package postgres
