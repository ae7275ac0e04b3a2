-- Tag and author pages sorted every published story of their tag or
-- author to show 13 (524 ms for an author of 75,000 stories at a million).
-- Each byline and tag row now carries its story's list key, listed_at:
-- the story's first_published_at while it is published (and has one),
-- NULL otherwise. An index on (author or tag, listed_at DESC, story_id
-- DESC) holds the list in page order, so a page is a seek and 13 steps.
--
-- Triggers keep the copy exact whatever writes a story: a change of a
-- story's status or first publication carries the new key to its rows
-- (publish, unpublish, the scheduler, a re-dated story, the wire); a row
-- inserted or updated with a key that is not its story's is corrected (a
-- writer that does not know of the column); a story inserted after its
-- rows (the bulk loader queues rows beside their story) gives them its
-- key. Deleting a
-- story deletes its rows by cascade. The writers that do know (the story
-- save, the bulk loader) write the right key at once, so on their path the
-- row triggers only look and write nothing: no second write per row, and
-- no extra step of content_version's per-row triggers (0016) beyond the
-- few rows whose key a publish really changes.
ALTER TABLE story_bylines ADD COLUMN listed_at INTEGER;
ALTER TABLE story_tags ADD COLUMN listed_at INTEGER;

-- The backfill reads the stories through stories_search_meta (0005),
-- which holds id, status and first_published_at: in id order, one pass,
-- each story's rows found by their primary key. Left to itself SQLite
-- walks stories_status_modified and reads every published story's row
-- (bodies and all) in modification order: 2 min 45 s at a million
-- stories, most of it reading 11 GB at random.
UPDATE story_bylines SET listed_at = s.first_published_at
	FROM stories s INDEXED BY stories_search_meta WHERE s.id = story_bylines.story_id AND s.status = 'published';
UPDATE story_tags SET listed_at = s.first_published_at
	FROM stories s INDEXED BY stories_search_meta WHERE s.id = story_tags.story_id AND s.status = 'published';

-- Built after the backfill: one sorted pass instead of a million inserts.
CREATE INDEX story_bylines_listed ON story_bylines(author_id, listed_at DESC, story_id DESC) WHERE listed_at IS NOT NULL;
CREATE INDEX story_tags_listed ON story_tags(tag_id, listed_at DESC, story_id DESC) WHERE listed_at IS NOT NULL;

CREATE TRIGGER stories_listed_update AFTER UPDATE OF status, first_published_at ON stories
	WHEN (CASE WHEN OLD.status = 'published' THEN OLD.first_published_at END)
		IS NOT (CASE WHEN NEW.status = 'published' THEN NEW.first_published_at END)
BEGIN
	UPDATE story_bylines SET listed_at = (CASE WHEN NEW.status = 'published' THEN NEW.first_published_at END)
		WHERE story_id = NEW.id;
	UPDATE story_tags SET listed_at = (CASE WHEN NEW.status = 'published' THEN NEW.first_published_at END)
		WHERE story_id = NEW.id;
END;

CREATE TRIGGER stories_listed_insert AFTER INSERT ON stories
BEGIN
	UPDATE story_bylines SET listed_at = (CASE WHEN NEW.status = 'published' THEN NEW.first_published_at END)
		WHERE story_id = NEW.id AND listed_at IS NOT (CASE WHEN NEW.status = 'published' THEN NEW.first_published_at END);
	UPDATE story_tags SET listed_at = (CASE WHEN NEW.status = 'published' THEN NEW.first_published_at END)
		WHERE story_id = NEW.id AND listed_at IS NOT (CASE WHEN NEW.status = 'published' THEN NEW.first_published_at END);
END;

-- A row inserted, or moved to another story, or given a key by hand,
-- takes its story's key: listed_at only ever holds it. A row whose story
-- is not there yet (the bulk loader) is left alone: stories_listed_insert
-- sets it when the story comes.
CREATE TRIGGER story_bylines_listed_insert AFTER INSERT ON story_bylines
	WHEN EXISTS (SELECT 1 FROM stories s WHERE s.id = NEW.story_id
		AND (CASE WHEN s.status = 'published' THEN s.first_published_at END) IS NOT NEW.listed_at)
BEGIN
	UPDATE story_bylines SET listed_at = (SELECT CASE WHEN s.status = 'published' THEN s.first_published_at END
		FROM stories s WHERE s.id = NEW.story_id)
		WHERE story_id = NEW.story_id AND position = NEW.position;
END;
CREATE TRIGGER story_bylines_listed_update AFTER UPDATE OF story_id, listed_at ON story_bylines
	WHEN EXISTS (SELECT 1 FROM stories s WHERE s.id = NEW.story_id
		AND (CASE WHEN s.status = 'published' THEN s.first_published_at END) IS NOT NEW.listed_at)
BEGIN
	UPDATE story_bylines SET listed_at = (SELECT CASE WHEN s.status = 'published' THEN s.first_published_at END
		FROM stories s WHERE s.id = NEW.story_id)
		WHERE story_id = NEW.story_id AND position = NEW.position;
END;
CREATE TRIGGER story_tags_listed_insert AFTER INSERT ON story_tags
	WHEN EXISTS (SELECT 1 FROM stories s WHERE s.id = NEW.story_id
		AND (CASE WHEN s.status = 'published' THEN s.first_published_at END) IS NOT NEW.listed_at)
BEGIN
	UPDATE story_tags SET listed_at = (SELECT CASE WHEN s.status = 'published' THEN s.first_published_at END
		FROM stories s WHERE s.id = NEW.story_id)
		WHERE story_id = NEW.story_id AND tag_id = NEW.tag_id;
END;
CREATE TRIGGER story_tags_listed_update AFTER UPDATE OF story_id, listed_at ON story_tags
	WHEN EXISTS (SELECT 1 FROM stories s WHERE s.id = NEW.story_id
		AND (CASE WHEN s.status = 'published' THEN s.first_published_at END) IS NOT NEW.listed_at)
BEGIN
	UPDATE story_tags SET listed_at = (SELECT CASE WHEN s.status = 'published' THEN s.first_published_at END
		FROM stories s WHERE s.id = NEW.story_id)
		WHERE story_id = NEW.story_id AND tag_id = NEW.tag_id;
END;
