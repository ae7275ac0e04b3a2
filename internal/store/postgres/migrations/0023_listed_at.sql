-- Tag and author pages sorted every published story of their tag or
-- author to show 13. Each byline and tag row now carries its story's list
-- key, listed_at: the story's first_published_at while it is published
-- (and has one), NULL otherwise. An index on (author or tag, listed_at
-- DESC, story_id DESC) holds the list in page order, so a page is a seek
-- and 13 steps (the same as SQLite's migration 0023).
--
-- Triggers keep the copy exact whatever writes a story: a row inserted,
-- moved to another story or given a key by hand takes its story's key
-- (BEFORE: no second write); a change of a story's status or first
-- publication carries the new key to its rows (publish, unpublish, the
-- scheduler, a re-dated story, the wire). Deleting a story deletes its
-- rows by cascade. The story trigger runs only when the key changes, so
-- an ordinary save costs nothing more, and a publish two more UPDATE
-- statements, each moving content_version once (0016 counts statements)
-- inside the same transaction and its one notification.
ALTER TABLE story_bylines ADD COLUMN listed_at BIGINT;
ALTER TABLE story_tags ADD COLUMN listed_at BIGINT;

UPDATE story_bylines b SET listed_at = s.first_published_at
	FROM stories s WHERE s.id = b.story_id AND s.status = 'published' AND s.first_published_at IS NOT NULL;
UPDATE story_tags t SET listed_at = s.first_published_at
	FROM stories s WHERE s.id = t.story_id AND s.status = 'published' AND s.first_published_at IS NOT NULL;

CREATE INDEX story_bylines_listed ON story_bylines (author_id, listed_at DESC, story_id DESC) WHERE listed_at IS NOT NULL;
CREATE INDEX story_tags_listed ON story_tags (tag_id, listed_at DESC, story_id DESC) WHERE listed_at IS NOT NULL;

CREATE FUNCTION story_row_listed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.listed_at := (SELECT CASE WHEN s.status = 'published' THEN s.first_published_at END
		FROM stories s WHERE s.id = NEW.story_id);
	RETURN NEW;
END;
$$;

CREATE TRIGGER story_bylines_listed BEFORE INSERT OR UPDATE OF story_id, listed_at ON story_bylines
	FOR EACH ROW EXECUTE FUNCTION story_row_listed_at();
CREATE TRIGGER story_tags_listed BEFORE INSERT OR UPDATE OF story_id, listed_at ON story_tags
	FOR EACH ROW EXECUTE FUNCTION story_row_listed_at();

-- (The rows' own trigger would set the same key whatever this writes:
-- listed_at only ever holds its story's key.)
CREATE FUNCTION stories_listed_at() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	k BIGINT := CASE WHEN NEW.status = 'published' THEN NEW.first_published_at END;
BEGIN
	UPDATE story_bylines SET listed_at = k WHERE story_id = NEW.id;
	UPDATE story_tags SET listed_at = k WHERE story_id = NEW.id;
	RETURN NULL;
END;
$$;

CREATE TRIGGER stories_listed AFTER UPDATE OF status, first_published_at ON stories
	FOR EACH ROW
	WHEN ((CASE WHEN OLD.status = 'published' THEN OLD.first_published_at END)
		IS DISTINCT FROM (CASE WHEN NEW.status = 'published' THEN NEW.first_published_at END))
	EXECUTE FUNCTION stories_listed_at();
