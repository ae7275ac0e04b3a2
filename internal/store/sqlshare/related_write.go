package sqlshare

// The writing half of a related-story rebuild: counts, profiles,
// signatures and lists, many rows a statement.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"dateline/internal/store"
)

// writeCounts sets search_terms to the rebuild's counts and returns the
// table's id of every term, by the rebuild's number.
func (rb *rebuild) writeCounts(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	if _, err := Exec(ctx, rb.c.d, tx, "UPDATE search_terms SET docs = 0 WHERE docs <> 0"); err != nil {
		return nil, err
	}
	ins := NewInserter(ctx, rb.c.d, tx, "search_terms (term, docs)", 2,
		" ON CONFLICT (term) DO UPDATE SET docs = excluded.docs")
	if err := ins.Add("", len(rb.docs)); err != nil {
		return nil, err
	}
	for i, t := range rb.terms {
		if err := ins.Add(t, rb.df[i]); err != nil {
			return nil, err
		}
	}
	if err := ins.Flush(); err != nil {
		return nil, err
	}
	global := make([]int64, len(rb.terms))
	err := rb.c.eachRow(ctx, tx, func(r *sql.Rows) error {
		var id int64
		var t string
		err := r.Scan(&id, &t)
		if n, ok := rb.ids[t]; ok {
			global[n] = id
		}
		return err
	}, "SELECT id, term FROM search_terms")
	return global, err
}

// chunkPair is a row of a chunk's story: a term, or a related id in
// decimal, beside the story's id.
type chunkPair struct {
	id  int64
	key string
}

// unchanged returns which of docs are still published and unmodified
// since the rebuild first read them: only they are written. Their status
// is read by id; their modification time only where it is recent (see
// rebuild.since): it lies after the body in a story's row, so reading it
// by id walked every story's body pages, twice a rebuild (a quarter of
// its reads at 100,000 stories, and the writer's page cache filled with
// bodies), where status lies before the body, on the row's first page.
func (rb *rebuild) unchanged(ctx context.Context, tx *sql.Tx, docs []relDoc) (map[int64]bool, error) {
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.id
	}
	published := map[int64]bool{}
	for _, part := range SplitIDs(ids, 500) {
		// The status is checked here, not in the query: with it there,
		// SQLite walked the index on status, every published story for
		// each 500, instead of looking the 500 up by id.
		err := rb.c.eachRow(ctx, tx, func(r *sql.Rows) error {
			var id int64
			var status string
			err := r.Scan(&id, &status)
			published[id] = status == "published"
			return err
		}, "SELECT id, status FROM stories WHERE id IN ("+Placeholders(len(part))+")", Int64Args(part)...)
		if err != nil {
			return nil, err
		}
	}
	recent := map[int64]int64{}
	err := rb.c.eachRow(ctx, tx, func(r *sql.Rows) error {
		var id, mod int64
		err := r.Scan(&id, &mod)
		recent[id] = mod
		return err
	}, "SELECT id, modified_at FROM stories"+rb.c.d.IndexedBy("stories_modified")+" WHERE modified_at >= ?", rb.since)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(docs))
	for _, d := range docs {
		if mod, ok := recent[d.id]; published[d.id] && (!ok || mod == d.modified) {
			out[d.id] = true
		}
	}
	return out, nil
}

