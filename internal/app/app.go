// Package app wires Dateline together: it reads the command line, opens
// the store, builds the HTTP surfaces and runs them until told to stop.
// It is the only package that knows every other one.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"dateline/internal/api"
	"dateline/internal/coalesce"
	"dateline/internal/config"
	"dateline/internal/demo"
	"dateline/internal/httpcache"
	"dateline/internal/media"
	"dateline/internal/metrics"
	"dateline/internal/newsroom"
	"dateline/internal/site"
	"dateline/internal/store"
	"dateline/internal/webhook"
	"dateline/internal/wire/ingest"
	"dateline/internal/wire/intake"
	"dateline/internal/wire/push"
	"dateline/internal/workflow"
	"dateline/web"
)

// Version is set at build time with -ldflags "-X dateline/internal/app.Version=…".
var Version = "dev"

// ExitCode maps an error from Run to the process exit code: 0 success,
// 2 usage error, 1 anything else.
func ExitCode(err error) int {
	var ue *config.UsageError
	switch {
	case err == nil, errors.Is(err, config.ErrHelp):
		return 0
	case errors.As(err, &ue):
		return 2
	}
	return 1
}

var commands = []config.Command{
	{Name: "serve", Usage: "serve [flags]", About: "Runs the public site on one address; creates and migrates the store on first start.", Demo: true},
	{Name: "migrate", Usage: "migrate [flags]", About: "Applies schema migrations to the store and exits."},
	{Name: "version", Usage: "version", About: "Prints the version and build information."},
}

const usage = `Dateline: a news publishing platform in one binary.

Usage: dateline <command> [flags]

Commands:
  serve      run the site (add --demo to fill an empty store with a demo newsroom)
  user add   create a staff account: --email E --name N --role admin|editor|reporter [--password-stdin]
  ingest     import wire files or folders: [--source NAME] [--publish] PATH...
  migrate    apply schema migrations and exit
  backup     FILE: write a consistent copy of the store (and a media manifest) while serving
  restore    FILE [--force]: restore a backup as the store (never over one without --force)
  version    print version and build information
  healthcheck  exit 0 when the server at --addr answers /healthz (for container health checks)
  bench-data --stories N: fill an empty store with a synthetic archive for benchmarks

Run 'dateline <command> --help' for the flags of a command. Every flag has an
environment twin: DATELINE_ plus the flag name in upper case, '_' for '-'
(for example --media-dir and DATELINE_MEDIA_DIR).
`

// Run is the whole program: main only calls it. Tests call it with their
// own arguments, environment and writers, and cancel ctx to stop serve.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return RunWithInput(ctx, args, getenv, nil, stdout, stderr)
}

// RunWithInput is Run with a standard input, for commands that read one
// (user add --password-stdin).
func RunWithInput(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return &config.UsageError{Msg: "no command given"}
		}
		return nil
	}
	name, rest := args[0], args[1:]
	switch name {
	case "backup":
		return backup(ctx, rest, getenv, stdout)
	case "restore":
		return restore(ctx, rest, getenv, stdout)
	case "bench-data":
		return benchData(ctx, rest, getenv, stdout)
	case "healthcheck":
		return healthcheck(ctx, rest, getenv, stdout)
	}
	if name == "user" {
		if stdin == nil {
			stdin = strings.NewReader("")
		}
		return userAdd(ctx, rest, getenv, stdin, stdout)
	}
	if name == "ingest" {
		return ingestFiles(ctx, rest, getenv, stdout, stderr)
	}
	var cmd *config.Command
	for i := range commands {
		if commands[i].Name == name {
			cmd = &commands[i]
		}
	}
	if cmd == nil {
		return &config.UsageError{Msg: fmt.Sprintf("unknown command %q (see dateline --help)", name)}
	}
	if name == "version" {
		return printVersion(stdout)
	}
	cfg, _, err := config.Parse(*cmd, rest, getenv, stdout)
	if err != nil {
		return err
	}
	if name == "serve" {
		// The server's lines (one a request) go out in batches; see
		// logWriter. Other commands write theirs at once.
		lw := newLogWriter(stderr)
		defer lw.Close()
		stderr = lw
		defer tuneGC(cfg, getenv)()
		pace, stop := context.WithCancel(ctx)
		defer stop()
		go paceGC(pace)
	}
	log := slog.New(newTextLog(stderr))
	switch name {
	case "migrate":
		st, err := openStore(ctx, cfg)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "store %s is up to date\n", storeName(cfg))
		return st.Close()
	default:
		return serve(ctx, cfg, log, stdout)
	}
}

