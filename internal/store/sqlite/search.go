package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"

	"dateline/internal/story"
)

// indexStory replaces the story's row in the full-text index.
func indexStory(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	if _, err := exec(ctx, tx, "DELETE FROM story_search WHERE rowid = ?", st.ID); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	var tags, names []string
	for _, t := range st.Tags {
		tags = append(tags, t.Name)
	}
	for _, b := range st.Bylines {
		names = append(names, b.Name)
	}
	if st.Source != nil {
		names = append(names, st.Source.Label, st.Source.Name)
	}
	_, err := exec(ctx, tx, `INSERT INTO story_search (rowid, headline, standfirst, body, tags, bylines)
		VALUES (?, ?, ?, ?, ?, ?)`, st.ID, st.Headline, st.Standfirst, story.BodyText(st.Body),
		strings.Join(tags, " "), strings.Join(names, " "))
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

// Search returns published stories matching q, best first: headline
// matches weigh most, then standfirst, tags and names, then body.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]story.Summary, error) {
	match := ftsQuery(q)
	if match == "" {
		return nil, nil
	}
	rows, err := s.read(ctx, "SELECT "+summaryCols+summaryFrom+`
		JOIN (SELECT rowid AS id, bm25(story_search, 10.0, 4.0, 1.0, 3.0, 3.0) AS score
			FROM story_search WHERE story_search MATCH ?) f ON f.id = s.id
		WHERE s.status = 'published'
		ORDER BY f.score, s.first_published_at DESC LIMIT ?`, match, clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	list, err := collect(rows, false)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	if err := s.attachBylines(ctx, list); err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	return list, nil
}

// ftsQuery turns what a reader typed into a safe FTS5 expression: words
// become quoted terms (so NEAR, AND, -, * and quotes are never syntax),
// a quoted phrase stays a phrase, and the last word matches as a prefix.
func ftsQuery(q string) string {
	var parts []string
	for i, chunk := range strings.Split(q, `"`) {
		words := strings.FieldsFunc(chunk, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		if len(words) == 0 {
			continue
		}
		if i%2 == 1 && len(words) > 1 {
			parts = append(parts, `"`+strings.Join(words, " ")+`"`)
			continue
		}
		for _, w := range words {
			parts = append(parts, `"`+w+`"`)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if last := parts[len(parts)-1]; !strings.Contains(last, " ") {
		parts[len(parts)-1] = last + "*"
	}
	return strings.Join(parts, " ")
}
