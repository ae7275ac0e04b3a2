-- How copy arrives for each wire source (see the SQLite migration of the
-- same number): a watched folder, a polled feed, publish or queue, and a
-- lease so that one instance at a time works on a source.
CREATE TABLE wire_intake (
	source_id     BIGINT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
	folder        TEXT COLLATE "C" NOT NULL DEFAULT '',
	feed_url      TEXT COLLATE "C" NOT NULL DEFAULT '',
	poll_seconds  BIGINT NOT NULL DEFAULT 0,
	publish       BOOLEAN NOT NULL DEFAULT false,
	etag          TEXT COLLATE "C" NOT NULL DEFAULT '',
	last_modified TEXT COLLATE "C" NOT NULL DEFAULT '',
	polled_at     BIGINT,
	last_error    TEXT COLLATE "C" NOT NULL DEFAULT '',
	lease_holder  TEXT COLLATE "C" NOT NULL DEFAULT '',
	lease_until   BIGINT NOT NULL DEFAULT 0
);

-- The wire desk lists queued items and versions offered to a taken story.
CREATE INDEX wire_items_desk ON wire_items(received_at DESC, id DESC) WHERE state IN ('queued', 'offered');
