// Command publish measures publish-to-visible on one instance: it
// publishes stories into the store of a running Dateline, through the
// editorial workflow, from a second process (as `dateline` commands and
// imports do), and polls the story page, the section's RSS feed and the
// news sitemap until each shows the story. The delay runs from just
// before the publish call to the first response that shows it.
//
//	go run ./bench/publish -base http://127.0.0.1:8080 -db ./dateline.db -n 20
//
// bench/publish.sh starts a server and runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"dateline/internal/store"
	"dateline/internal/store/sqlite"
	"dateline/internal/story"
	"dateline/internal/workflow"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "URL of the running Dateline")
	db := flag.String("db", "./dateline.db", "that Dateline's SQLite store")
	n := flag.Int("n", 20, "stories to publish")
	section := flag.String("section", "world", "section to publish in")
	flag.Parse()
	if err := run(*base, *db, *section, *n); err != nil {
		fmt.Fprintln(os.Stderr, "publish:", err)
		os.Exit(1)
	}
}

func run(base, db, sectionSlug string, n int) error {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	sec, err := st.SectionBySlug(ctx, sectionSlug)
	if err != nil {
		return err
	}
	email := fmt.Sprintf("publish-bench-%d@example.com", time.Now().UnixNano())
	u := store.User{Email: email, Name: "Publish Bench", Role: store.RoleEditor, PasswordHash: "-", CreatedAt: time.Now()}
	if u.ID, err = st.CreateUser(ctx, u); err != nil {
		return err
	}
	wf := workflow.New(st, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	feed, sitemap := base+"/"+sectionSlug+"/rss.xml", base+"/sitemap-news.xml"
	var delays [3][]time.Duration
	names := [3]string{"story page", "section RSS", "news sitemap"}
	for i := range n {
		headline := fmt.Sprintf("Publish probe %d at %d", i+1, time.Now().UnixNano())
		s := &story.Story{Language: "en", Type: story.TypeNews, Section: sec, Headline: headline,
			Standfirst: "A story published to time how soon readers see it.",
			Body:       story.ParseBody("The probe's only paragraph.")}
		s.Slug = story.Slugify(headline, 80)
		id, err := wf.Create(ctx, u, s)
		if err != nil {
			return err
		}
		path := story.Path(sec.Slug, s.Slug, id)
		// The lists are in the page cache before the publish, as on a
		// live site, so what is timed includes letting go of them.
		for _, url := range []string{feed, sitemap} {
			if _, err := fetch(url); err != nil {
				return err
			}
		}
		start := time.Now()
		if err := wf.Publish(ctx, u, id); err != nil {
			return err
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var failed error
		for k, c := range []struct{ url, want string }{{base + path, headline}, {feed, headline}, {sitemap, path}} {
			wg.Go(func() {
				d, err := waitFor(c.url, c.want, start, 10*time.Second)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					failed = err
					return
				}
				delays[k] = append(delays[k], d)
			})
		}
		wg.Wait()
		if failed != nil {
			return failed
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Printf("publish-to-visible over %d publishes (publish call to the first response showing the story):\n\n", n)
	fmt.Println("| what | median ms | max ms |")
	fmt.Println("| --- | --- | --- |")
	for k, ds := range delays {
		slices.Sort(ds)
		fmt.Printf("| %s | %.1f | %.1f |\n", names[k], ms(ds[len(ds)/2]), ms(ds[len(ds)-1]))
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// waitFor polls url every 2 ms until its body contains want.
func waitFor(url, want string, start time.Time, limit time.Duration) (time.Duration, error) {
	for time.Since(start) < limit {
		body, err := fetch(url)
		if err == nil && strings.Contains(body, want) {
			return time.Since(start), nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0, fmt.Errorf("%s did not show %q within %s", url, want, limit)
}

func fetch(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	return string(b), nil
}
