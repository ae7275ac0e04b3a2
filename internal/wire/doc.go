// Package wire reads agency copy: IPTC NewsML-G2 (single items or a
// newsMessage envelope), IPTC ninjs 1.x, 2.x and 3.x JSON, and RSS, Atom
// and JSON Feed. Parse detects the format from the bytes, never from a
// file name, and turns each item into a normalised Item whose body is
// already sanitised into story blocks by an allow-list.
//
// It is pure: it reads the bytes it is given and nothing else. It does no
// I/O, fetches no pictures and knows nothing of the store; deciding what
// an item does to a story is the ingest's job.
package wire
