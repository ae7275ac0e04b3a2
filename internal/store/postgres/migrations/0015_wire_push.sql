-- Tokens of the wire push endpoint, POST /api/v1/wire/{source}: one per
-- source, kept as the SHA-256 of the token (which has 256 random bits,
-- so a plain hash suffices), so a copy of the database cannot push. publish
-- says whether pushed items go out at once or wait in the wire queue.
CREATE TABLE wire_push_tokens (
	source_id  BIGINT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
	token_hash TEXT COLLATE "C" NOT NULL,
	publish    BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);
