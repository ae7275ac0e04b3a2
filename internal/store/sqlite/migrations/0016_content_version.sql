-- content_version counts changes to anything a public page, feed,
-- sitemap or API answer shows. The page cache compares it with the value
-- an entry was rendered at, so a change made by this process or by
-- another one on the same file (dateline ingest while the site runs)
-- empties the cache at once. Sessions, audit entries, revisions, reader
-- messages and view counts do not show on public pages and do not count;
-- Most read is refreshed by the cache's maximum age instead.
CREATE TABLE content_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  INTEGER NOT NULL
) STRICT;
INSERT INTO content_version (id, n) VALUES (1, 1);

CREATE TRIGGER stories_insert_cv AFTER INSERT ON stories BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER stories_update_cv AFTER UPDATE ON stories BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER stories_delete_cv AFTER DELETE ON stories BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_bylines_insert_cv AFTER INSERT ON story_bylines BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_bylines_update_cv AFTER UPDATE ON story_bylines BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_bylines_delete_cv AFTER DELETE ON story_bylines BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_tags_insert_cv AFTER INSERT ON story_tags BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_tags_update_cv AFTER UPDATE ON story_tags BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_tags_delete_cv AFTER DELETE ON story_tags BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_related_insert_cv AFTER INSERT ON story_related BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_related_update_cv AFTER UPDATE ON story_related BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_related_delete_cv AFTER DELETE ON story_related BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_notes_insert_cv AFTER INSERT ON story_notes BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_notes_update_cv AFTER UPDATE ON story_notes BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_notes_delete_cv AFTER DELETE ON story_notes BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sections_insert_cv AFTER INSERT ON sections BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sections_update_cv AFTER UPDATE ON sections BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sections_delete_cv AFTER DELETE ON sections BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER authors_insert_cv AFTER INSERT ON authors BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER authors_update_cv AFTER UPDATE ON authors BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER authors_delete_cv AFTER DELETE ON authors BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER tags_insert_cv AFTER INSERT ON tags BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER tags_update_cv AFTER UPDATE ON tags BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER tags_delete_cv AFTER DELETE ON tags BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sources_insert_cv AFTER INSERT ON sources BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sources_update_cv AFTER UPDATE ON sources BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sources_delete_cv AFTER DELETE ON sources BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER media_insert_cv AFTER INSERT ON media BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER media_update_cv AFTER UPDATE ON media BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER media_delete_cv AFTER DELETE ON media BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER curation_insert_cv AFTER INSERT ON curation BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER curation_update_cv AFTER UPDATE ON curation BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER curation_delete_cv AFTER DELETE ON curation BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER settings_insert_cv AFTER INSERT ON settings BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER settings_update_cv AFTER UPDATE ON settings BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER settings_delete_cv AFTER DELETE ON settings BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_auto_related_insert_cv AFTER INSERT ON story_auto_related BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_auto_related_update_cv AFTER UPDATE ON story_auto_related BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER story_auto_related_delete_cv AFTER DELETE ON story_auto_related BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
