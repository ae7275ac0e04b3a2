package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// listedLists holds a tag and an author whose pages the listed tests
// read, and checks them against the order and membership they expect.
type listedLists struct {
	s      store.Store
	tag    story.Tag
	author int64
}

// want checks that the tag's and the author's lists hold exactly ids, in
// that order: read whole, read in pages of two by keyset cursor, and read
// with the first story excluded.
func (l listedLists) want(t *testing.T, step string, ids ...int64) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []struct {
		name string
		q    store.ListQuery
	}{{"tag", store.ListQuery{TagID: l.tag.ID}}, {"author", store.ListQuery{AuthorID: l.author}}} {
		q.q.Limit = 100
		list, err := l.s.ListStories(ctx, q.q)
		if err != nil {
			t.Fatalf("%s: %s list: %v", step, q.name, err)
		}
		if got := summaryIDs(list); !slices.Equal(got, ids) {
			t.Errorf("%s: %s list %v, want %v", step, q.name, got, ids)
		}
		var paged []int64
		page := q.q
		page.Limit = 2
		for range len(ids) + 2 {
			list, err := l.s.ListStories(ctx, page)
			if err != nil {
				t.Fatalf("%s: %s page after %+v: %v", step, q.name, page.After, err)
			}
			paged = append(paged, summaryIDs(list)...)
			if len(list) < page.Limit {
				break
			}
			last := list[len(list)-1]
			page.After = store.Cursor{At: last.FirstPublishedAt, ID: last.ID}
		}
		if !slices.Equal(paged, ids) {
			t.Errorf("%s: %s list in pages of two %v, want %v", step, q.name, paged, ids)
		}
		// The content API's filter reads the same lists.
		api := store.APIQuery{TagID: q.q.TagID, AuthorID: q.q.AuthorID, Limit: 100}
		full, err := l.s.APIStories(ctx, api)
		if err != nil {
			t.Fatalf("%s: API %s filter: %v", step, q.name, err)
		}
		paged = nil
		for api.Limit = 3; ; {
			list, err := l.s.APIStories(ctx, api)
			if err != nil {
				t.Fatalf("%s: API %s filter after %+v: %v", step, q.name, api.After, err)
			}
			for _, st := range list {
				paged = append(paged, st.ID)
			}
			if len(list) < api.Limit || len(paged) > len(ids) {
				break
			}
			last := list[len(list)-1]
			api.After = store.Cursor{At: last.FirstPublishedAt, ID: last.ID}
		}
		if got := storyIDs(full); !slices.Equal(got, ids) || !slices.Equal(paged, ids) {
			t.Errorf("%s: API %s filter %v, in pages of three %v, want %v", step, q.name, got, paged, ids)
		}
		if len(ids) > 1 {
			q.q.Exclude = ids[:1]
			list, err := l.s.ListStories(ctx, q.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := summaryIDs(list); !slices.Equal(got, ids[1:]) {
				t.Errorf("%s: %s list without %d: %v, want %v", step, q.name, ids[0], got, ids[1:])
			}
		}
	}
}

func summaryIDs(list []story.Summary) []int64 {
	ids := make([]int64, 0, len(list))
	for _, v := range list {
		ids = append(ids, v.ID)
	}
	return ids
}

