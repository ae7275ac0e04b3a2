-- content_version counts changes to anything a public page, feed,
-- sitemap or API answer shows (the same tables as SQLite's migration
-- 0016). The page cache compares it with the value an entry was rendered
-- at, so a change made by this process or another one (dateline ingest,
-- a second instance) empties the cache. The counter is a row, not a
-- sequence: its change becomes visible with the transaction that made
-- it, so a page rendered before the commit is never filed under the new
-- value. The triggers fire once per statement, not per row.
CREATE TABLE content_version (
	id BIGINT PRIMARY KEY CHECK (id = 1),
	n  BIGINT NOT NULL
);
INSERT INTO content_version (id, n) VALUES (1, 1);

CREATE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE content_version SET n = n + 1 WHERE id = 1;
	RETURN NULL;
END;
$$;

CREATE TRIGGER stories_cv AFTER INSERT OR UPDATE OR DELETE ON stories FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER story_bylines_cv AFTER INSERT OR UPDATE OR DELETE ON story_bylines FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER story_tags_cv AFTER INSERT OR UPDATE OR DELETE ON story_tags FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER story_related_cv AFTER INSERT OR UPDATE OR DELETE ON story_related FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER story_notes_cv AFTER INSERT OR UPDATE OR DELETE ON story_notes FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER sections_cv AFTER INSERT OR UPDATE OR DELETE ON sections FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER authors_cv AFTER INSERT OR UPDATE OR DELETE ON authors FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER tags_cv AFTER INSERT OR UPDATE OR DELETE ON tags FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER sources_cv AFTER INSERT OR UPDATE OR DELETE ON sources FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER media_cv AFTER INSERT OR UPDATE OR DELETE ON media FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER curation_cv AFTER INSERT OR UPDATE OR DELETE ON curation FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER settings_cv AFTER INSERT OR UPDATE OR DELETE ON settings FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER story_auto_related_cv AFTER INSERT OR UPDATE OR DELETE ON story_auto_related FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
