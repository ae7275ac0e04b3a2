// Package ingest carries agency items into the store: it reads a file
// with package wire, routes each news item (section, and publish or
// queue), maps it to a story (source, tags, lead picture, an agency's
// correction note; bylines only for drafts, as copy published on
// arrival is the agency's) and hands it to store.ApplyWire, which
// decides in one transaction what the version does. Every way copy
// arrives goes through it: dateline ingest, the push endpoint, watched
// folders and polled feeds. It holds no SQL and knows nothing of the
// command line or HTTP.
//
// Routing (docs/wire.md). An item's section is, in this order:
//
//  1. the section of the first routing rule (store.WireRoute, in their
//     order) whose conditions all hold: source, subject code or name,
//     keyword;
//  2. else its source's default section, created when missing;
//  3. else the first section one of its subjects names, by slug or name;
//  4. else Options.Section (--section);
//  5. else the first section.
//
// It is published on arrival when Options.Publish says so (--publish,
// whatever the rules say), else when the matching rule says so, else
// when no rule matched and Options.PublishUnrouted says so (the source's
// "on arrival" setting); otherwise it waits in the wire queue. Embargoed
// items are held until their time either way.
//
// Corrections. A version the agency flags as a correction (wire.Item
// Corrected) that updates a published story adds a public correction
// note: the agency's edNote when it gives one it does not keep for the
// receiver, else a line naming the agency in the story's language.
package ingest
