package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dateline/internal/search"
	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// BulkCreateStories inserts stories in one transaction, as CreateStory
// would one by one (row, bylines, tags, notes, search index, event),
// except that related lists are not computed per story: call
// RebuildRelated once afterwards, which does for the whole archive what
// each save would do incrementally. Tags must carry their ids (EnsureTag
// them first). For many batches, BeginBulkLoad keeps one connection and
// its cache across them.
func (s *Store) BulkCreateStories(ctx context.Context, stories []*story.Story) error {
	b, err := s.BeginBulkLoad(ctx, false)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.Add(ctx, stories); err != nil {
		return err
	}
	return b.Finish(ctx)
}

// BulkLoader fills a store with an archive (bench-data, imports), many
// stories a transaction, where a transaction per story and a related-story
// search per insert would cost hours at a million stories. One connection
// does all the writing, so its page cache stays warm from batch to batch.
//
// With deferIndexes, the secondary indexes of the story tables are dropped
// at the start and rebuilt, each in one sorted pass, by Finish: inserting
// a million rows into seven indexes on stories, most of them ordered by
// something other than the id, costs far more than building them once.
// Unique indexes stay, so their constraints hold throughout. The indexes
// are also missing for other readers until Finish; a load interrupted
// before it leaves a store without them (fill an empty one again).
type BulkLoader struct {
	s       *Store
	conn    *sql.Conn
	restore []string // pragmas that put the connection back as it was
	indexes []string // CREATE INDEX statements of the dropped indexes
	next    int64    // the id the next story gets
	authors map[int64]string
	// checkKeys: foreign keys are off for the load and checked by Finish.
	checkKeys bool
	done      bool
}

// The tables whose secondary indexes a deferred load drops: every row a
// story write adds lands in one of them.
var bulkTables = []string{"stories", "story_tags", "story_bylines", "story_notes", "story_events", "story_related"}

// BeginBulkLoad takes a connection for a load; Finish (or Close, on an
// error path) gives it back.
func (s *Store) BeginBulkLoad(ctx context.Context, deferIndexes bool) (_ *BulkLoader, err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	b := &BulkLoader{s: s, conn: conn, authors: map[int64]string{}}
	defer func() {
		if err != nil {
			b.Close()
		}
	}()
	var cache, sync int
	if err := conn.QueryRowContext(ctx, "SELECT * FROM pragma_cache_size, pragma_synchronous").Scan(&cache, &sync); err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	b.restore = []string{"PRAGMA cache_size = " + strconv.Itoa(cache), "PRAGMA synchronous = " + strconv.Itoa(sync)}
	// A large cache: the search index's segments and the tag and byline
	// tables are written all over. synchronous OFF: a load that a crash
	// interrupts is started again, so there is nothing to sync for.
	for _, p := range []string{"PRAGMA cache_size = -524288", "PRAGMA synchronous = OFF"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return nil, fmt.Errorf("bulk load: %w", err)
		}
	}
	if deferIndexes {
		// Foreign keys off as well: a multi-row insert into stories makes
		// SQLite look, for every new story, for rows in each table that
		// refers to stories, and with their indexes dropped each look
		// reads a whole table (story_notes): quadratic, hours at a million.
		// Finish checks the keys once, table by table.
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return nil, fmt.Errorf("bulk load: %w", err)
		}
		b.restore = append(b.restore, "PRAGMA foreign_keys = ON")
		b.checkKeys = true
		if err := b.dropIndexes(ctx); err != nil {
			return nil, fmt.Errorf("bulk load: %w", err)
		}
	}
	return b, nil
}

func (b *BulkLoader) dropIndexes(ctx context.Context) error {
	rows, err := b.conn.QueryContext(ctx, `SELECT name, sql FROM sqlite_master
		WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (`+placeholders(len(bulkTables))+`)
		ORDER BY tbl_name, name`, strArgs(bulkTables)...)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			rows.Close()
			return err
		}
		if strings.HasPrefix(strings.ToUpper(text), "CREATE UNIQUE") {
			continue
		}
		names = append(names, name)
		b.indexes = append(b.indexes, text)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range names {
		if _, err := b.conn.ExecContext(ctx, `DROP INDEX "`+n+`"`); err != nil {
			return fmt.Errorf("drop index %s: %w", n, err)
		}
	}
	return nil
}

