// Command publish measures publish-to-visible: it publishes stories into
// the store of a running Dateline, through the editorial workflow, from a
// second process (as `dateline` commands and imports do), and polls the
// story page, the section's RSS feed and the news sitemap until each
// shows the story. The delay runs from just before the publish call to
// the first response that shows it. With several -base URLs (instances
// on one PostgreSQL database, -database-url) it polls each of them.
//
//	go run ./bench/publish -base http://127.0.0.1:8080 -db ./dateline.db -n 20
//	go run ./bench/publish -base http://127.0.0.1:8081,http://127.0.0.1:8082 -database-url postgres://… -n 20
//
// bench/publish.sh starts a server and runs it; bench/publish-two.sh
// starts two on PostgreSQL.
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
	"dateline/internal/store/postgres"
	"dateline/internal/store/sqlite"
	"dateline/internal/story"
	"dateline/internal/workflow"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "URL of the running Dateline; several, comma-separated, for instances on one database")
	db := flag.String("db", "./dateline.db", "that Dateline's SQLite store")
	dbURL := flag.String("database-url", "", "its PostgreSQL database instead (postgres://…)")
	n := flag.Int("n", 20, "stories to publish")
	section := flag.String("section", "world", "section to publish in")
	flag.Parse()
	if err := run(strings.Split(*base, ","), *db, *dbURL, *section, *n); err != nil {
		fmt.Fprintln(os.Stderr, "publish:", err)
		os.Exit(1)
	}
}

func run(bases []string, db, dbURL, sectionSlug string, n int) error {
	ctx := context.Background()
	var st store.Store
	var err error
	if dbURL != "" {
		st, err = postgres.Open(ctx, dbURL, nil)
	} else {
		st, err = sqlite.Open(ctx, db, nil)
	}
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
	names := [3]string{"story page", "section RSS", "news sitemap"}
	delays := make([][3][]time.Duration, len(bases))
	var calls []time.Duration // the publish call alone
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
		for _, base := range bases {
			for _, url := range []string{base + "/" + sectionSlug + "/rss.xml", base + "/sitemap-news.xml"} {
				if _, err := fetch(url); err != nil {
					return err
				}
			}
		}
		start := time.Now()
		if err := wf.Publish(ctx, u, id); err != nil {
			return err
		}
		calls = append(calls, time.Since(start))
		var wg sync.WaitGroup
		var mu sync.Mutex
		var failed error
		for b, base := range bases {
			feed, sitemap := base+"/"+sectionSlug+"/rss.xml", base+"/sitemap-news.xml"
			for k, c := range []struct{ url, want string }{{base + path, headline}, {feed, headline}, {sitemap, path}} {
				wg.Go(func() {
					d, err := waitFor(c.url, c.want, start, 10*time.Second)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						failed = err
						return
					}
					delays[b][k] = append(delays[b][k], d)
				})
			}
		}
		wg.Wait()
		if failed != nil {
			return failed
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Printf("publish-to-visible over %d publishes (publish call to the first response showing the story):\n\n", n)
	if len(bases) == 1 {
		fmt.Println("| what | median ms | max ms |")
		fmt.Println("| --- | --- | --- |")
	} else {
		fmt.Println("| instance | what | median ms | max ms |")
		fmt.Println("| --- | --- | --- | --- |")
	}
	for b, base := range bases {
		for k, ds := range delays[b] {
			slices.Sort(ds)
			if len(bases) > 1 {
				fmt.Printf("| %s ", base)
			}
			fmt.Printf("| %s | %.1f | %.1f |\n", names[k], ms(ds[len(ds)/2]), ms(ds[len(ds)-1]))
		}
	}
	slices.Sort(calls)
	fmt.Printf("\nthe publish call itself (included above): median %.1f ms, max %.1f ms\n", ms(calls[len(calls)/2]), ms(calls[len(calls)-1]))
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