// oldRows returns the (story_id, column) rows of table for the stories
// to be written, column a term or a related id.
func (rb *rebuild) oldRows(ctx context.Context, tx *sql.Tx, write map[int64]bool, table, column string, numeric bool) (map[chunkPair]bool, error) {
	ids := make([]int64, 0, len(write))
	for id := range write {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := map[chunkPair]bool{}
	for _, part := range SplitIDs(ids, 500) {
		err := rb.c.eachRow(ctx, tx, func(r *sql.Rows) error {
			var p chunkPair
			var err error
			if numeric {
				var n int64
				err = r.Scan(&p.id, &n)
				p.key = strconv.FormatInt(n, 10)
			} else {
				err = r.Scan(&p.id, &p.key)
			}
			out[p] = true
			return err
		}, "SELECT story_id, "+column+" FROM "+table+" WHERE story_id IN ("+Placeholders(len(part))+")", Int64Args(part)...)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// deleteStale deletes the rows left in stale, many a statement: sqlText
// ends in "IN (VALUES ", row is one row's values, typed (PostgreSQL takes
// an untyped parameter in VALUES for text).
func (rb *rebuild) deleteStale(ctx context.Context, tx *sql.Tx, stale map[chunkPair]bool, sqlText, row string, value func(chunkPair) any) error {
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		_, err := Exec(ctx, rb.c.d, tx, sqlText+repeatJoin(row, len(args)/2)+")", args...)
		args = args[:0]
		return err
	}
	for p := range stale {
		if args = append(args, p.id, value(p)); len(args) == 2*RowsPerInsert {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// writeSignatures replaces the profiles and signatures of a chunk's
// stories in one transaction, leaving out stories that changed since they
// were first read. Most rows come out as they were, so rows are upserted
// (a value that did not change is not even written) and only those no
// longer wanted are deleted: a third of the page work of deleting and
// inserting everything.
func (rb *rebuild) writeSignatures(ctx context.Context, conn *sql.Conn, ch *sigChunk) error {
	docs := rb.docs[ch.from:ch.to]
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	write, err := rb.unchanged(ctx, tx, docs)
	if err != nil {
		return err
	}
	old, err := rb.oldRows(ctx, tx, write, "story_terms", "term", false)
	if err != nil {
		return err
	}
	type termRow struct {
		term int32
		id   int64
		w    float64
	}
	var terms []termRow
	profiles := NewInserter(ctx, rb.c.d, tx, "story_profiles (story_id, terms)", 2,
		" ON CONFLICT (story_id) DO UPDATE SET terms = excluded.terms WHERE story_profiles.terms <> excluded.terms")
	for i, d := range docs {
		if !write[d.id] || !ch.read[i] {
			continue
		}
		if err := profiles.Add(d.id, ch.profiles[i]); err != nil {
			return err
		}
		for _, tw := range ch.sigs[i] {
			terms = append(terms, termRow{tw.term, d.id, tw.w})
			delete(old, chunkPair{d.id, rb.terms[tw.term]})
		}
	}
	if err := profiles.Flush(); err != nil {
		return err
	}
	profiles.Close()
	// In the table's own order, so consecutive rows land on the same pages.
	sort.Slice(terms, func(i, j int) bool {
		a, b := rb.terms[terms[i].term], rb.terms[terms[j].term]
		return a < b || a == b && terms[i].id < terms[j].id
	})
	ins := NewInserter(ctx, rb.c.d, tx, "story_terms (term, story_id, weight)", 3,
		" ON CONFLICT (term, story_id) DO UPDATE SET weight = excluded.weight WHERE story_terms.weight <> excluded.weight")
	for _, r := range terms {
		if err := ins.Add(rb.terms[r.term], r.id, r.w); err != nil {
			return err
		}
	}
	if err := ins.Flush(); err != nil {
		return err
	}
	ins.Close()
	if err := rb.deleteStale(ctx, tx, old, "DELETE FROM story_terms WHERE (story_id, term) IN (VALUES ",
		"(CAST(? AS BIGINT), CAST(? AS TEXT))", func(p chunkPair) any { return p.key }); err != nil {
		return err
	}
	return tx.Commit()
}

// writeLists replaces the related lists of docs in one transaction,
// leaving out stories that changed since they were read, upserting as
// writeSignatures does.
func (rb *rebuild) writeLists(ctx context.Context, conn *sql.Conn, docs []relDoc, lists [][]Scored) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	write, err := rb.unchanged(ctx, tx, docs)
	if err != nil {
		return err
	}
	old, err := rb.oldRows(ctx, tx, write, "story_auto_related", "related_id", true)
	if err != nil {
		return err
	}
	ins := NewInserter(ctx, rb.c.d, tx, "story_auto_related (story_id, related_id, score)", 3,
		" ON CONFLICT (story_id, related_id) DO UPDATE SET score = excluded.score WHERE story_auto_related.score <> excluded.score")
	for i, d := range docs {
		if !write[d.id] {
			continue
		}
		for _, c := range lists[i] {
			if err := ins.Add(d.id, c.ID, c.Score); err != nil {
				return err
			}
			delete(old, chunkPair{d.id, strconv.FormatInt(c.ID, 10)})
		}
	}
	if err := ins.Flush(); err != nil {
		return err
	}
	ins.Close()
	if err := rb.deleteStale(ctx, tx, old, "DELETE FROM story_auto_related WHERE (story_id, related_id) IN (VALUES ",
		"(CAST(? AS BIGINT), CAST(? AS BIGINT))", func(p chunkPair) any {
			n, _ := strconv.ParseInt(p.key, 10, 64)
			return n
		}); err != nil {
		return err
	}
	return tx.Commit()
}

// eachRow runs a query and calls fn for each row.
func (c *Core) eachRow(ctx context.Context, q Querier, fn func(*sql.Rows) error, sqlText string, args ...any) error {
	rows, err := Query(ctx, c.d, q, sqlText, args...)
	return EachRow(rows, err, fn)
}

// EachRow calls fn on each row of a query's result, as the query returns it.
func EachRow(rows *sql.Rows, err error, fn func(*sql.Rows) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// writeTerms inserts the chunks' signatures into an emptied story_terms,
// many rows a statement.
func (rb *rebuild) writeTerms(ctx context.Context, tx *sql.Tx, chunks []*sigChunk) error {
	ins := NewInserter(ctx, rb.c.d, tx, "story_terms (term, story_id, weight)", 3, "")
	for _, ch := range chunks {
		for i, sig := range ch.sigs {
			for _, tw := range sig {
				if err := ins.Add(rb.terms[tw.term], rb.docs[ch.from+i].id, tw.w); err != nil {
					return err
				}
			}
		}
	}
	return ins.Flush()
}

// write inserts the lists into an emptied story_auto_related, many rows a
// statement.
func (rb *rebuild) write(ctx context.Context, tx *sql.Tx, lists [][]Scored) error {
	docs := rb.docs
	ins := NewInserter(ctx, rb.c.d, tx, "story_auto_related (story_id, related_id, score)", 3, "")
	for i, d := range docs {
		for _, c := range lists[i] {
			if err := ins.Add(d.id, c.ID, c.Score); err != nil {
				return err
			}
		}
	}
	return ins.Flush()
}

// Inserter batches rows into multi-row INSERT statements, with an
// optional conflict clause. A full batch always has the same text, so it
// is prepared once: parsing a 300-row statement costs more than running it.
type Inserter struct {
	d          Dialect
	ctx        context.Context
	tx         *sql.Tx
	table, end string
	row        string // "(?, ?, ?)"
	b          strings.Builder
	args       []any
	n          int
	full       *sql.Stmt
}

// RowsPerInsert is how many rows one multi-row INSERT carries.
const RowsPerInsert = 300

func NewInserter(ctx context.Context, d Dialect, tx *sql.Tx, table string, columns int, onConflict string) *Inserter {
	return &Inserter{d: d, ctx: ctx, tx: tx, table: table, end: onConflict, row: "(" + Placeholders(columns) + ")"}
}

func (in *Inserter) Add(values ...any) error {
	if in.n > 0 {
		in.b.WriteString(", ")
	}
	in.b.WriteString(in.row)
	in.args = append(in.args, values...)
	if in.n++; in.n == RowsPerInsert {
		return in.Flush()
	}
	return nil
}

func (in *Inserter) Flush() error {
	if in.n == 0 {
		return nil
	}
	text := "INSERT INTO " + in.table + " VALUES " + in.b.String() + in.end
	var err error
	switch {
	case in.n < RowsPerInsert:
		_, err = Exec(in.ctx, in.d, in.tx, text, in.args...)
	default:
		if in.full == nil {
			if in.full, err = in.tx.PrepareContext(in.ctx, in.d.Rebind(text)); err != nil {
				return err
			}
		}
		store.CountQuery(in.ctx)
		_, err = in.full.ExecContext(in.ctx, in.args...)
	}
	in.b.Reset()
	in.args, in.n = in.args[:0], 0
	return err
}

// Close releases the prepared statement; the transaction's end would too.
func (in *Inserter) Close() {
	if in.full != nil {
		in.full.Close()
	}
}

// SplitIDs cuts ids into runs of at most n.
func SplitIDs(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// markBuilt records that the lists are fresh, and for how many published
// stories, so RelatedStale can tell when word weights have drifted.
func (c *Core) markBuilt(ctx context.Context, tx *sql.Tx, docs int) error {
	for k, v := range map[string]string{"search.related_stale": "0", "search.related_built": strconv.Itoa(docs)} {
		if _, err := Exec(ctx, c.d, tx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return err
		}
	}
	return nil
}

// RelatedStale reports whether a rebuild is due: a migration asked for
// one, or a large archive has more than doubled since the last (word
// weights depend on its size; a small one rebuilds as it goes).
func (c *Core) RelatedStale(ctx context.Context) (bool, error) {
	var stale, built sql.NullString
	var docs int
	err := c.d.ReadRow(ctx, `SELECT (SELECT value FROM settings WHERE key = 'search.related_stale'),
		(SELECT value FROM settings WHERE key = 'search.related_built'),
		(SELECT coalesce((SELECT docs FROM search_terms WHERE term = ''), 0))`).Scan(&stale, &built, &docs)
	if err != nil {
		return false, fmt.Errorf("related stale: %w", err)
	}
	if stale.String == "1" {
		return true, nil
	}
	n, _ := strconv.Atoi(built.String)
	return docs > SmallArchive && docs > 2*n, nil
}
