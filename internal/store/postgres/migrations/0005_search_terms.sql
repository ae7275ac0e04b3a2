-- Search joins every match to its story for status, section, language and
-- date; this index answers that without reading the story row.
CREATE INDEX stories_search_meta ON stories(id, status, section_id, language, first_published_at, created_at);
CREATE INDEX stories_language ON stories(language) WHERE status = 'published';