func printVersion(w io.Writer) error {
	info, _ := debug.ReadBuildInfo()
	goVer, rev := "", ""
	if info != nil {
		goVer = info.GoVersion
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				rev = s.Value
			}
		}
	}
	fmt.Fprintf(w, "dateline %s", Version)
	if rev != "" {
		fmt.Fprintf(w, " (%s)", rev)
	}
	fmt.Fprintf(w, " %s\n", goVer)
	return nil
}

// Handler builds the whole HTTP surface on an open store: the site's
// routes wrapped in CSRF protection, security headers and the access log.
func Handler(cfg *config.Config, st store.Store, ms *media.Store, log *slog.Logger) (http.Handler, error) {
	if err := ensureSecret(context.Background(), st); err != nil {
		return nil, err
	}
	// Crops follow the focal point editors set in the media library.
	ms.Focus = func(ctx context.Context, hash string) (float64, float64, error) {
		m, err := st.MediaByHash(ctx, hash)
		if errors.Is(err, store.ErrNotFound) {
			return 0.5, 0.5, nil
		}
		return m.FocalX, m.FocalY, err
	}
	s, err := site.New(site.Deps{Config: cfg, Store: st, Templates: web.Templates, Static: web.Static, Media: ms.Handler(), MediaSize: ms.Size, Logger: log})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	s.Routes(mux)
	nr, err := newsroom.New(context.Background(), newsroom.Deps{Config: cfg, Store: st, Media: ms, Templates: web.Templates,
		Preview: s, Asset: s.Asset, Logger: log})
	if err != nil {
		return nil, err
	}
	nr.Routes(mux)
	api.New(api.Deps{Config: cfg, Store: st, Logger: log}).Routes(mux)
	push.New(st, ingest.NewFetcher(ms, st, cfg.AllowPrivateTargets).Fetch, cfg.Language, log).Routes(mux)
	// CrossOriginProtection refuses state-changing requests that browsers
	// mark as cross-site (Sec-Fetch-Site, Origin): CSRF defence without
	// tokens, so cached public pages need no per-visitor state.
	csrf := http.NewCrossOriginProtection()
	// Conditional GET (ETag, Last-Modified, 304) and Cache-Control for a
	// CDN on the public pages, feeds, sitemaps and API.
	// With the page cache on, each public page is rendered once per
	// change of content and sent pre-compressed.
	co := httpcache.Options{Policy: httpcache.SitePolicy, OnHit: s.CountCachedView, Renders: renderSlots(cfg)}
	if cfg.PageCacheMB > 0 {
		co.Version, co.MaxBytes = st.ContentVersion, int64(cfg.PageCacheMB)<<20
	}
	// Prometheus metrics: every request by route pattern, and renders
	// (what reaches the mux through the page cache) timed apart.
	var cached *httpcache.Handler
	mo := metrics.Options{Route: func(r *http.Request) string { _, p := mux.Handler(r); return p },
		Renders: func() httpcache.RenderStats { return cached.RenderStats() }}
	if co.Version != nil {
		mo.Cache = func() httpcache.Stats { return cached.Stats() }
	}
	m := metrics.New(mo)
	mux.Handle("GET /metrics", m)
	cached = httpcache.New(m.Render(mux), co)
	// Rate limits sit in front of the cache (a client walking through
	// search queries or API pages misses it anyway), body limits in front
	// of everything that reads a body.
	limited := limitRequests(cfg, s.TooManyRequests, cached)
	// A request that fails because the database is gone answers 503
	// with Retry-After, not 500 (what the page cache cannot answer).
	return observe(log, m, securityHeaders(cfg.TLS(), unavailable(storePinger(st), csrf.Handler(limitBodies(s.TooLarge, limited))))), nil
}

// renderSlots is how many public pages may render at once. On SQLite a
// render is CPU work in this process (the store's queries included), so
// one more than the cores the runtime uses: the extra one keeps a core
// busy while a render waits for a read. A render on PostgreSQL also
// waits for the database over the network, so three a core: with a
// local server and the page cache off, as many pages a second as with
// no bound and a p99 three to four times lower (bench/RESULTS.md, ninth
// session).
func renderSlots(cfg *config.Config) int {
	if cfg.DatabaseURL != "" {
		return 3 * runtime.GOMAXPROCS(0)
	}
	return runtime.GOMAXPROCS(0) + 1
}

