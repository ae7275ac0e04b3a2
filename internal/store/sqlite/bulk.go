package sqlite

import (
	"context"
	"fmt"
	"strconv"

	"dateline/internal/story"
)

// BulkCreateStories inserts stories in one transaction, as CreateStory
// would one by one (row, bylines, tags, notes, search index, event),
// except that related lists are not computed per story: call
// RebuildRelated once afterwards, which does for the whole archive what
// each save would do incrementally. It is for filling a store with an
// archive (bench-data, imports), where a transaction per story and a
// related-story search per insert would cost hours at a million stories.
// Tags must carry their ids (EnsureTag them first).
func (s *Store) BulkCreateStories(ctx context.Context, stories []*story.Story) error {
	// A bigger page cache on the one connection that writes: the inserts
	// land all over the tag, byline and search indexes.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("bulk create stories: %w", err)
	}
	defer conn.Close()
	var cache int
	if err := conn.QueryRowContext(ctx, "SELECT * FROM pragma_cache_size").Scan(&cache); err != nil {
		return fmt.Errorf("bulk create stories: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -131072"); err != nil {
		return fmt.Errorf("bulk create stories: %w", err)
	}
	defer conn.ExecContext(context.Background(), "PRAGMA cache_size = "+strconv.Itoa(cache))
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bulk create stories: %w", err)
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO stories (slug, language, type, status, section_id, headline, standfirst,
		lead_media_id, lead_caption, lead_credit, lead_alt, source_id, body_json, body_source, word_count,
		seo_title, seo_description, wire_id, wire_version, version,
		first_published_at, published_at, updated_at, created_at, modified_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("bulk create stories: %w", err)
	}
	defer ins.Close()
	now := s.now()
	for _, st := range stories {
		if st.CreatedAt.IsZero() {
			st.CreatedAt = now
		}
		if st.ModifiedAt.IsZero() {
			st.ModifiedAt = now
		}
		if st.Version == 0 {
			st.Version = 1
		}
		a, err := storyArgs(st)
		if err != nil {
			return fmt.Errorf("bulk create story %q: %w", st.Headline, err)
		}
		res, err := ins.ExecContext(ctx, a...)
		if err != nil {
			return fmt.Errorf("bulk create story %q: %w", st.Headline, mapErr(err))
		}
		if st.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("bulk create story %q: %w", st.Headline, err)
		}
		if err := s.writeChildren(ctx, tx, st); err != nil {
			return fmt.Errorf("bulk create story %q: %w", st.Headline, err)
		}
		if err := recordEvent(ctx, tx, "", st, micro(st.ModifiedAt)); err != nil {
			return fmt.Errorf("bulk create story %q: %w", st.Headline, err)
		}
	}
	// The search index comes last, in one run: a statement that fires a
	// trigger (every insert above moves the content version) makes FTS5
	// flush its pending rows to a new segment, which interleaved with
	// the inserts meant a segment and a merge per story.
	for _, st := range stories {
		if err := indexText(ctx, tx, st); err != nil {
			return fmt.Errorf("bulk create story %q: %w", st.Headline, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bulk create stories: %w", mapErr(err))
	}
	return nil
}
