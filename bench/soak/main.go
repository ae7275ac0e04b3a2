// Command soak holds a mixed load on a running Dateline for a while and
// reports errors, latency percentiles and the server's memory. It is the
// driver of bench/soak.sh, which builds and starts the server.
//
// Readers fetch pages, search and feeds at a fixed total rate, each
// request scheduled on a clock and timed from when it was due (so a slow
// server shows as latency, not as fewer requests); an editor signs in and
// publishes a story every few seconds, which also empties the page cache;
// readers now and then send feedback; an agency pushes a wire item through
// the push endpoint every couple of seconds, published at once (every
// fifth push is a new version of the item before, which updates its
// story). Readers come from many addresses
// (X-Forwarded-For, which the server believes from loopback when started
// with --trusted-proxies 127.0.0.1), as they would in production.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "the server's URL")
	duration := flag.Duration("duration", 10*time.Minute, "how long to hold the load")
	rate := flag.Int("rate", 100, "reader requests a second, in total")
	workers := flag.Int("workers", 32, "concurrent readers")
	publishEvery := flag.Duration("publish-every", 5*time.Second, "how often the editor publishes a story (0: never)")
	email := flag.String("email", "", "the editor's email")
	password := flag.String("password", "", "the editor's password")
	pid := flag.Int("pid", 0, "the server's process id, to read its memory (Linux /proc)")
	wireEvery := flag.Duration("wire-every", 2*time.Second, "how often the agency pushes a wire item (0: never)")
	wireSource := flag.String("wire-source", "", "the slug of the wire source to push to")
	wireToken := flag.String("wire-token", "", "the wire source's push token")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()

	l := &load{base: strings.TrimRight(*base, "/"), stats: map[string]*stat{}}
	l.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	l.client.Timeout = 30 * time.Second
	if err := l.discover(); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
	if *wireSource == "" || *wireToken == "" {
		*wireEvery = 0
	}
	fmt.Printf("soak: %s for %s, readers %d req/s on %d workers, %d story pages known, editor every %s, wire item every %s\n",
		l.base, *duration, *rate, *workers, len(l.stories), *publishEvery, *wireEvery)
	rssStart := rss(*pid)
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) * float64(*workers) / float64(*rate))
	for w := range *workers {
		wg.Go(func() { l.reader(ctx, w, interval) })
	}
	if *publishEvery > 0 && *email != "" {
		wg.Go(func() { l.editor(ctx, *email, *password, *publishEvery) })
	}
	if *wireEvery > 0 {
		wg.Go(func() { l.agency(ctx, *wireSource, *wireToken, *wireEvery) })
	}
	var samples []string
	wg.Go(func() {
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if *pid > 0 {
					l.mu.Lock()
					samples = append(samples, fmt.Sprintf("%.0f", rss(*pid)))
					l.mu.Unlock()
				}
			}
		}
	})
	start := time.Now()
	wg.Wait()
	l.report(time.Since(start))
	if *pid > 0 {
		fmt.Printf("server RSS: start %.1f MiB, end %.1f MiB (every 30 s: %s MiB)\n", rssStart, rss(*pid), strings.Join(samples, " "))
	}
	if l.errors() > 0 {
		os.Exit(1)
	}
}

// load is the shared state of the readers and the editor.
type load struct {
	base    string
	client  http.Client
	stories []string
	slugs   []string // section slugs
	mu      sync.Mutex
	stats   map[string]*stat
	errLog  []string
}

type stat struct {
	n, errs int
	lat     []time.Duration
}

var searchWords = []string{"election", "drought", "football", "inflation", "istanbul", "climate", "port", "chip", "\"sea level\"",
	"rate -cut", "energ*", "kenya", "olympic", "fusion", "quake", "xyzzy", "türkiye", "العراق"}

