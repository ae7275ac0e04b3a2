package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// The archive benchmarks run over a synthetic archive of 100,000 stories
// (set DATELINE_BENCH_STORIES for another size). Building it takes a few
// minutes, so they run only when DATELINE_BENCH_ARCHIVE names a directory
// to keep it in, and reuse it:
//
//	DATELINE_BENCH_ARCHIVE=/tmp/dl-bench go test ./internal/store/sqlite \
//		-run '^$' -bench 'ArchiveSearch|ArchivePublish' -benchtime 1000x
//	DATELINE_BENCH_ARCHIVE=/tmp/dl-bench go test ./internal/store/sqlite \
//		-run '^$' -bench 'ArchiveRebuild' -benchtime 1x -timeout 30m
//
// The archive's words follow Zipf's law over a 60,000-word vocabulary;
// each story also draws from one of 1,500 topics (its own words, names
// and tags), so related stories exist to be found.

const (
	benchVocab  = 60000
	benchTopics = 1500
	benchSeed   = 6
)

type benchArchive struct {
	store  *Store
	words  []string
	topics []benchTopic
	rng    *rand.Rand
	zipf   *rand.Zipf
	secs   []story.Section
	size   int
}

type benchTopic struct {
	words []int    // vocabulary ranks
	names []string // capitalised names
	tags  []story.Tag
}

