-- The wire desk: every version of every agency item received, queued or
-- not. A separate table rather than a story status, because a queued item
-- is not a story yet (no slug, no search entry, no revisions, not in the
-- newsroom's lists) and the desk needs what stories lack: every version
-- of an item for its history, and the agency's urgency and embargo for
-- its filters. Only an item that is used or published becomes a story,
-- linked by story_id (and by stories.wire_id).
CREATE TABLE wire_items (
	id                 INTEGER PRIMARY KEY,
	source_id          INTEGER NOT NULL REFERENCES sources(id),
	guid               TEXT NOT NULL,
	version            INTEGER NOT NULL,
	pub_status         TEXT NOT NULL CHECK (pub_status IN ('usable', 'withheld', 'canceled')),
	headline           TEXT NOT NULL,
	section_id         INTEGER REFERENCES sections(id),
	urgency            INTEGER NOT NULL DEFAULT 0,
	language           TEXT NOT NULL DEFAULT '',
	embargo_at         INTEGER,
	version_created_at INTEGER,
	received_at        INTEGER NOT NULL,
	state              TEXT NOT NULL,
	story_id           INTEGER REFERENCES stories(id) ON DELETE SET NULL,
	note               TEXT NOT NULL DEFAULT '',
	fingerprint        TEXT NOT NULL DEFAULT '',
	duplicate_of       INTEGER REFERENCES wire_items(id) ON DELETE SET NULL,
	item_json          TEXT NOT NULL,
	UNIQUE (source_id, guid, version)
) STRICT;
CREATE INDEX wire_items_received ON wire_items(received_at DESC, id DESC);
CREATE INDEX wire_items_queue ON wire_items(state, received_at DESC) WHERE state = 'queued';
CREATE INDEX wire_items_guid ON wire_items(guid);
-- Copy another source already sent is found by its fingerprint.
CREATE INDEX wire_items_fingerprint ON wire_items(fingerprint, id);
