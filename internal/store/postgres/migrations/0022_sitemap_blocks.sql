-- The sitemap index gives every block of 50,000 story ids (sitemap.MaxURLs,
-- the size the site asks for; store/postgres/sitemap.go) the newest date of
-- its published stories. A range scan per block read the whole archive on
-- every request for /sitemap.xml; this index is ordered by block, then by
-- that date, so each block's newest is one seek to the end of its run
-- (an index-only scan: the columns the expressions read are included).
CREATE INDEX stories_sitemap_block ON stories (((id - 1) / 50000), (greatest(coalesce(updated_at, 0), coalesce(first_published_at, 0))))
	INCLUDE (id, updated_at, first_published_at)
	WHERE status = 'published';
