// Package api is Dateline's read-only content API under /api/: stories as
// IPTC ninjs documents (3.x, and 2.x on request), sections, authors and
// tags, and the OpenAPI description of all of it. Published stories are
// public; a bearer key (made by an admin in the newsroom) also opens
// drafts and other stories readers cannot see.
//
// It only reads stories: it writes nothing but a key's last use. Every
// answer, errors included, is JSON; it never renders the site's HTML.
package api