// testListedLists follows a tag's and an author's pages through what the
// newsroom does to stories: publish, unpublish, re-publish with a new
// date, byline and tag changes, spike and purge. Tag and author pages
// read a copy of each story's list key on its tag and byline rows
// (listed_at), so each step checks that the copy followed.
func testListedLists(t *testing.T, s store.Store) {
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	aid, err := s.CreateAuthor(ctx, story.Author{Slug: "ana-lima", Name: "Ana Lima"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateAuthor(ctx, story.Author{Slug: "bo-berg", Name: "Bo Berg"})
	if err != nil {
		t.Fatal(err)
	}
	tag, err := s.EnsureTag(ctx, "Harbours")
	if err != nil {
		t.Fatal(err)
	}
	l := listedLists{s: s, tag: tag, author: aid}
	listed := func(headline string, at time.Time, status story.Status) int64 {
		return mustStory(t, s, &story.Story{Section: sec, Headline: headline, Status: status, FirstPublishedAt: at,
			Bylines: []story.Byline{{Name: "Free Text"}, {AuthorID: aid}}, Tags: []story.Tag{{Name: "Other"}, tag}})
	}
	a := listed("A", base.Add(1*time.Hour), story.StatusPublished)
	b := listed("B", base.Add(2*time.Hour), story.StatusPublished)
	// C and D share a moment: the higher id comes first, and a page
	// boundary between them must not lose or repeat one.
	c := listed("C", base.Add(3*time.Hour), story.StatusPublished)
	d := listed("D", base.Add(3*time.Hour), story.StatusPublished)
	draft := listed("Draft", time.Time{}, story.StatusDraft)
	unrelated := mustStory(t, s, &story.Story{Section: sec, Headline: "Unrelated", FirstPublishedAt: base.Add(10 * time.Hour),
		Bylines: []story.Byline{{AuthorID: other}}})
	l.want(t, "created", d, c, b, a)

	update := func(id int64, fn func(st *story.Story)) {
		t.Helper()
		st, err := s.Story(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		fn(st)
		if err := s.UpdateStory(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	update(draft, func(st *story.Story) {
		st.Status, st.FirstPublishedAt = story.StatusPublished, base.Add(4*time.Hour)
	})
	l.want(t, "draft published", draft, d, c, b, a)
	update(b, func(st *story.Story) { st.Status = story.StatusUnpublished })
	l.want(t, "B unpublished", draft, d, c, a)
	update(b, func(st *story.Story) {
		st.Status, st.FirstPublishedAt = story.StatusPublished, base.Add(5*time.Hour)
	})
	l.want(t, "B published again, later", b, draft, d, c, a)
	update(a, func(st *story.Story) { st.FirstPublishedAt = base.Add(6 * time.Hour) })
	l.want(t, "A re-dated", a, b, draft, d, c)
	update(c, func(st *story.Story) { st.Headline = "C, edited" })
	l.want(t, "C edited", a, b, draft, d, c)

	// Byline and tag rewrites: C loses both, the unrelated story gains both.
	update(c, func(st *story.Story) {
		st.Bylines, st.Tags = []story.Byline{{AuthorID: other}}, nil
	})
	update(unrelated, func(st *story.Story) {
		st.Bylines = append(st.Bylines, story.Byline{AuthorID: aid})
		st.Tags = []story.Tag{tag}
	})
	l.want(t, "bylines and tags changed", unrelated, a, b, draft, d)

	// Spiked, then purged: deleted with its rows.
	update(d, func(st *story.Story) { st.Status = story.StatusSpiked })
	l.want(t, "D spiked", unrelated, a, b, draft)
	if err := s.SetStoryMeta(ctx, d, store.StoryMeta{SpikedAt: base}); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.PurgeSpiked(ctx, base.Add(time.Minute)); err != nil || !slices.Equal(ids, []int64{d}) {
		t.Fatalf("PurgeSpiked: %v %v, want [%d]", ids, err, d)
	}
	l.want(t, "D purged", unrelated, a, b, draft)

	// An author named twice on a story (an editor typed the name and the
	// slug): the story is listed once.
	twice := mustStory(t, s, &story.Story{Section: sec, Headline: "Twice", FirstPublishedAt: base.Add(20 * time.Hour),
		Bylines: []story.Byline{{AuthorID: aid}, {Name: "Free Text"}, {AuthorID: aid}}, Tags: []story.Tag{tag}})
	l.want(t, "author named twice", twice, unrelated, a, b, draft)
	checkListedExact(t, s, "after the newsroom's steps")
}

// sqlDB is what both stores offer for tests that write around the store
// interface.
type sqlDB interface{ DB() *sql.DB }

// checkListedExact checks, in SQL, that every tag and byline row carries
// its story's list key.
func checkListedExact(t *testing.T, s store.Store, step string) {
	t.Helper()
	db, ok := s.(sqlDB)
	if !ok {
		return
	}
	for _, table := range []string{"story_tags", "story_bylines"} {
		var n, wrong int
		err := db.DB().QueryRow(`SELECT count(*), coalesce(sum(CASE WHEN f.listed_at IS DISTINCT FROM
				(CASE WHEN s.status = 'published' THEN s.first_published_at END) THEN 1 ELSE 0 END), 0)
			FROM `+table+` f JOIN stories s ON s.id = f.story_id`).Scan(&n, &wrong)
		if err != nil {
			t.Fatalf("%s: %s: %v", step, table, err)
		}
		if n == 0 || wrong != 0 {
			t.Errorf("%s: %d of %d rows of %s carry a list key that is not their story's", step, wrong, n, table)
		}
	}
}

// testListedWrittenAround writes stories, bylines and tags in SQL, as a
// path that does not know of listed_at would (a script, a later command),
// and checks that the stores' triggers keep the lists right.
func testListedWrittenAround(t *testing.T, s store.Store) {
	h, ok := s.(sqlDB)
	if !ok {
		t.Skip("the store offers no SQL handle")
	}
	db := h.DB()
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	aid, err := s.CreateAuthor(ctx, story.Author{Slug: "ana-lima", Name: "Ana Lima"})
	if err != nil {
		t.Fatal(err)
	}
	tag, err := s.EnsureTag(ctx, "Harbours")
	if err != nil {
		t.Fatal(err)
	}
	l := listedLists{s: s, tag: tag, author: aid}
	mk := func(headline string, at time.Time) int64 {
		return mustStory(t, s, &story.Story{Section: sec, Headline: headline, FirstPublishedAt: at,
			Bylines: []story.Byline{{AuthorID: aid}}, Tags: []story.Tag{tag}})
	}
	a, b, c := mk("A", base.Add(time.Hour)), mk("B", base.Add(2*time.Hour)), mk("C", base.Add(3*time.Hour))
	bare := mustStory(t, s, &story.Story{Section: sec, Headline: "Bare", FirstPublishedAt: base.Add(4 * time.Hour)})
	l.want(t, "created", c, b, a)
	exec := func(step, q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		checkListedExact(t, s, step)
	}
	at := func(d time.Duration) int64 { return base.Add(d).UnixMicro() }
	// $1, $2 in order: PostgreSQL's placeholders, and SQLite's numbered
	// parameters bound in the same order.
	exec("unpublished in SQL", "UPDATE stories SET status = 'unpublished' WHERE id = $1", b)
	l.want(t, "unpublished in SQL", c, a)
	exec("published again in SQL", "UPDATE stories SET status = 'published', first_published_at = $1 WHERE id = $2", at(5*time.Hour), b)
	l.want(t, "published again in SQL", b, c, a)
	exec("re-dated in SQL", "UPDATE stories SET first_published_at = $1 WHERE id = $2", at(30*time.Minute), c)
	l.want(t, "re-dated in SQL", b, a, c)
	exec("edited in SQL", "UPDATE stories SET headline = 'A, edited' WHERE id = $1", a)
	exec("byline added in SQL", "INSERT INTO story_bylines (story_id, position, author_id, name) VALUES ($1, 0, $2, '')", bare, aid)
	exec("tag added in SQL", "INSERT INTO story_tags (story_id, tag_id, position) VALUES ($1, $2, 0)", bare, tag.ID)
	l.want(t, "rows added in SQL", b, bare, a, c)
	exec("wrong key written in SQL", "UPDATE story_tags SET listed_at = 1 WHERE story_id = $1", bare)
	exec("draft in SQL", "UPDATE stories SET status = 'draft' WHERE id = $1", a)
	l.want(t, "draft in SQL", b, bare, c)
	exec("deleted in SQL", "DELETE FROM stories WHERE id = $1", c)
	l.want(t, "deleted in SQL", b, bare)
	exec("inserted in SQL", `INSERT INTO stories (id, slug, language, type, status, section_id, headline, body_json,
		first_published_at, created_at, modified_at) VALUES ($1, 'late', 'en', 'news', 'published', $2, 'Late', '[]', $3, $3, $3)`,
		bare+100, sec.ID, at(9*time.Hour))
	exec("its byline in SQL", "INSERT INTO story_bylines (story_id, position, author_id, name) VALUES ($1, 0, $2, '')", bare+100, aid)
	exec("its tag in SQL", "INSERT INTO story_tags (story_id, tag_id, position) VALUES ($1, $2, 0)", bare+100, tag.ID)
	l.want(t, "inserted in SQL", bare+100, b, bare)
}

// bulkCreator is the SQLite store's bulk loader, which queues tag and
// byline rows beside their stories and may write them first.
type bulkCreator interface {
	BulkCreateStories(ctx context.Context, stories []*story.Story) error
}

// testListedBulk loads more tag rows (320) than one of the loader's
// statements holds (300), so some reach the table before their stories,
// and checks the lists and every row's key.
func testListedBulk(t *testing.T, s store.Store) {
	bc, ok := s.(bulkCreator)
	if !ok {
		t.Skip("the store has no bulk loader")
	}
	ctx := context.Background()
	sec := mustSection(t, s, "world")
	aid, err := s.CreateAuthor(ctx, story.Author{Slug: "ana-lima", Name: "Ana Lima"})
	if err != nil {
		t.Fatal(err)
	}
	var tags []story.Tag
	for _, name := range []string{"Harbours", "Ships", "Ports", "Cranes"} {
		tg, err := s.EnsureTag(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		tags = append(tags, tg)
	}
	var batch []*story.Story
	for i := range 80 {
		st := &story.Story{Section: sec, Headline: fmt.Sprintf("Bulk %d", i), Slug: fmt.Sprintf("bulk-%d", i),
			Language: "en", Type: story.TypeNews, Status: story.StatusPublished,
			FirstPublishedAt: base.Add(time.Duration(i%40) * time.Minute), Body: story.ParseBody("Words."),
			Bylines: []story.Byline{{AuthorID: aid}}, Tags: tags}
		if i%10 == 9 {
			st.Status, st.FirstPublishedAt = story.StatusDraft, time.Time{}
		}
		batch = append(batch, st)
	}
	if err := bc.BulkCreateStories(ctx, batch); err != nil {
		t.Fatal(err)
	}
	checkListedExact(t, s, "bulk load")
	var want []*story.Story
	for _, st := range batch {
		if st.Status == story.StatusPublished {
			want = append(want, st)
		}
	}
	slices.SortFunc(want, func(x, y *story.Story) int {
		if c := y.FirstPublishedAt.Compare(x.FirstPublishedAt); c != 0 {
			return c
		}
		return int(y.ID - x.ID)
	})
	ids := make([]int64, 0, len(want))
	for _, st := range want {
		ids = append(ids, st.ID)
	}
	listedLists{s: s, tag: tags[2], author: aid}.want(t, "bulk load", ids...)
}
