// Command relbuild measures the related-story rebuild and one story's
// save on a copy of a filled SQLite store (bench/RESULTS.md, "Related
// stories at a million, second try"). Never point it at a store you keep:
// it rewrites the related lists.
//
//	relbuild -db COPY rebuild            # RebuildRelated, then Analyze
//	relbuild -db COPY dump FILE          # each story's top 3, one line each
//	relbuild -db COPY save ID            # RelateStory for one story, rolled back
//	relbuild overlap OLD NEW             # how many of each top 3 stayed
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"dateline/internal/store/sqlite"
	"dateline/internal/store/sqlshare"
)

func main() {
	db := flag.String("db", "", "SQLite store (a copy)")
	flag.IntVar(&sqlshare.RelatedWindow, "window", sqlshare.RelatedWindow, "postings on either side of a story scored per term (sqlshare.RelatedWindow)")
	cpu := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.BoolVar(&trace, "trace", false, "print the memory every 5 s during a rebuild")
	flag.Parse()
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "relbuild:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(context.Background(), *db, flag.Args()); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "relbuild:", err)
		os.Exit(1)
	}
}

var trace bool

func run(ctx context.Context, db string, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("want rebuild, dump FILE, save ID or overlap OLD NEW")
	}
	if args[0] == "overlap" {
		if len(args) != 3 {
			return fmt.Errorf("overlap OLD NEW")
		}
		return overlap(args[1], args[2])
	}
	if db == "" {
		return fmt.Errorf("-db is required")
	}
	st, err := sqlite.Open(ctx, db, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	switch args[0] {
	case "rebuild":
		stop := sampleMemory(trace)
		t := time.Now()
		n, err := st.RebuildRelated(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("related lists for %d stories: %s\n", n, time.Since(t).Round(time.Millisecond))
		m := stop()
		fmt.Printf("Go heap: peak live %d MB, peak in use %d MB; peak RSS %d MB, of which Go's at most %d MB (the rest is SQLite's)\n",
			m.live>>20, m.inUse>>20, m.rss>>20, m.goRSS>>20)
		gc := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/gc/cycles/total:gc-cycles"}}
		metrics.Read(gc)
		fmt.Printf("GC: %d cycles, %.1f s of CPU\n", gc[1].Value.Uint64(), gc[0].Value.Float64())
		t = time.Now()
		if err := st.Analyze(ctx); err != nil {
			return err
		}
		fmt.Printf("analyze: %s\n", time.Since(t).Round(time.Millisecond))
		if b, err := os.ReadFile("/proc/self/io"); err == nil {
			fmt.Printf("I/O: %s\n", strings.Join(strings.Fields(string(b)), " "))
		}
		return nil
	case "dump":
		if len(args) != 2 {
			return fmt.Errorf("dump FILE")
		}
		return dump(ctx, st, args[1])
	case "save":
		if len(args) != 2 {
			return fmt.Errorf("save ID")
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return fmt.Errorf("save %q: %w", args[1], err)
		}
		return save(ctx, st, id)
	}
	return fmt.Errorf("unknown command %q", args[0])
}

// memPeaks are the peaks sampleMemory saw, in bytes.
type memPeaks struct {
	live  uint64 // Go heap live after a collection
	inUse uint64 // Go heap objects, live or not yet collected
	goRSS uint64 // memory the Go runtime holds from the OS, not released
	rss   uint64 // the process's resident set (VmRSS)
}

// sampleMemory samples the Go heap and the resident set every 200 ms
// until the returned function is called, which returns the peaks. With
// trace, it prints a line every 5 s to stderr: the time, RSS, Go's share
// and the live heap, so a run's phases show.
func sampleMemory(trace bool) func() memPeaks {
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	done := make(chan struct{})
	var peak memPeaks
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for n := 0; ; n++ {
			metrics.Read(samples)
			goRSS := samples[2].Value.Uint64() - samples[3].Value.Uint64()
			rss := vmRSS()
			peak.live = max(peak.live, samples[0].Value.Uint64())
			peak.inUse = max(peak.inUse, samples[1].Value.Uint64())
			peak.goRSS = max(peak.goRSS, goRSS)
			peak.rss = max(peak.rss, rss)
			if trace && n%25 == 0 {
				fmt.Fprintf(os.Stderr, "%6.0fs RSS %5d MB, Go %5d MB, live %5d MB\n",
					time.Since(start).Seconds(), rss>>20, goRSS>>20, samples[0].Value.Uint64()>>20)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() memPeaks {
		close(done)
		<-finished
		return peak
	}
}

// vmRSS is the process's resident set in bytes, 0 where /proc has none.
func vmRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// dump writes "story_id related_id related_id related_id" for each story
// with a list, best first.
func dump(ctx context.Context, st *sqlite.Store, file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	rows, err := st.DB().QueryContext(ctx, `SELECT story_id, related_id FROM story_auto_related
		ORDER BY story_id, score DESC, related_id DESC`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur int64 = -1
	n := 0
	for rows.Next() {
		var id, rel int64
		if err := rows.Scan(&id, &rel); err != nil {
			return err
		}
		if id != cur {
			if cur >= 0 {
				w.WriteString("\n")
			}
			fmt.Fprintf(w, "%d", id)
			cur, n = id, 0
		}
		if n < 3 {
			fmt.Fprintf(w, " %d", rel)
		}
		n++
	}
	if cur >= 0 {
		w.WriteString("\n")
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return w.Flush()
}

// save runs RelateStory for one published story in a transaction it rolls
// back, three times, and prints each time.
func save(ctx context.Context, st *sqlite.Store, id int64) error {
	s, err := st.Story(ctx, id)
	if err != nil {
		return err
	}
	for range 3 {
		tx, err := st.DB().BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		t := time.Now()
		err = st.Core.RelateStory(ctx, tx, s)
		d := time.Since(t)
		var n int
		if err == nil {
			err = tx.QueryRowContext(ctx, "SELECT count(*) FROM story_auto_related WHERE story_id = ?", id).Scan(&n)
		}
		tx.Rollback()
		if err != nil {
			return err
		}
		fmt.Printf("RelateStory(%d): %s, list of %d\n", id, d.Round(time.Microsecond), n)
	}
	return nil
}

// overlap compares two dumps: for each story in both, how many of the old
// top 3 are in the new top 3.
func overlap(oldFile, newFile string) error {
	read := func(file string) (map[string][]string, error) {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		out := map[string][]string{}
		for line := range strings.Lines(string(b)) {
			f := strings.Fields(line)
			if len(f) > 0 {
				out[f[0]] = f[1:]
			}
		}
		return out, nil
	}
	a, err := read(oldFile)
	if err != nil {
		return err
	}
	b, err := read(newFile)
	if err != nil {
		return err
	}
	var stories, kept, total, first int
	hist := [4]int{}
	for id, old := range a {
		nw, ok := b[id]
		if !ok {
			continue
		}
		stories++
		in := map[string]bool{}
		for _, r := range nw {
			in[r] = true
		}
		k := 0
		for _, r := range old {
			if in[r] {
				k++
			}
		}
		if len(old) > 0 && len(nw) > 0 && old[0] == nw[0] {
			first++
		}
		kept += k
		total += len(old)
		hist[min(k, 3)]++
	}
	fmt.Printf("stories in both: %d (old %d, new %d)\n", stories, len(a), len(b))
	if total > 0 {
		fmt.Printf("top-3 entries kept: %d of %d (%.1f%%); same first: %d (%.1f%%)\n", kept, total, 100*float64(kept)/float64(total), first, 100*float64(first)/float64(stories))
	}
	fmt.Printf("stories keeping 0/1/2/3 of their top 3: %d/%d/%d/%d\n", hist[0], hist[1], hist[2], hist[3])
	return nil
}
