package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dateline/internal/auth"
	"dateline/internal/config"
	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/wire"
	"dateline/internal/wire/ingest"
)

type ingestFlags struct {
	source, section             string
	publish, noFetch, pushToken bool
}

func ingestCommand(f *ingestFlags) config.Command {
	return config.Command{
		Name: "ingest", Usage: "ingest [--source NAME] [--publish] [--section SLUG] PATH... [flags]",
		About: "Imports wire files or folders (recursively): IPTC NewsML-G2, ninjs 1.x-3.x, RSS, Atom and\n" +
			"JSON Feed, each file's format detected from its content. New items wait in the wire queue,\n" +
			"or with --publish go out at once, attributed to the source (an embargoed item waits for its\n" +
			"embargo). A higher version of an item updates its story, canceled kills it, withheld takes\n" +
			"it down until a later version; an equal or older version is skipped. Routing rules (newsroom,\n" +
			"Wire routing) choose the section and publish or queue (--publish overrides); unmatched items go\n" +
			"to their source's default section, else the first section one of their subjects names, else\n" +
			"--section (default: the first section); see docs/wire.md.\n" +
			"Ends with a line imported=N updated=N killed=N skipped=N failed=N; the exit\n" +
			"code is 1 when any file failed (the good files are still imported).",
		Flags: func(fs *flag.FlagSet) {
			fs.StringVar(&f.source, "source", "", "the agency's attribution label, e.g. AA (created when missing; default: each item's own credit)")
			fs.BoolVar(&f.publish, "publish", false, "publish new items at once instead of queueing them for the wire desk")
			fs.StringVar(&f.section, "section", "", "slug of the section for items no rule, default section or subject places (default: the first section)")
			fs.BoolVar(&f.noFetch, "no-fetch", false, "do not download the pictures items refer to")
			fs.BoolVar(&f.pushToken, "push-token", false, "instead of importing, make a new token for POST /api/v1/wire/{source} (replacing the old one),\n"+
				"print it once and exit; with --publish, pushed items are published at once")
		},
	}
}

// bulkFiles is the number of files from which an import is a bulk one.
const bulkFiles = 100

// ingestRun is the state of one `dateline ingest` run.
type ingestRun struct {
	im       *ingest.Importer
	stdout   io.Writer
	progress *progress
	counts   map[string]int
	skipped  []string
	failed   []string
	pictures int
	copies   int
}

// ingestFiles imports wire files from the command line.
func ingestFiles(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var f ingestFlags
	cfg, paths, err := config.Parse(ingestCommand(&f), args, getenv, stdout)
	if err != nil {
		return err
	}
	if f.pushToken {
		return newPushToken(ctx, cfg, f, stdout)
	}
	if len(paths) == 0 {
		return &config.UsageError{Msg: "ingest: name at least one file or folder to import"}
	}
	files, err := listFiles(paths)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	// A bulk import leaves related stories to one rebuild at the end:
	// per story they are most of the cost of publishing it.
	o := ingest.Options{Store: st, Source: f.source, Publish: f.publish, Section: f.section, Language: cfg.Language,
		DeferRelated: len(files) >= bulkFiles}
	if !f.noFetch {
		ms, err := media.Open(cfg.MediaDir)
		if err != nil {
			return fmt.Errorf("media dir %q: %w", cfg.MediaDir, err)
		}
		o.Fetch = ingest.NewFetcher(ms, st, cfg.AllowPrivateTargets).Fetch
	}
	im, err := ingest.New(ctx, o)
	if err != nil {
		return err
	}
	run := &ingestRun{im: im, stdout: stdout, progress: newProgress(stderr, len(files)), counts: map[string]int{}}
	start := time.Now()
	for i, file := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		run.progress.update(i, file)
		if err := run.file(ctx, file); err != nil {
			return err // the store failed: stop rather than report every file as failed
		}
	}
	run.progress.done()
	if _, err := im.Finish(ctx); err != nil {
		return err
	}
	run.summary(len(files), time.Since(start))
	if n := len(run.failed); n > 0 {
		return fmt.Errorf("ingest: %d of %d files failed", n, len(files))
	}
	return nil
}