func strArgs(ss []string) []any {
	a := make([]any, len(ss))
	for i, s := range ss {
		a[i] = s
	}
	return a
}

// Finish rebuilds the dropped indexes and gives the connection back.
func (b *BulkLoader) Finish(ctx context.Context) error {
	if b.done {
		return nil
	}
	for len(b.indexes) > 0 {
		if _, err := b.conn.ExecContext(ctx, b.indexes[0]); err != nil {
			return fmt.Errorf("bulk load: rebuild index: %w", err)
		}
		b.indexes = b.indexes[1:]
	}
	defer b.Close()
	if b.checkKeys {
		if err := b.checkForeignKeys(ctx); err != nil {
			return fmt.Errorf("bulk load: %w", err)
		}
	}
	return nil
}

// checkForeignKeys runs the foreign key check on each table a load wrote
// (one pass over each, index seeks into the parents) and names the first
// row that refers to nothing.
func (b *BulkLoader) checkForeignKeys(ctx context.Context) error {
	for _, t := range bulkTables {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		err := b.conn.QueryRowContext(ctx, "SELECT * FROM pragma_foreign_key_check(?)", t).Scan(&table, &rowid, &parent, &fk)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("foreign key check of %s: %w", t, err)
		}
		return fmt.Errorf("%w: a row of %s (rowid %d) refers to a missing row of %s", store.ErrInvalid, table, rowid.Int64, parent)
	}
	return nil
}

// Close gives the connection back without rebuilding dropped indexes; it
// is for error paths (after Finish it does nothing).
func (b *BulkLoader) Close() {
	if b.done {
		return
	}
	b.done = true
	for _, p := range b.restore {
		b.conn.ExecContext(context.Background(), p)
	}
	b.conn.Close()
}

const bulkStoryCols = `id, slug, language, type, status, section_id, headline, standfirst,
	lead_media_id, lead_caption, lead_credit, lead_alt, source_id, body_json, body_source, word_count,
	seo_title, seo_description, wire_id, wire_version, version,
	first_published_at, published_at, updated_at, created_at, modified_at`

// Add inserts stories in one transaction, many rows a statement. Ids are
// given here, in order, after the highest one in use, as SQLite would.
func (b *BulkLoader) Add(ctx context.Context, stories []*story.Story) error {
	if b.done {
		return errors.New("bulk load: already finished")
	}
	tx, err := b.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bulk create stories: %w", err)
	}
	defer tx.Rollback()
	// Child rows are queued beside their stories and flushed when their
	// own statement fills, which can be before the stories' statement
	// has run: the keys are checked at commit instead (or, with the
	// indexes deferred, by Finish).
	if !b.checkKeys {
		if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
			return fmt.Errorf("bulk create stories: %w", err)
		}
	}
	// The next id: past every story and every row of the search index (a
	// contentless index could hold a row a deleted story left; its docsize
	// table has one row per indexed story, and max(rowid) on the index
	// itself would read every segment).
	if err := tx.QueryRowContext(ctx, `SELECT max(coalesce((SELECT max(id) FROM stories), 0),
		coalesce((SELECT max(id) FROM story_search_docsize), 0)) + 1`).Scan(&b.next); err != nil {
		return fmt.Errorf("bulk create stories: %w", err)
	}
	rows := newInserter(ctx, tx, "stories ("+bulkStoryCols+")", 26, "")
	// listed_at (migration 0023) is written with the rows: its triggers
	// then only look (a row queued before its story is set when the story
	// comes).
	bylines := newInserter(ctx, tx, "story_bylines (story_id, position, author_id, name, listed_at)", 5, "")
	tags := newInserter(ctx, tx, "story_tags (story_id, tag_id, position, listed_at)", 4, " ON CONFLICT DO NOTHING")
	related := newInserter(ctx, tx, "story_related (story_id, position, related_id)", 3, "")
	notes := newInserter(ctx, tx, "story_notes (story_id, kind, text, at)", 4, "")
	events := newInserter(ctx, tx, "story_events (story_id, kind, version, at)", 4, "")
	index := newInserter(ctx, tx, "story_search (rowid, headline, standfirst, body, tags, names)", 6, "")
	all := []*inserter{rows, bylines, tags, related, notes, events, index}
	defer func() {
		for _, in := range all {
			in.Close()
		}
	}()
	now := b.s.now()
	for _, st := range stories {
		if err := b.add(ctx, tx, st, now, rows, bylines, tags, related, notes, events); err != nil {
			return fmt.Errorf("bulk create story %q: %w", st.Headline, err)
		}
	}
	// Child rows need their story rows in place (foreign keys).
	for _, in := range all[:6] {
		if err := in.Flush(); err != nil {
			return fmt.Errorf("bulk create stories: %w", mapErr(err))
		}
	}
	// The search index comes last, in one run: a statement that fires a
	// trigger (every insert above moves the content version) makes FTS5
	// flush its pending rows to a new segment, which interleaved with
	// the inserts meant a segment and a merge per story.
	for _, st := range stories {
		names, err := b.names(ctx, tx, st)
		if err != nil {
			return fmt.Errorf("bulk create story %q: %w", st.Headline, err)
		}
		var tagNames []string
		for _, t := range st.Tags {
			tagNames = append(tagNames, t.Name)
		}
		if err := index.Add(st.ID, search.IndexText(st.Headline), search.IndexText(st.Standfirst),
			search.IndexText(story.BodyText(st.Body)), search.IndexText(strings.Join(tagNames, " ")),
			search.IndexText(strings.Join(names, " "))); err != nil {
			return fmt.Errorf("bulk create story %q: %w", st.Headline, err)
		}
	}
	if err := index.Flush(); err != nil {
		return fmt.Errorf("bulk create stories: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bulk create stories: %w", mapErr(err))
	}
	return nil
}

