package sqlite

import (
	"os"
	msqlite "modernc.org/sqlite"
	"context"
	"sort"
	"testing"
	"time"
)

func BenchmarkScratchSlow(b *testing.B) {
	if p := os.Getenv("SCRATCH_PRAGMA"); p != "" {
		msqlite.RegisterConnectionHook(func(c msqlite.ExecQuerierContext, _ string) error {
			_, err := c.ExecContext(context.Background(), "PRAGMA "+p, nil)
			return err
		})
	}
	a := openBenchArchive(b)
	ctx := context.Background()
	qs := a.queries(400)
	type r struct {
		d     time.Duration
		q     string
		total int
		mode  string
	}
	var out []r
	for range 2 {
		out = out[:0]
		for _, q := range qs {
			t := time.Now()
			res, err := a.store.SearchStories(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			m := ""
			if res.Relaxed { m += "R" }
			if res.Corrected { m += "C" }
			out = append(out, r{time.Since(t), q.Text, res.Total, m})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].d > out[j].d })
	for _, x := range out[:25] {
		b.Logf("%8.2fms %6d %2s %q", float64(x.d.Microseconds())/1000, x.total, x.mode, x.q)
	}
}