// serve opens the store, fills the demo when asked, and serves until ctx
// ends, then shuts down gracefully.
func serve(ctx context.Context, cfg *config.Config, log *slog.Logger, stdout io.Writer) error {
	start := time.Now()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	// On PostgreSQL, one connection listens for changes to public
	// content made by any instance or command, so cached pages need not
	// ask the database on every view; stopped before the store closes.
	if l, ok := st.(listener); ok {
		lctx, stop := context.WithCancel(ctx)
		listening := make(chan struct{})
		go func() { defer close(listening); l.Listen(lctx, log) }()
		defer func() { stop(); <-listening }()
	}
	ms, err := media.Open(cfg.MediaDir)
	if err != nil {
		return fmt.Errorf("media dir %q: %w", cfg.MediaDir, err)
	}
	if err := ensureSecret(ctx, st); err != nil {
		return err
	}
	if cfg.Demo {
		n, err := demo.Fill(ctx, st, ms, time.Now())
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if n > 0 {
			log.Info("demo newsroom created", "stories", n, "took", time.Since(start).Round(time.Millisecond))
			if err := analyze(ctx, st); err != nil {
				log.Warn("planner statistics", "err", err)
			}
		}
	}
	// Story page views are counted in memory and written once a minute
	// and at shutdown, so a page view never waits for a write.
	views := store.NewViewBuffer(st, store.ViewBufferOptions{Log: log})
	defer views.Stop(context.Background()) // before st.Close: defers run last in, first out
	// Related stories are rebuilt in the background when the store asks
	// (after a migration, or once the archive has doubled); the site
	// serves meanwhile. The store is closed only after it has stopped.
	related := make(chan struct{})
	go func() { defer close(related); maintainRelated(ctx, st, log) }()
	go maintainStats(ctx, st, log)
	defer func() { <-related }()
	// Webhooks and WebSub pings follow the story event log in the
	// background (publishing never waits for them); the store is closed
	// only after they have stopped.
	hooks := make(chan struct{})
	go func() {
		defer close(hooks)
		webhook.New(webhook.Options{Store: st, BaseURL: cfg.BaseURL, Hub: cfg.WebSubHub, AllowPrivate: cfg.AllowPrivateTargets, Log: log}).Run(ctx)
	}()
	defer func() { <-hooks }()
	// Wire copy arrives from watched folders and polled feeds, each
	// source under a lease in the store; stopped before the store closes.
	wireIn := make(chan struct{})
	go func() {
		defer close(wireIn)
		intake.New(intake.Options{Store: st, Fetch: ingest.NewFetcher(ms, st, cfg.AllowPrivateTargets).Fetch,
			Language: cfg.Language, AllowPrivate: cfg.AllowPrivateTargets, Log: log}).Run(ctx)
	}()
	defer func() { <-wireIn }()
	handler, err := Handler(cfg, views, ms, log)
	if err != nil {
		return err
	}
	// Scheduled stories go out on time, and at once after a restart.
	go workflow.New(st, time.Now, log).Run(ctx)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if cfg.DebugAddr != "" {
		if err := serveDebug(ctx, cfg.DebugAddr, log); err != nil {
			return err
		}
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Pages from memory leave in one write (package coalesce).
		ConnContext: coalesce.ConnContext,
	}
	addr := ln.Addr().String()
	log.Info("serving", "addr", "http://"+addr, "db", storeName(cfg), "ready_in", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "Dateline is serving on http://%s\n", addr)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(coalesce.Listen(ln)) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", addr, err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := views.Stop(sctx); err != nil {
		log.Warn("write view counts", "err", err)
	}
	return nil
}

// maintainStats refreshes the query planner's statistics every hour, so
// that plans stay right while the archive grows (a bulk import can take
// it from hundreds of stories to a million in a day).
func maintainStats(ctx context.Context, st store.Store, log *slog.Logger) {
	if _, ok := st.(analyzer); !ok {
		return
	}
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := analyze(ctx, st); err != nil && ctx.Err() == nil {
				log.Warn("planner statistics", "err", err)
			}
		}
	}
}

// maintainRelated rebuilds the related stories whenever the store says
// they are stale, at start and then every six hours, until ctx ends.
func maintainRelated(ctx context.Context, st store.Store, log *slog.Logger) {
	t := time.NewTicker(6 * time.Hour)
	defer t.Stop()
	for {
		stale, err := st.RelatedStale(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("related stories", "err", err)
		case stale:
			start := time.Now()
			var n int
			batchGC(func() { n, err = st.RebuildRelated(ctx) })
			if err != nil && ctx.Err() == nil {
				log.Error("rebuild related stories", "err", err)
			} else if err == nil {
				log.Info("related stories rebuilt", "stories", n, "took", time.Since(start).Round(time.Millisecond))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
