-- Counts of the telling terms of published stories (package search: no
-- stop words, numbers or short words), and of the tag (#slug) and language
-- (@xx) keys of related-story signatures. They weigh terms for related
-- stories, give search the forms a word takes in the archive (flood:
-- floods, flooding) and correct typing slips, all without counting
-- through the full-text index. The row with the empty term counts the
-- published stories themselves.
CREATE TABLE search_terms (
	id   INTEGER PRIMARY KEY,
	term TEXT NOT NULL UNIQUE,
	docs INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO search_terms (term, docs) VALUES ('', 0);

-- Each published story's counted terms (search_terms ids, ascending, as
-- delta-coded unsigned varints), so that a change or a takedown can take
-- its old terms off the counts.
CREATE TABLE story_profiles (
	story_id INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
	terms    BLOB NOT NULL
) STRICT;

-- Existing stories are not counted yet: ask for a rebuild.
INSERT INTO settings (key, value) VALUES ('search.related_stale', '1')
	ON CONFLICT (key) DO UPDATE SET value = excluded.value;

-- The counts answer what the index vocabulary did, without counting
-- through the index.
DROP TABLE story_search_vocab;
