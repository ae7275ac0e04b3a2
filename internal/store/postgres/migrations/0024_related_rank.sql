-- A story page's Explore list takes the few best of a story's automatic
-- related stories (story_auto_related, about a dozen a story). By the
-- primary key (story_id, related_id) it had to read every one of them,
-- with its story's row, and sort them by score; this index holds them in
-- score order, so the page reads only as many as it shows.
CREATE INDEX story_auto_related_rank ON story_auto_related(story_id, score DESC, related_id DESC);
