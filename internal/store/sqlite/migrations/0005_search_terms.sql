-- The full-text index now holds terms made by Go (internal/search), the
-- same code that parses queries: case, diacritics, Turkish i/ı/İ and
-- Arabic letter forms folded, Arabic light-stemmed. Each column is its
-- terms one space apart, so the 'ascii' tokenizer only splits on spaces
-- and the index holds exactly those terms.
--
-- Contentless: snippets are cut from the stories table, so the text is not
-- stored twice; contentless_delete lets a story's row be replaced. The
-- vocabulary table gives document counts per term, for typo correction
-- and related-story weights.
--
-- dateline_index_text and dateline_body_text are Go functions the store
-- registers with SQLite (store/sqlite/search.go).
DROP TABLE story_search;

CREATE VIRTUAL TABLE story_search USING fts5(
	headline, standfirst, body, tags, names,
	content = '', contentless_delete = 1, tokenize = 'ascii'
);

CREATE VIRTUAL TABLE story_search_vocab USING fts5vocab(story_search, 'row');

INSERT INTO story_search (rowid, headline, standfirst, body, tags, names)
SELECT s.id,
	dateline_index_text(s.headline),
	dateline_index_text(s.standfirst),
	dateline_index_text(dateline_body_text(s.body_json)),
	dateline_index_text(coalesce((SELECT group_concat(t.name, ' ') FROM story_tags st JOIN tags t ON t.id = st.tag_id
		WHERE st.story_id = s.id), '')),
	dateline_index_text(coalesce((SELECT group_concat(coalesce(a.name, b.name), ' ') FROM story_bylines b
		LEFT JOIN authors a ON a.id = b.author_id WHERE b.story_id = s.id), '') || ' ' ||
		coalesce((SELECT src.label || ' ' || src.name FROM sources src WHERE src.id = s.source_id), ''))
FROM stories s;

-- Search joins every match to its story for status, section, language and
-- date; this index answers that without reading the story row (whose body
-- spills onto overflow pages).
CREATE INDEX stories_search_meta ON stories(id, status, section_id, language, first_published_at, created_at);
CREATE INDEX stories_language ON stories(language) WHERE status = 'published';
