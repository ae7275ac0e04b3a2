// Package sqlshare holds what the two SQL stores (sqlite and postgres)
// share: code that is the same logic on both, written once. It knows no
// driver; what differs between the databases comes in through a Dialect
// that each store supplies. It must not grow store-specific behaviour
// (FTS5 or tsvector search, LISTEN/NOTIFY, PRAGMAs, migrations): that
// stays in the store that owns it.
package sqlshare
