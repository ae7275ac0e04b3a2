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
		stop := sampleHeap()
		t := time.Now()
		n, err := st.RebuildRelated(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("related lists for %d stories: %s\n", n, time.Since(t).Round(time.Millisecond))
		fmt.Printf("Go heap: peak live %d MB, peak in use %d MB (the rest of the RSS is SQLite's page caches)\n", stop()>>20, peakInUse>>20)
		t = time.Now()
		if err := st.Analyze(ctx); err != nil {
			return err
		}
		fmt.Printf("analyze: %s\n", time.Since(t).Round(time.Millisecond))
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

var peakInUse uint64

// sampleHeap samples the Go heap every 200 ms until the returned function
// is called, which returns the peak of live bytes after a collection.
func sampleHeap() func() uint64 {
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	var peak uint64
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			peak = max(peak, samples[0].Value.Uint64())
			peakInUse = max(peakInUse, samples[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return peak
	}
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
