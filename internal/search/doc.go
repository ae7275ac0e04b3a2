// Package search is Dateline's text engine, independent of any database:
// it turns text into the terms the full-text index holds and turns what a
// reader typed into a safe index query, using the same normalisation both
// ways (case and diacritic folding, Turkish dotted and dotless i, Arabic
// letter forms and light stemming). It also highlights matches in
// snippets, picks the terms that describe a story for related-story
// matching, corrects typos against the index vocabulary and tells readers
// from robots for view counting.
//
// It does no I/O and imports no store: the store implementations call it,
// so SQLite and PostgreSQL index and match text identically.
package search