// discover reads the story pages and sections from the API.
func (l *load) discover() error {
	res, err := l.client.Get(l.base + "/api/v1/stories?limit=100")
	if err != nil {
		return fmt.Errorf("list stories: %w", err)
	}
	defer res.Body.Close()
	var page struct {
		Data []struct {
			AltIDs []struct {
				Role  string `json:"role"`
				Value string `json:"value"`
			} `json:"altIds"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		return fmt.Errorf("list stories: %w", err)
	}
	seen := map[string]bool{}
	for _, d := range page.Data {
		for _, a := range d.AltIDs {
			u, err := url.Parse(a.Value)
			if a.Role != "webpage" || err != nil {
				continue
			}
			l.stories = append(l.stories, u.Path)
			if sec := strings.Split(u.Path, "/")[1]; !seen[sec] {
				seen[sec] = true
				l.slugs = append(l.slugs, sec)
			}
		}
	}
	if len(l.stories) == 0 {
		return fmt.Errorf("no story pages found through %s/api/v1/stories", l.base)
	}
	return nil
}

// pick chooses a reader's next request: mostly pages, then search and feeds.
func (l *load) pick(r *rand.Rand) (class, path string) {
	sec := l.slugs[r.IntN(len(l.slugs))]
	switch n := r.IntN(100); {
	case n < 45:
		return "story", l.stories[r.IntN(len(l.stories))]
	case n < 55:
		return "front", "/"
	case n < 65:
		return "section", "/" + sec
	case n < 80:
		return "search", "/search?q=" + url.QueryEscape(searchWords[r.IntN(len(searchWords))])
	case n < 93:
		feeds := []string{"/rss.xml", "/atom.xml", "/feed.json", "/" + sec + "/rss.xml", "/sitemap-news.xml"}
		return "feed", feeds[r.IntN(len(feeds))]
	default:
		return "api", "/api/v1/stories?limit=20"
	}
}

func (l *load) reader(ctx context.Context, w int, every time.Duration) {
	r := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
	due := time.Now().Add(time.Duration(r.Int64N(int64(every))))
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(due)):
		}
		ip := fmt.Sprintf("10.%d.%d.%d", w, r.IntN(250), r.IntN(250))
		if r.IntN(500) == 0 {
			form := url.Values{"message": {"A reader's note during the soak test."}}
			l.do(ctx, "feedback", http.MethodPost, "/feedback", form, ip, due, nil, http.StatusSeeOther)
		} else {
			class, path := l.pick(r)
			l.do(ctx, class, http.MethodGet, path, nil, ip, due, nil, http.StatusOK)
		}
		due = due.Add(every)
	}
}

var storyDone = regexp.MustCompile(`^/newsroom/stories/\d+\?done=published$`)

func (l *load) editor(ctx context.Context, email, password string, every time.Duration) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	l.do(ctx, "login", http.MethodPost, "/newsroom/login", url.Values{"email": {email}, "password": {password}}, "127.0.0.1", time.Now(), c, http.StatusSeeOther)
	section := l.sectionID(c)
	t := time.NewTicker(every)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		form := url.Values{"headline": {fmt.Sprintf("Soak story %d at %s", n, time.Now().Format(time.TimeOnly))},
			"standfirst": {"Published by the soak benchmark."}, "section": {section}, "type": {"news"}, "language": {"en"},
			"bylines": {"Soak Desk"}, "tags": {"Soak, Benchmark"}, "action": {"publish"},
			"body": {strings.Repeat("A paragraph of the soak story, long enough to index. ", 40) + "\n\n## More\n\nThe end."}}
		l.do(ctx, "publish", http.MethodPost, "/newsroom/stories/new", form, "127.0.0.1", time.Now(), c, http.StatusSeeOther)
	}
}

// agency pushes a ninjs item every so often, as a wire service does; every
// fifth push is version 2 of the item before. The answer must say the
// item was imported (published) or its story updated.
func (l *load) agency(ctx context.Context, source, token string, every time.Duration) {
	run := time.Now().UnixNano()
	t := time.NewTicker(every)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		id, version, want := n, 1, "imported"
		if n%5 == 0 {
			id, version, want = n-1, 2, "updated"
		}
		headline := fmt.Sprintf("Soak wire item %d", id)
		item, _ := json.Marshal(map[string]any{
			"uri": fmt.Sprintf("urn:soak:%d:%d", run, id), "type": "text", "version": version, "pubStatus": "usable",
			"language": "en", "versionCreated": time.Now().UTC().Format(time.RFC3339), "by": "Soak Reporter",
			"headlines":    []map[string]string{{"role": "main", "value": headline}},
			"descriptions": []map[string]string{{"role": "summary", "value": fmt.Sprintf("Version %d, pushed by the soak benchmark.", version)}},
			"subjects":     []map[string]string{{"name": "Soak"}, {"name": "Wire"}},
			"bodies": []map[string]string{{"role": "main", "contentType": "text/html",
				"value": strings.Repeat("<p>A paragraph of agency copy, long enough to index and to fingerprint.</p>", 12) +
					fmt.Sprintf("<p>Version %d of item %d.</p>", version, id)}},
		})
		due := time.Now()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, l.base+"/api/v1/wire/"+source, bytes.NewReader(item))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := l.client.Do(req)
		var answer struct {
			Items []struct {
				Outcome string `json:"outcome"`
			} `json:"items"`
		}
		if err == nil {
			err = json.NewDecoder(res.Body).Decode(&answer)
			res.Body.Close()
		}
		if ctx.Err() != nil {
			return
		}
		problem := ""
		switch {
		case err != nil:
			problem = err.Error()
		case res.StatusCode != http.StatusOK:
			problem = strconv.Itoa(res.StatusCode)
		case len(answer.Items) != 1 || answer.Items[0].Outcome != want:
			problem = fmt.Sprintf("outcome %+v, want %s", answer.Items, want)
		}
		l.record("wire", time.Since(due), problem, http.MethodPost+" /api/v1/wire/"+source)
	}
}

// sectionID reads the first section's id from the editor's form.
func (l *load) sectionID(c *http.Client) string {
	res, err := c.Get(l.base + "/newsroom/stories/new")
	if err != nil {
		return "1"
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	m := regexp.MustCompile(`<option value="(\d+)"`).FindSubmatch(b)
	if m == nil {
		return "1"
	}
	return string(m[1])
}

// do sends one request and records it under class, timed from due.
func (l *load) do(ctx context.Context, class, method, path string, form url.Values, ip string, due time.Time, c *http.Client, want int) {
	if c == nil {
		c = &l.client
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequestWithContext(ctx, method, l.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-Forwarded-For", ip)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := c.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	lat := time.Since(due)
	if ctx.Err() != nil {
		return // the run ended during the request: not the server's fault
	}
	ok := err == nil && (res.StatusCode == want || (want == http.StatusOK && res.StatusCode == http.StatusNotModified))
	if c != &l.client && method == http.MethodPost && class == "publish" && ok && !storyDone.MatchString(res.Header.Get("Location")) {
		ok = false
	}
	problem := ""
	if !ok {
		problem = fmt.Sprint(err)
		if err == nil {
			problem = strconv.Itoa(res.StatusCode)
		}
	}
	l.record(class, lat, problem, method+" "+path)
}

// record counts one request of class; problem is empty when it went well.
func (l *load) record(class string, lat time.Duration, problem, what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.stats[class]
	if s == nil {
		s = &stat{}
		l.stats[class] = s
	}
	s.n++
	s.lat = append(s.lat, lat)
	if problem != "" {
		s.errs++
		if len(l.errLog) < 20 {
			l.errLog = append(l.errLog, fmt.Sprintf("%s: %s", what, problem))
		}
	}
}

func (l *load) errors() int {
	n := 0
	for _, s := range l.stats {
		n += s.errs
	}
	return n
}

func (l *load) report(took time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	classes := make([]string, 0, len(l.stats))
	all := &stat{}
	for c, s := range l.stats {
		classes = append(classes, c)
		all.n += s.n
		all.errs += s.errs
		all.lat = append(all.lat, s.lat...)
	}
	slices.Sort(classes)
	fmt.Printf("\n%-9s %8s %7s %9s %9s %9s %9s\n", "class", "requests", "errors", "p50", "p95", "p99", "max")
	line := func(name string, s *stat) {
		slices.Sort(s.lat)
		fmt.Printf("%-9s %8d %7d %9s %9s %9s %9s\n", name, s.n, s.errs, pct(s.lat, 50), pct(s.lat, 95), pct(s.lat, 99), pct(s.lat, 100))
	}
	for _, c := range classes {
		line(c, l.stats[c])
	}
	line("all", all)
	fmt.Printf("%d requests in %s (%.1f/s), %d errors\n", all.n, took.Round(time.Second), float64(all.n)/took.Seconds(), all.errs)
	for _, e := range l.errLog {
		fmt.Println("  error:", e)
	}
}

func pct(sorted []time.Duration, p int) string {
	if len(sorted) == 0 {
		return "-"
	}
	i := (len(sorted)*p + 99) / 100
	i = min(max(i-1, 0), len(sorted)-1)
	return sorted[i].Round(100 * time.Microsecond).String()
}

// rss is the resident memory of process pid in MiB, 0 when unknown.
func rss(pid int) float64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}
