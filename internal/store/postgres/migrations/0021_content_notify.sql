-- Several instances on one database learn of a change to public content
-- by LISTEN/NOTIFY (listen.go) instead of reading content_version on
-- every page view. The trigger of migration 0016 now also notifies; a
-- notification is delivered when the writing transaction commits, and
-- PostgreSQL folds identical notifications of one transaction into one,
-- so a story saved with its bylines and tags wakes each listener once.
-- An empty payload: listeners re-read content_version, whose value is
-- what the page cache compares.
CREATE OR REPLACE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE content_version SET n = n + 1 WHERE id = 1;
	PERFORM pg_notify('dateline_content', '');
	RETURN NULL;
END;
$$;
