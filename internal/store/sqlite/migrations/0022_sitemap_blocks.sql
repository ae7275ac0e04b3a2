-- The sitemap index gives every block of 50,000 story ids (sitemap.MaxURLs,
-- the size the site asks for; store/sqlite/sitemap.go) the newest date of
-- its published stories. A range scan of stories_sitemap per block read
-- the whole archive on every request for /sitemap.xml (about 700 ms at a
-- million stories); this index is ordered by block, then by that date, so
-- each block's newest is one seek to the end of its run.
CREATE INDEX stories_sitemap_block ON stories((id - 1) / 50000, max(coalesce(updated_at, 0), coalesce(first_published_at, 0)),
	updated_at, first_published_at)
	WHERE status = 'published';
