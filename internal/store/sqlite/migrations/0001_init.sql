-- Dateline's first schema. Times are INTEGER microseconds since the Unix
-- epoch, UTC: they compare and index as numbers and convert without parsing.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE sections (
	id          INTEGER PRIMARY KEY,
	slug        TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	position    INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE media (
	id         INTEGER PRIMARY KEY,
	hash       TEXT NOT NULL,
	mime       TEXT NOT NULL,
	width      INTEGER NOT NULL,
	height     INTEGER NOT NULL,
	bytes      INTEGER NOT NULL,
	caption    TEXT NOT NULL DEFAULT '',
	credit     TEXT NOT NULL DEFAULT '',
	alt        TEXT NOT NULL DEFAULT '',
	focal_x    REAL NOT NULL DEFAULT 0.5,
	focal_y    REAL NOT NULL DEFAULT 0.5,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX media_hash ON media(hash);

CREATE TABLE authors (
	id                INTEGER PRIMARY KEY,
	slug              TEXT NOT NULL UNIQUE,
	name              TEXT NOT NULL,
	role              TEXT NOT NULL DEFAULT '',
	bio               TEXT NOT NULL DEFAULT '',
	portrait_media_id INTEGER REFERENCES media(id)
) STRICT;

CREATE TABLE tags (
	id   INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL
) STRICT;

CREATE TABLE sources (
	id    INTEGER PRIMARY KEY,
	slug  TEXT NOT NULL UNIQUE,
	name  TEXT NOT NULL,
	label TEXT NOT NULL,
	url   TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE stories (
	id                 INTEGER PRIMARY KEY,
	slug               TEXT NOT NULL DEFAULT '',
	language           TEXT NOT NULL,
	type               TEXT NOT NULL CHECK (type IN ('news', 'opinion', 'analysis')),
	status             TEXT NOT NULL,
	section_id         INTEGER NOT NULL REFERENCES sections(id),
	headline           TEXT NOT NULL,
	standfirst         TEXT NOT NULL DEFAULT '',
	lead_media_id      INTEGER REFERENCES media(id),
	lead_caption       TEXT NOT NULL DEFAULT '',
	lead_credit        TEXT NOT NULL DEFAULT '',
	lead_alt           TEXT NOT NULL DEFAULT '',
	source_id          INTEGER REFERENCES sources(id),
	body_json          TEXT NOT NULL,
	body_source        TEXT NOT NULL DEFAULT '',
	word_count         INTEGER NOT NULL DEFAULT 0,
	seo_title          TEXT NOT NULL DEFAULT '',
	seo_description    TEXT NOT NULL DEFAULT '',
	wire_id            TEXT,
	wire_version       INTEGER NOT NULL DEFAULT 0,
	version            INTEGER NOT NULL DEFAULT 1,
	first_published_at INTEGER,
	published_at       INTEGER,
	updated_at         INTEGER,
	created_at         INTEGER NOT NULL,
	modified_at        INTEGER NOT NULL
) STRICT;
-- Every public list is "published, newest first"; partial indexes keep
-- them small and let keyset pagination seek instead of scan.
CREATE INDEX stories_published ON stories(first_published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX stories_section_published ON stories(section_id, first_published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX stories_source_published ON stories(source_id, first_published_at DESC, id DESC) WHERE status = 'published';
CREATE UNIQUE INDEX stories_wire ON stories(source_id, wire_id) WHERE wire_id IS NOT NULL;

CREATE TABLE story_bylines (
	story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	author_id INTEGER REFERENCES authors(id),
	name      TEXT NOT NULL,
	PRIMARY KEY (story_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX story_bylines_author ON story_bylines(author_id, story_id);

CREATE TABLE story_tags (
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	tag_id   INTEGER NOT NULL REFERENCES tags(id),
	position INTEGER NOT NULL,
	PRIMARY KEY (story_id, tag_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX story_tags_tag ON story_tags(tag_id, story_id);

CREATE TABLE story_related (
	story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	related_id INTEGER NOT NULL,
	PRIMARY KEY (story_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE story_notes (
	id       INTEGER PRIMARY KEY,
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	kind     TEXT NOT NULL CHECK (kind IN ('correction', 'update')),
	text     TEXT NOT NULL,
	at       INTEGER NOT NULL
) STRICT;
CREATE INDEX story_notes_story ON story_notes(story_id, at);

CREATE TABLE messages (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('contact', 'feedback')),
	name       TEXT NOT NULL DEFAULT '',
	email      TEXT NOT NULL DEFAULT '',
	subject    TEXT NOT NULL DEFAULT '',
	body       TEXT NOT NULL,
	page       TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	handled_at INTEGER
) STRICT;
CREATE INDEX messages_created ON messages(created_at DESC);