// add queues one story's rows: what insertStory and writeChildren write,
// and its creation event.
func (b *BulkLoader) add(ctx context.Context, tx *sql.Tx, st *story.Story, now time.Time, rows, bylines, tags, related, notes, events *inserter) error {
	sqlshare.StoryDefaults(st, now)
	a, err := storyArgs(st)
	if err != nil {
		return err
	}
	st.ID = b.next
	b.next++
	if err := rows.Add(append([]any{st.ID}, a...)...); err != nil {
		return mapErr(err)
	}
	listed := sqlshare.ListedAt(st)
	for i, bl := range st.Bylines {
		var aid sql.NullInt64
		if bl.AuthorID > 0 {
			aid = sql.NullInt64{Int64: bl.AuthorID, Valid: true}
		}
		if err := bylines.Add(st.ID, i, aid, bl.Name, listed); err != nil {
			return fmt.Errorf("byline %q: %w", bl.Name, mapErr(err))
		}
	}
	for i := range st.Tags {
		t := &st.Tags[i]
		if t.ID == 0 {
			got, err := ensureTag(ctx, tx, t.Name)
			if err != nil {
				return err
			}
			*t = got
		}
		if err := tags.Add(st.ID, t.ID, i, listed); err != nil {
			return fmt.Errorf("tag %q: %w", t.Name, mapErr(err))
		}
	}
	for i, rid := range st.Related {
		if err := related.Add(st.ID, i, rid); err != nil {
			return fmt.Errorf("related %d: %w", rid, mapErr(err))
		}
	}
	for _, n := range st.Notes {
		if err := notes.Add(st.ID, n.Kind, n.Text, micro(n.At)); err != nil {
			return fmt.Errorf("note: %w", mapErr(err))
		}
	}
	if kind := store.EventKind("", st.Status); kind != "" {
		if err := events.Add(st.ID, kind, st.Version, micro(st.ModifiedAt)); err != nil {
			return fmt.Errorf("record %s event: %w", kind, mapErr(err))
		}
	}
	return nil
}

// names is sqlshare.IndexedNames with the staff's names remembered across
// batches.
func (b *BulkLoader) names(ctx context.Context, tx *sql.Tx, st *story.Story) ([]string, error) {
	var names []string
	for _, bl := range st.Bylines {
		switch {
		case bl.Name != "":
			names = append(names, bl.Name)
		case bl.AuthorID > 0:
			n, ok := b.authors[bl.AuthorID]
			if !ok {
				got, err := sqlshare.IndexedNames(ctx, dialect{}, tx, &story.Story{Bylines: []story.Byline{{AuthorID: bl.AuthorID}}})
				if err != nil {
					return nil, err
				}
				if len(got) == 1 {
					n = got[0]
				}
				b.authors[bl.AuthorID] = n
			}
			if n != "" {
				names = append(names, n)
			}
		}
	}
	if st.Source != nil {
		names = append(names, st.Source.Label, st.Source.Name)
	}
	return names, nil
}
