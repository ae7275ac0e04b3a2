-- Related stories, precomputed. story_terms holds each published story's
-- signature (internal/search: its most telling terms and tags, weighted,
-- the vector of length 1); two stories are as related as the dot product
-- of their signatures, which a self-join on term computes.
CREATE TABLE story_terms (
	term     TEXT COLLATE "C" NOT NULL,
	story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	weight   DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (term, story_id)
);
CREATE INDEX story_terms_story ON story_terms(story_id);

-- The best few related stories of each published story, by score.
CREATE TABLE story_auto_related (
	story_id   BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	related_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	score      DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (story_id, related_id)
);
CREATE INDEX story_auto_related_back ON story_auto_related(related_id);

-- Readers' views per story and hour (hours since the Unix epoch, UTC).
-- No cookie, address or agent is stored: only the count.
CREATE TABLE story_views (
	hour     BIGINT NOT NULL,
	story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	views    BIGINT NOT NULL,
	PRIMARY KEY (hour, story_id)
);

-- Existing stories have no signatures yet: ask for a rebuild.
INSERT INTO settings (key, value) VALUES ('search.related_stale', '1')
	ON CONFLICT (key) DO UPDATE SET value = excluded.value;
