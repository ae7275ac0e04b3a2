-- Content API keys. Only the SHA-256 of a key is kept: the key itself is
-- shown once to the admin who made it, so a copy of the database gives no
-- access. Revoked keys stay, so the list shows who had access and when.
CREATE TABLE api_keys (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL CHECK (name <> ''),
	hash         TEXT NOT NULL UNIQUE CHECK (hash <> ''),
	created_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER,
	revoked_at   INTEGER
) STRICT;

-- The API's change list (?updated_since=) walks stories by modification
-- time, published or taken down, oldest change first.
CREATE INDEX stories_modified ON stories(modified_at, id);