// openBenchArchive opens (building the first time) the archive.
func openBenchArchive(b *testing.B) *benchArchive {
	b.Helper()
	dir := os.Getenv("DATELINE_BENCH_ARCHIVE")
	if dir == "" {
		b.Skip("set DATELINE_BENCH_ARCHIVE to a directory to run the archive benchmarks")
	}
	size := 100000
	if v := os.Getenv("DATELINE_BENCH_STORIES"); v != "" {
		fmt.Sscan(v, &size)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("archive-%d-v1.db", size))
	_, statErr := os.Stat(path)
	s, err := Open(context.Background(), path, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	a := newBenchArchive(s, size)
	if statErr != nil {
		start := time.Now()
		if err := a.fill(context.Background()); err != nil {
			os.Remove(path)
			b.Fatal(err)
		}
		b.Logf("built %d stories in %s", size, time.Since(start).Round(time.Millisecond))
	} else if err := a.loadCatalog(context.Background()); err != nil {
		b.Fatal(err)
	}
	// An archive from an older schema gets the rebuild the app would run.
	if stale, err := s.RelatedStale(context.Background()); err != nil {
		b.Fatal(err)
	} else if stale {
		start := time.Now()
		if _, err := s.RebuildRelated(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.Logf("rebuilt related stories in %s", time.Since(start).Round(time.Millisecond))
	}
	return a
}

func newBenchArchive(s *Store, size int) *benchArchive {
	rng := rand.New(rand.NewPCG(benchSeed, benchSeed))
	a := &benchArchive{store: s, rng: rng, size: size}
	a.zipf = rand.NewZipf(rng, 1.05, 2, benchVocab-1)
	seen := map[string]bool{}
	cons := []string{"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "ch", "tr", "br"}
	vows := []string{"a", "e", "i", "o", "u", "ai", "ou"}
	for len(a.words) < benchVocab {
		var w strings.Builder
		n := 1 + len(a.words)*4/benchVocab + rng.IntN(2) // common words are short
		for range n {
			w.WriteString(cons[rng.IntN(len(cons))] + vows[rng.IntN(len(vows))])
		}
		if rng.IntN(3) == 0 {
			w.WriteString(cons[rng.IntN(len(cons))])
		}
		if !seen[w.String()] {
			seen[w.String()] = true
			a.words = append(a.words, w.String())
		}
	}
	for t := range benchTopics {
		var tp benchTopic
		for range 40 {
			tp.words = append(tp.words, 300+rng.IntN(benchVocab-300))
		}
		for range 4 {
			w := a.words[2000+rng.IntN(benchVocab-2000)]
			tp.names = append(tp.names, strings.ToUpper(w[:1])+w[1:])
		}
		for i := range 3 {
			tp.tags = append(tp.tags, story.Tag{Name: fmt.Sprintf("%s %d-%d", tp.names[i%len(tp.names)], t, i)})
		}
		a.topics = append(a.topics, tp)
	}
	return a
}

// sentence writes n words: mostly from the whole vocabulary by Zipf's law,
// some from the topic, its names capitalised.
func (a *benchArchive) sentence(tp *benchTopic, n int, topical float64) string {
	var b strings.Builder
	for i := range n {
		var w string
		switch r := a.rng.Float64(); {
		case r < topical*0.2:
			w = tp.names[a.rng.IntN(len(tp.names))]
		case r < topical:
			w = a.words[tp.words[a.rng.IntN(len(tp.words))]]
		default:
			w = a.words[a.zipf.Uint64()]
		}
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	b.WriteByte('.')
	return b.String()
}

// story makes one synthetic story of the topic, published at t.
func (a *benchArchive) story(topic int, t time.Time) *story.Story {
	tp := &a.topics[topic]
	st := &story.Story{Language: "en", Type: story.TypeNews, Status: story.StatusPublished,
		Section:  a.secs[topic%len(a.secs)],
		Headline: strings.TrimSuffix(a.sentence(tp, 8+a.rng.IntN(5), 0.5), "."), Standfirst: a.sentence(tp, 25, 0.3),
		FirstPublishedAt: t, PublishedAt: t, UpdatedAt: t, CreatedAt: t, ModifiedAt: t}
	if a.rng.IntN(20) == 0 {
		st.Language = []string{"tr", "ar"}[a.rng.IntN(2)]
	}
	st.Slug = story.Slugify(st.Headline, 80)
	for range 6 {
		var p strings.Builder
		for i := range 3 + a.rng.IntN(2) {
			if i > 0 {
				p.WriteByte(' ')
			}
			p.WriteString(a.sentence(tp, 12+a.rng.IntN(10), 0.15))
		}
		st.Body = append(st.Body, story.Block{Type: story.BlockParagraph, Spans: []story.Span{{Text: p.String()}}})
	}
	for _, i := range a.rng.Perm(3)[:2+a.rng.IntN(2)] {
		st.Tags = append(st.Tags, tp.tags[i])
	}
	st.Bylines = []story.Byline{{Name: tp.names[0] + " " + tp.names[1]}}
	return st
}

func (a *benchArchive) fill(ctx context.Context) error {
	for i, name := range []string{"World", "Türkiye", "Business", "Sport", "Science", "Opinion"} {
		id, err := a.store.CreateSection(ctx, story.Section{Slug: story.Slugify(name, 20), Name: name, Position: i})
		if err != nil {
			return err
		}
		a.secs = append(a.secs, story.Section{ID: id, Slug: story.Slugify(name, 20), Name: name})
	}
	for i := range a.topics {
		for j, tag := range a.topics[i].tags {
			got, err := a.store.EnsureTag(ctx, tag.Name)
			if err != nil {
				return err
			}
			a.topics[i].tags[j] = got
		}
	}
	start := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	step := 10 * 365 * 24 * time.Hour / time.Duration(a.size)
	const batch = 5000
	for from := 0; from < a.size; from += batch {
		tx, err := a.store.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		// A bulk load wants a big page cache; this connection keeps it.
		if _, err := tx.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
			return err
		}
		for i := from; i < min(from+batch, a.size); i++ {
			st := a.story(a.rng.IntN(benchTopics), start.Add(time.Duration(i)*step))
			if err := insertBenchStory(ctx, a.store, tx, st); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	if _, err := a.store.db.ExecContext(ctx, "INSERT INTO story_search (story_search) VALUES ('optimize')"); err != nil {
		return err
	}
	_, err := a.store.RebuildRelated(ctx)
	return err
}

// insertBenchStory is CreateStory without the related-story update,
// which the archive gets from one rebuild at the end.
func insertBenchStory(ctx context.Context, s *Store, tx *sql.Tx, st *story.Story) error {
	args, err := storyArgs(st)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO stories (slug, language, type, status, section_id, headline, standfirst,
		lead_media_id, lead_caption, lead_credit, lead_alt, source_id, body_json, body_source, word_count,
		seo_title, seo_description, wire_id, wire_version, version,
		first_published_at, published_at, updated_at, created_at, modified_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	if err != nil {
		return err
	}
	if st.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	if err := s.writeChildren(ctx, tx, st); err != nil {
		return err
	}
	return indexText(ctx, tx, st)
}

func (a *benchArchive) loadCatalog(ctx context.Context) error {
	secs, err := a.store.Sections(ctx)
	if err != nil {
		return err
	}
	a.secs = secs
	for i := range a.topics {
		for j, tag := range a.topics[i].tags {
			got, err := a.store.TagBySlug(ctx, story.TagSlug(tag.Name))
			if err != nil {
				return err
			}
			a.topics[i].tags[j] = got
		}
	}
	return nil
}

// queries is a mix of what readers type: topic words and names, pairs of
// them, common words that match a large part of the archive, phrases,
// prefixes, typing slips and filters.
func (a *benchArchive) queries(n int) []store.SearchQuery {
	rng := rand.New(rand.NewPCG(7, 7))
	mid := func() string { return a.words[300+rng.IntN(20000)] }
	var out []store.SearchQuery
	for len(out) < n {
		tp := &a.topics[rng.IntN(len(a.topics))]
		topicWord := func() string { return a.words[tp.words[rng.IntN(len(tp.words))]] }
		var q store.SearchQuery
		switch r := rng.IntN(20); {
		case r < 6:
			q.Text = topicWord()
		case r < 8:
			q.Text = tp.names[rng.IntN(len(tp.names))]
		case r < 11:
			q.Text = topicWord() + " " + topicWord()
		case r < 13:
			q.Text = a.words[20+rng.IntN(200)]
		case r < 14:
			q.Text = a.words[20+rng.IntN(200)] + " " + mid()
		case r < 16:
			q.Text = `"` + topicWord() + " " + a.words[rng.IntN(50)] + `"`
		case r < 17:
			w := mid()
			q.Text = w[:min(len(w), 4)] + "*"
		case r < 18:
			w := []byte(topicWord())
			w[len(w)/2] = 'x'
			q.Text = string(w)
		case r < 19:
			q.Text = topicWord() + " " + topicWord() + " " + tp.names[0]
		default:
			q.Text = mid()
			q.SectionID = a.secs[rng.IntN(len(a.secs))].ID
			q.From = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		q.Limit = 20
		out = append(out, q)
	}
	return out
}

// BenchmarkArchiveSearch runs the query mix, one query per iteration, and
// reports latency percentiles (the target: p95 at most 20 ms).
func BenchmarkArchiveSearch(b *testing.B) {
	a := openBenchArchive(b)
	ctx := context.Background()
	qs := a.queries(400)
	for _, q := range qs[:50] { // warm the page cache and statement cache
		if _, err := a.store.SearchStories(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	var times []time.Duration
	hits := 0
	b.ResetTimer()
	i := 0
	for b.Loop() {
		q := qs[i%len(qs)]
		i++
		t := time.Now()
		res, err := a.store.SearchStories(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t))
		if len(res.Hits) > 0 {
			hits++
		}
	}
	reportPercentiles(b, times)
	b.ReportMetric(float64(hits)/float64(len(times)), "found/op")
}

func reportPercentiles(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	pct := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(p*float64(len(times))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "max-ms")
}

// BenchmarkArchivePublish publishes a new story into the archive: the
// whole CreateStory, and the related-story part of it alone (target: at
// most 50 ms). The stories it adds stay; ids keep growing.
func BenchmarkArchivePublish(b *testing.B) {
	a := openBenchArchive(b)
	ctx := context.Background()
	var total, related []time.Duration
	now := time.Now().UTC()
	for b.Loop() {
		st := a.story(a.rng.IntN(benchTopics), now)
		t := time.Now()
		tx, err := a.store.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := insertBenchStory(ctx, a.store, tx, st); err != nil {
			b.Fatal(err)
		}
		r := time.Now()
		if err := a.store.RelateStory(ctx, tx, st); err != nil {
			b.Fatal(err)
		}
		related = append(related, time.Since(r))
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		total = append(total, time.Since(t))
	}
	reportPercentiles(b, related)
	slices.Sort(total)
	b.ReportMetric(float64(total[len(total)*95/100].Microseconds())/1000, "publish-p95-ms")
}

// BenchmarkArchiveRebuildRelated rebuilds every related list (target: at
// most 60 s for 100,000 stories): the periodic rebuild, over lists that
// exist. Run it with -benchtime 1x.
func BenchmarkArchiveRebuildRelated(b *testing.B) {
	benchRebuild(b, false)
}

// BenchmarkArchiveRebuildRelatedFromEmpty is the first rebuild after the
// migration: no counts, profiles, signatures or lists yet.
func BenchmarkArchiveRebuildRelatedFromEmpty(b *testing.B) {
	benchRebuild(b, true)
}

func benchRebuild(b *testing.B, empty bool) {
	a := openBenchArchive(b)
	ctx := context.Background()
	for b.Loop() {
		if empty {
			b.StopTimer()
			if _, err := a.store.db.ExecContext(ctx, `DELETE FROM story_terms; DELETE FROM story_auto_related;
				DELETE FROM story_profiles; DELETE FROM search_terms WHERE term <> ''`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		t := time.Now()
		n, err := a.store.RebuildRelated(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t).Seconds(), "s/rebuild")
		b.ReportMetric(float64(n), "stories")
	}
}
