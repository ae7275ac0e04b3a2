package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"time"

	"dateline/internal/config"
	"dateline/internal/demo"
	"dateline/internal/media"
	"dateline/internal/store/sqlite"
	"dateline/internal/story"
)

func benchDataCommand(n *int, years *int, cpuProfile *string) config.Command {
	return config.Command{
		Name: "bench-data", Usage: "bench-data --stories N [flags]",
		About: "Fills an empty store with a synthetic archive of N published stories for benchmarks:\n" +
			"the demo newsroom first (sections, sources, pictures), then stories made of the demo's\n" +
			"own paragraphs, permuted, with about 50 authors, a few thousand tags of skewed\n" +
			"popularity, wire copy, updates, and first publication spread over the years.\n" +
			"The search index, related stories and planner statistics are built at the end.",
		Flags: func(fs *flag.FlagSet) {
			fs.IntVar(n, "stories", 10000, "number of stories in the archive (the demo's included)")
			fs.IntVar(years, "years", 8, "years the archive spans, ending now")
			fs.StringVar(cpuProfile, "cpu-profile", "", "write a CPU profile of the fill to this file (for go tool pprof)")
		},
	}
}

// benchData runs `dateline bench-data`.
func benchData(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var n, years int
	var cpuProfile string
	cfg, pos, err := config.Parse(benchDataCommand(&n, &years, &cpuProfile), args, getenv, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return &config.UsageError{Msg: fmt.Sprintf("bench-data takes no arguments, got %q", pos[0])}
	}
	if n < 100 || n > 10_000_000 {
		return &config.UsageError{Msg: fmt.Sprintf("--stories %d: want 100 to 10,000,000", n)}
	}
	if years < 1 || years > 100 {
		return &config.UsageError{Msg: fmt.Sprintf("--years %d: want 1 to 100", years)}
	}
	if cfg.DatabaseURL != "" {
		return &config.UsageError{Msg: "bench-data: fills a SQLite store (--db) only"}
	}
	st, err := sqlite.Open(ctx, cfg.DB, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	if c, err := st.CountStories(ctx); err != nil {
		return err
	} else if c > 0 {
		return fmt.Errorf("bench-data: store %q already has %d stories; give an empty --db", cfg.DB, c)
	}
	ms, err := media.Open(cfg.MediaDir)
	if err != nil {
		return fmt.Errorf("media dir %q: %w", cfg.MediaDir, err)
	}
	if err := ensureSecret(ctx, st); err != nil {
		return err
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return fmt.Errorf("--cpu-profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("--cpu-profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	// The related-story rebuild holds every story's terms; a soft memory
	// limit keeps the garbage collector's headroom from doubling that at a
	// million stories (GOMEMLIMIT, when set, says otherwise).
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(3 << 30)
	}
	start := time.Now()
	end := start.Add(-time.Hour)
	g, err := newArchiveGen(ctx, st, ms, end, years)
	if err != nil {
		return fmt.Errorf("bench-data: %w", err)
	}
	fmt.Fprintf(stdout, "demo newsroom, %d authors, %d tags: %s\n", len(g.authors), len(g.tags), time.Since(start).Round(time.Millisecond))
	total := n - g.demoStories
	// One connection loads every batch, with the story tables' secondary
	// indexes dropped until the end (sqlite.BulkLoader).
	bl, err := st.BeginBulkLoad(ctx, true)
	if err != nil {
		return fmt.Errorf("bench-data: %w", err)
	}
	defer bl.Close()
	const batch = 5000
	for done := 0; done < total; {
		k := min(batch, total-done)
		stories := make([]*story.Story, k)
		for i := range stories {
			stories[i] = g.story(done+i, total)
		}
		if err := bl.Add(ctx, stories); err != nil {
			return fmt.Errorf("bench-data: %w", err)
		}
		done += k
		if done%(batch*10) == 0 || done == total {
			fmt.Fprintf(stdout, "%d stories: %s\n", done+g.demoStories, time.Since(start).Round(time.Second))
		}
	}
	t := time.Now()
	if err := bl.Finish(ctx); err != nil {
		return fmt.Errorf("bench-data: %w", err)
	}
	fmt.Fprintf(stdout, "indexes: %s\n", time.Since(t).Round(time.Second))
	t = time.Now()
	rel, err := st.RebuildRelated(ctx)
	if err != nil {
		return fmt.Errorf("bench-data: %w", err)
	}
	fmt.Fprintf(stdout, "related stories for %d stories: %s\n", rel, time.Since(t).Round(time.Second))
	t = time.Now()
	if err := st.Analyze(ctx); err != nil {
		return fmt.Errorf("bench-data: %w", err)
	}
	fmt.Fprintf(stdout, "planner statistics: %s\n", time.Since(t).Round(time.Second))
	fmt.Fprintf(stdout, "%d stories in %s, %s\n", n, cfg.DB, time.Since(start).Round(time.Second))
	return nil
}

// archiveGen makes synthetic stories out of the demo newsroom's.
type archiveGen struct {
	rnd         *rand.Rand
	templates   []*story.Story
	byLang      map[string][]*story.Story
	authors     []story.Author
	authorPick  *rand.Zipf
	tags        []story.Tag
	tagPick     *rand.Zipf
	sources     []story.Source
	start, end  time.Time
	demoStories int
}

// Given and family names for the generated staff, beside the demo's own.
var (
	givenNames  = []string{"Amara", "Bora", "Chiara", "Dmitri", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemal", "Lucia", "Mehmet", "Nadia", "Oskar", "Priya", "Rafael", "Selin", "Tomasz", "Yasmin"}
	familyNames = []string{"Adeyemi", "Bergstrom", "Castillo", "Demir", "Eriksen", "Fontaine", "Gallagher", "Haddad", "Ivanova", "Kaya", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintana", "Rossi", "Sato", "Yilmaz", "Zhou"}
	beats       = []string{"Diplomatic correspondent", "Economics editor", "Sports reporter", "Science writer", "Europe correspondent", "Middle East correspondent", "Markets reporter", "Technology reporter", "Energy correspondent", "Data journalist"}
	tagPlaces   = []string{"Istanbul", "Ankara", "Brussels", "Berlin", "Paris", "London", "Washington", "Beijing", "Tokyo", "Seoul", "Nairobi", "Lagos", "Cairo", "Riyadh", "Tehran", "Kyiv", "Moscow", "Warsaw", "Madrid", "Rome", "Athens", "Lisbon", "Mexico City", "Sao Paulo", "Buenos Aires", "Delhi", "Mumbai", "Jakarta", "Manila", "Sydney", "Toronto", "Cape Town", "Addis Ababa", "Baghdad", "Damascus", "Izmir", "Antalya", "Gaziantep", "Trabzon", "Rotterdam", "Oslo", "Helsinki", "Vienna", "Prague", "Budapest", "Bucharest", "Sofia", "Belgrade", "Zagreb", "Tbilisi", "Baku", "Almaty", "Tashkent", "Karachi", "Dhaka", "Hanoi", "Bangkok", "Singapore", "Lima", "Bogota"}
	tagTopics   = []string{"elections", "inflation", "trade", "energy", "climate", "football", "transport", "housing", "health", "education", "tourism", "agriculture", "migration", "technology", "courts", "parliament", "protests", "banking", "startups", "shipping", "water", "wildfires", "floods", "earthquakes", "culture", "film", "music", "basketball", "tennis", "athletics", "space", "research", "universities", "labour", "wages", "taxes", "budget", "defence", "diplomacy", "aid", "refugees", "media", "cybersecurity", "AI", "semiconductors", "oil", "gas", "renewables", "nuclear", "mining"}
)

func newArchiveGen(ctx context.Context, st *sqlite.Store, ms *media.Store, end time.Time, years int) (*archiveGen, error) {
	n, err := demo.Fill(ctx, st, ms, end)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	g := &archiveGen{rnd: rand.New(rand.NewPCG(7, uint64(n))), byLang: map[string][]*story.Story{},
		start: end.AddDate(-years, 0, 0), end: end.AddDate(0, 0, -7), demoStories: n}
	seenSource := map[int64]bool{}
	for id := int64(1); id <= int64(n); id++ {
		s, err := st.Story(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("demo story %d: %w", id, err)
		}
		g.templates = append(g.templates, s)
		g.byLang[s.Language] = append(g.byLang[s.Language], s)
		if s.Source != nil && !seenSource[s.Source.ID] {
			seenSource[s.Source.ID] = true
			g.sources = append(g.sources, *s.Source)
		}
	}
	if g.authors, err = st.Authors(ctx); err != nil {
		return nil, err
	}
	for i := 0; len(g.authors) < 50; i++ {
		name := givenNames[i%len(givenNames)] + " " + familyNames[(i*7+i/len(givenNames)+3)%len(familyNames)]
		a := story.Author{Slug: story.Slugify(name, 60), Name: name, Role: beats[i%len(beats)],
			Bio: name + " reports for Dateline."}
		if a.ID, err = st.CreateAuthor(ctx, a); err != nil {
			return nil, fmt.Errorf("author %q: %w", name, err)
		}
		g.authors = append(g.authors, a)
	}
	names := map[string]bool{}
	for _, s := range g.templates {
		for _, t := range s.Tags {
			names[t.Name] = true
		}
	}
	for _, p := range tagPlaces {
		names[p] = true
		for _, t := range tagTopics {
			names[p+" "+t] = true
		}
	}
	for _, t := range tagTopics {
		names[t] = true
	}
	for name := range names {
		t, err := st.EnsureTag(ctx, name)
		if err != nil {
			return nil, err
		}
		g.tags = append(g.tags, t)
	}
	// Popularity follows a Zipf law: a few tags are on thousands of
	// stories, most on a handful. The order (from a map) is arbitrary,
	// which is what a newsroom's tag list looks like too.
	g.tagPick = rand.NewZipf(g.rnd, 1.2, 8, uint64(len(g.tags)-1))
	g.authorPick = rand.NewZipf(g.rnd, 1.1, 4, uint64(len(g.authors)-1))
	return g, nil
}

// story makes the i-th of total synthetic stories, oldest first, so that
// ids grow with first publication as they do in a real archive.
func (g *archiveGen) story(i, total int) *story.Story {
	r := g.rnd
	t := g.templates[r.IntN(len(g.templates))]
	same := g.byLang[t.Language]
	span := g.end.Sub(g.start)
	first := g.start.Add(time.Duration(float64(span) * (float64(i) + r.Float64()) / float64(total))).Truncate(time.Second)
	s := &story.Story{
		Language: t.Language, Type: t.Type, Status: story.StatusPublished, Section: t.Section,
		Headline: t.Headline, Standfirst: same[r.IntN(len(same))].Standfirst, Lead: t.Lead,
		FirstPublishedAt: first, PublishedAt: first, UpdatedAt: first, CreatedAt: first.Add(-time.Hour),
		ModifiedAt: first,
	}
	// Headlines repeat across the archive, as running stories do; a
	// day's follow-up says which.
	if i%3 != 0 {
		s.Headline = t.Headline + ": day " + strconv.Itoa(1+r.IntN(30))
	}
	s.Slug = story.Slugify(s.Headline, 80)
	s.Body = g.body(t, same)
	s.BodySource = story.FormatBody(s.Body)
	if t.Source != nil || r.IntN(5) == 0 {
		src := g.sources[r.IntN(len(g.sources))]
		s.Source = &src
		s.Bylines = []story.Byline{{Name: src.Name + " staff"}}
	} else {
		a := g.authors[g.authorPick.Uint64()]
		s.Bylines = []story.Byline{{AuthorID: a.ID, AuthorSlug: a.Slug, Name: a.Name}}
		if r.IntN(6) == 0 {
			b := g.authors[r.IntN(len(g.authors))]
			if b.ID != a.ID {
				s.Bylines = append(s.Bylines, story.Byline{AuthorID: b.ID, AuthorSlug: b.Slug, Name: b.Name})
			}
		}
	}
	seen := map[int64]bool{}
	for k := 2 + r.IntN(5); len(s.Tags) < k; {
		tag := g.tags[g.tagPick.Uint64()]
		if !seen[tag.ID] {
			seen[tag.ID] = true
			s.Tags = append(s.Tags, tag)
		}
	}
	// One story in six was updated later, some with a note saying how.
	if r.IntN(6) == 0 {
		s.UpdatedAt = first.Add(time.Duration(1+r.IntN(72)) * time.Hour)
		s.ModifiedAt = s.UpdatedAt
		if r.IntN(2) == 0 {
			s.Notes = []story.Note{{Kind: "update", Text: "This story has been updated with new figures.", At: s.UpdatedAt}}
		}
	}
	return s
}

// body mixes the template's blocks with paragraphs of other stories in
// the same language: real words, a realistic length and block mix, and a
// text that differs from story to story.
func (g *archiveGen) body(t *story.Story, same []*story.Story) []story.Block {
	r := g.rnd
	out := make([]story.Block, 0, len(t.Body)+4)
	for _, b := range t.Body {
		if b.Type == story.BlockParagraph && r.IntN(3) == 0 {
			o := same[r.IntN(len(same))]
			if p := paragraphs(o.Body); len(p) > 0 {
				b = p[r.IntN(len(p))]
			}
		}
		out = append(out, b)
	}
	return out
}

func paragraphs(body []story.Block) []story.Block {
	var out []story.Block
	for _, b := range body {
		if b.Type == story.BlockParagraph {
			out = append(out, b)
		}
	}
	return out
}
