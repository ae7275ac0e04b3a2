// Package sqlite implements store.Store on an embedded SQLite file
// (modernc.org/sqlite, no cgo). It owns the SQLite schema and its
// migrations; SQL lives here and nowhere else.
package sqlite
