-- The newsroom: staff accounts, sessions, the audit log, story workflow
-- (owner, schedule, spike, pending revisions), curation and the breaking
-- news banner.

CREATE TABLE users (
	id                  INTEGER PRIMARY KEY,
	email               TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name                TEXT NOT NULL,
	role                TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reporter')),
	password_hash       TEXT NOT NULL,
	author_id           INTEGER REFERENCES authors(id),
	disabled            INTEGER NOT NULL DEFAULT 0,
	created_at          INTEGER NOT NULL,
	password_changed_at INTEGER NOT NULL
) STRICT;

-- A session is known by the SHA-256 of its cookie token, so a copy of the
-- database does not hold usable sessions.
CREATE TABLE sessions (
	id           TEXT PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at   INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins by key ("account:EMAIL" or "ip:ADDR"), for throttling that
-- holds across restarts and instances.
CREATE TABLE login_failures (
	key TEXT NOT NULL,
	at  INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_key ON login_failures(key, at);

CREATE TABLE audit_log (
	id      INTEGER PRIMARY KEY,
	at      INTEGER NOT NULL,
	user_id INTEGER REFERENCES users(id),
	actor   TEXT NOT NULL,
	action  TEXT NOT NULL,
	target  TEXT NOT NULL DEFAULT '',
	detail  TEXT NOT NULL DEFAULT '',
	ip      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at DESC);

ALTER TABLE stories ADD COLUMN owner_id INTEGER REFERENCES users(id);
ALTER TABLE stories ADD COLUMN scheduled_at INTEGER;
ALTER TABLE stories ADD COLUMN spiked_at INTEGER;
ALTER TABLE stories ADD COLUMN breaking_until INTEGER;
CREATE INDEX stories_status_modified ON stories(status, modified_at DESC);
CREATE INDEX stories_owner ON stories(owner_id, modified_at DESC);
CREATE INDEX stories_scheduled ON stories(scheduled_at) WHERE status = 'scheduled';
CREATE INDEX stories_breaking ON stories(breaking_until) WHERE breaking_until IS NOT NULL;

-- Every save is a revision: a JSON snapshot of the editable story. A
-- pending revision of a published story is staged: readers see the story
-- row until an editor publishes the revision into it.
CREATE TABLE story_revisions (
	id         INTEGER PRIMARY KEY,
	story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	number     INTEGER NOT NULL,
	user_id    INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	pending    INTEGER NOT NULL DEFAULT 0,
	snapshot   TEXT NOT NULL,
	UNIQUE (story_id, number)
) STRICT;

-- Editors' choice of lead and top stories per scope: 'front' or a section slug.
CREATE TABLE curation (
	scope    TEXT NOT NULL,
	position INTEGER NOT NULL,
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	PRIMARY KEY (scope, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX messages_handled ON messages(handled_at, created_at DESC);