// file imports one file. A file that cannot be read or parsed is counted
// as failed; only a store error is returned.
func (r *ingestRun) file(ctx context.Context, name string) error {
	data, err := readLimited(name)
	if err != nil {
		r.failed = append(r.failed, fmt.Sprintf("%s: %v", name, err))
		return nil
	}
	results, err := r.im.Import(ctx, data)
	if errors.Is(err, wire.ErrFormat) {
		r.failed = append(r.failed, fmt.Sprintf("%s: %v", name, err))
		return nil
	}
	for _, res := range results {
		r.counts[res.Outcome]++
		r.pictures += res.Unfetched
		if res.DuplicateOf != 0 {
			r.copies++
		}
		if res.Outcome == store.WireSkipped {
			what := name
			if res.GUID != "" {
				what += " " + res.GUID
			}
			r.skipped = append(r.skipped, fmt.Sprintf("%s: %s", what, res.Reason))
		}
	}
	return err
}

func (r *ingestRun) summary(files int, took time.Duration) {
	c := r.counts
	imported := c[store.WireImported] + c[store.WireQueued]
	killed := c[store.WireKilled] + c[store.WireWithheld]
	w := r.stdout
	fmt.Fprintf(w, "%d files in %s: %d imported (%d published or scheduled, %d queued for the wire desk), %d updated, %d killed or withheld, %d skipped, %d failed\n",
		files, took.Round(time.Millisecond), imported, c[store.WireImported], c[store.WireQueued], c[store.WireUpdated], killed, len(r.skipped), len(r.failed))
	if r.pictures > 0 {
		fmt.Fprintf(w, "%d pictures were not fetched: their stories went out without them\n", r.pictures)
	}
	if r.copies > 0 {
		fmt.Fprintf(w, "%d items repeat copy another source sent: flagged for the wire desk\n", r.copies)
	}
	if len(r.skipped) > 0 {
		fmt.Fprintln(w, "skipped:")
		for _, s := range r.skipped {
			fmt.Fprintln(w, "  "+s)
		}
	}
	if len(r.failed) > 0 {
		fmt.Fprintln(w, "failed:")
		for _, s := range r.failed {
			fmt.Fprintln(w, "  "+s)
		}
	}
	fmt.Fprintf(w, "imported=%d updated=%d killed=%d skipped=%d failed=%d\n", imported, c[store.WireUpdated], killed, len(r.skipped), len(r.failed))
}

// listFiles expands folders (recursively, in name order) into files,
// leaving out hidden files and folders.
func listFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
	}
	return out, nil
}

// readLimited reads a file of at most wire.MaxFileSize bytes.
func readLimited(name string) ([]byte, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, wire.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > wire.MaxFileSize {
		return nil, fmt.Errorf("larger than the %d MiB a wire file may have", wire.MaxFileSize>>20)
	}
	return data, nil
}

// newPushToken makes a source's push endpoint token and prints it once;
// only its hash is stored.
func newPushToken(ctx context.Context, cfg *config.Config, f ingestFlags, stdout io.Writer) error {
	if strings.TrimSpace(f.source) == "" {
		return &config.UsageError{Msg: "ingest --push-token: name the source with --source"}
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	src, err := st.EnsureSource(ctx, story.Source{Label: f.source, Name: f.source})
	if err != nil {
		return err
	}
	token, hash := auth.NewToken()
	if err := st.SetWirePushToken(ctx, src.ID, hash, f.publish); err != nil {
		return err
	}
	mode := "queued for the wire desk"
	if f.publish {
		mode = "published at once"
	}
	fmt.Fprintf(stdout, "push endpoint: %s/api/v1/wire/%s (items %s)\ntoken: %s\n(shown once: store it now; a new one replaces it)\n",
		cfg.BaseURL, src.Slug, mode, token)
	return nil
}
