-- Full-text index of published and unpublished stories alike; queries
-- join back to stories for status. unicode61 with remove_diacritics 2
-- folds case and accents (Türkiye matches turkiye).
CREATE VIRTUAL TABLE story_search USING fts5(
	headline, standfirst, body, tags, bylines,
	tokenize = 'unicode61 remove_diacritics 2'
);
