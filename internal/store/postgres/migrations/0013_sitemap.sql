-- Sitemaps list every published story in blocks of ids (store/sqlite/
-- sitemap.go). This index holds everything an article sitemap entry needs
-- but the section slug and the picture (both small lookups), so a block
-- of 50,000 stories, and its newest date, are read from the index alone,
-- never from story rows, whose bodies spill onto overflow pages. The
-- newest id, which says how many blocks there are, is its last entry.
CREATE INDEX stories_sitemap ON stories(id, section_id, slug, language, lead_media_id, first_published_at, updated_at)
	WHERE status = 'published';
