-- The story event log: one row each time a story becomes public, changes
-- while public, or is taken down. It is written in the same transaction as
-- the change, so a consumer (webhooks, WebSub pings, page caches, partners)
-- that reads it in id order never misses or invents an event, even across
-- a crash or a restart. No foreign key: the event outlives a purged story.
CREATE TABLE story_events (
	id       INTEGER PRIMARY KEY,
	story_id INTEGER NOT NULL,
	kind     TEXT NOT NULL CHECK (kind IN ('published', 'updated', 'unpublished', 'killed', 'withheld')),
	version  INTEGER NOT NULL,
	at       INTEGER NOT NULL
) STRICT;
CREATE INDEX story_events_story ON story_events(story_id, id);
