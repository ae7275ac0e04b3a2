// Package intake brings wire copy in while the site runs: it watches
// each source's folder and polls each source's feed, and hands what it
// finds to package ingest, as `dateline ingest` and the push endpoint
// do. Before working on a source it takes that source's lease in the
// store, so of several instances sharing a store only one imports a
// given file or polls a given feed at a time.
//
// It holds no SQL and knows nothing of HTTP handlers or the newsroom.
package intake
