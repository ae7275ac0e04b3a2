// Package site serves the public news site: front, section, story, tag,
// author and source pages, the transparency pages, the reader forms and
// the error pages. Handlers parse input, ask the store, and render typed
// page data through the embedded templates; they hold no SQL.
package site
