// Package story is the domain of Dateline: stories, their body blocks,
// sections, authors, tags, wire sources and media references, with the
// rules that need no I/O (reading time, slugs, validation, the body syntax).
//
// It must not import the store, HTTP or templates: everything else depends
// on it, never the other way round.
package story
