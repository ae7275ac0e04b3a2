package search_test

import (
	"bufio"
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// relevanceCase is a line of testdata/relevance.tsv.
type relevanceCase struct {
	kind, query, want string
}

func loadRelevance(t *testing.T) []relevanceCase {
	t.Helper()
	f, err := os.Open("testdata/relevance.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []relevanceCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("relevance.tsv: %q has %d fields, want 3", line, len(parts))
		}
		out = append(out, relevanceCase{parts[0], parts[1], parts[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRelevance runs the relevance test set against the demo newsroom on
// a real store and reports success@3 (the expected story among the first
// three results) and the mean reciprocal rank; it fails under 0.9
// success@3. Set DATELINE_RELEVANCE_VERBOSE=1 to see every query.
func TestRelevance(t *testing.T) {
	cases := loadRelevance(t)
	kinds := map[string]int{}
	for _, c := range cases {
		kinds[c.kind]++
	}
	if len(cases) < 30 {
		t.Errorf("%d queries, want at least 30", len(cases))
	}
	for _, k := range []string{"word", "phrase", "typo", "script", "tr", "ar"} {
		if kinds[k] == 0 {
			t.Errorf("no %q query in the set", k)
		}
	}
	ctx := context.Background()
	st := demoStore(t)
	verbose := os.Getenv("DATELINE_RELEVANCE_VERBOSE") != ""
	var hits3 int
	var rr float64
	for _, c := range cases {
		res, err := st.SearchStories(ctx, store.SearchQuery{Text: c.query, Limit: 10})
		if err != nil {
			t.Fatalf("%q: %v", c.query, err)
		}
		rank := 0
		var got []string
		for i, h := range res.Hits {
			got = append(got, h.Headline[0].Text+"…")
			if rank == 0 && strings.Contains(h.Summary.Headline, c.want) {
				rank = i + 1
			}
		}
		if rank > 0 {
			rr += 1 / float64(rank)
		}
		if rank > 0 && rank <= 3 {
			hits3++
		}
		if verbose || rank == 0 || rank > 3 {
			t.Logf("%-6s %-36q rank %d (relaxed %v, corrected %v %q); first: %q", c.kind, c.query, rank,
				res.Relaxed, res.Corrected, res.Query.String(), got[:min(len(got), 3)])
		}
	}
	s3, mrr := float64(hits3)/float64(len(cases)), rr/float64(len(cases))
	t.Logf("relevance: %d queries, success@3 %.3f, MRR %.3f", len(cases), s3, mrr)
	if s3 < 0.9 {
		t.Errorf("success@3 %.3f, want at least 0.9", s3)
	}
}

var shared struct {
	once sync.Once
	dir  string
	site *testutil.Site
	err  error
}

// demoStore fills the demo newsroom once for the tests that need it (a
// copy of the test run's demo when scripts/test.sh made one).
func demoStore(t *testing.T) store.Store {
	t.Helper()
	if testing.Short() {
		t.Skip("fills the demo newsroom")
	}
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "dateline-relevance-"); shared.err != nil {
			return
		}
		shared.site, shared.err = testutil.NewDemoSite(shared.dir, nil)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.site.Store
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.site != nil {
		shared.site.Close()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// TestRelatedQuality checks the precomputed related stories against the
// editors' own choices in the demo newsroom (its [[related:…]] links, which
// the computation never sees): the share of them found among a story's
// first five related stories.
func TestRelatedQuality(t *testing.T) {
	ctx := context.Background()
	st := demoStore(t)
	list, err := st.ListStories(ctx, store.ListQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var found, total int
	for _, sum := range list {
		full, err := st.Story(ctx, sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Related) == 0 {
			continue
		}
		rel, err := st.Related(ctx, sum.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range full.Related {
			total++
			rank := 0
			for i, r := range rel {
				if r.ID == want {
					rank = i + 1
				}
			}
			if rank > 0 {
				found++
			} else if os.Getenv("DATELINE_RELEVANCE_VERBOSE") != "" {
				t.Logf("%q: editor's %d not in %v", full.Headline, want, headlines(rel))
			}
		}
	}
	recall := float64(found) / float64(total)
	t.Logf("related: %d of the editors' %d choices among the first five (recall@5 %.2f)", found, total, recall)
	if recall < 0.5 {
		t.Errorf("related recall@5 %.2f, want at least 0.5", recall)
	}
}

func headlines(list []story.Summary) []string {
	var out []string
	for _, v := range list {
		out = append(out, v.Headline)
	}
	return out
}
