package store

import "errors"

// ErrNoSpace is returned, wrapped, by a write that failed because the
// disk holding the store is full (SQLite's SQLITE_FULL). The transaction
// was rolled back whole; the same write succeeds once space is freed.
var ErrNoSpace = errors.New("no space left on the store's disk")
