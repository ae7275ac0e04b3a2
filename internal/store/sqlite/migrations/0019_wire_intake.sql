-- How copy arrives for each wire source, beside the push tokens of 0015:
-- a watched folder, a feed polled on an interval, and whether what
-- arrives is published at once or queued for the desk. The lease columns
-- let one instance at a time work on a source: a run takes the row with
-- UPDATE ... WHERE lease_until < now, so two instances never import the
-- same file or poll twice.
CREATE TABLE wire_intake (
	source_id     INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
	folder        TEXT NOT NULL DEFAULT '',
	feed_url      TEXT NOT NULL DEFAULT '',
	poll_seconds  INTEGER NOT NULL DEFAULT 0,
	publish       INTEGER NOT NULL DEFAULT 0,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	polled_at     INTEGER,
	last_error    TEXT NOT NULL DEFAULT '',
	lease_holder  TEXT NOT NULL DEFAULT '',
	lease_until   INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The wire desk lists queued items and later versions offered to a story
-- the newsroom has taken, newest first.
CREATE INDEX wire_items_desk ON wire_items(received_at DESC, id DESC) WHERE state IN ('queued', 'offered');
