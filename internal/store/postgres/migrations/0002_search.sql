-- The full-text index: one tsvector per story, whatever its status (the
-- newsroom searches drafts too); queries join back to stories for status.
-- The vector is made in Go (package search folds case, diacritics,
-- Turkish i and Arabic letter forms, and stems Arabic light), the same
-- code that parses queries, so no text search configuration or extension
-- (unaccent) is needed: lexemes go in and are matched exactly as written.
-- Weights: A headline, B standfirst and tags, C names, D body.
CREATE TABLE story_search (
	id  BIGINT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
	tsv TSVECTOR NOT NULL
);
CREATE INDEX story_search_tsv ON story_search USING gin (tsv);
