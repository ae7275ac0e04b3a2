package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"dateline/internal/store"
	"dateline/internal/wire"
	"dateline/internal/wire/ingest"
)

// Folders beside the watched files: what was read, and what could not be.
const (
	DoneDir   = "done"
	FailedDir = "failed"
)

// importer makes the ingest importer for one source.
func (s *Service) importer(ctx context.Context, label string, publish bool) (*ingest.Importer, error) {
	return ingest.New(ctx, ingest.Options{Store: s.o.Store, Source: label, PublishUnrouted: publish,
		Language: s.o.Language, Fetch: s.o.Fetch, Now: s.o.Now})
}

// folder imports the files waiting in a source's folder, oldest first,
// moving each into done/ once its items are stored or into failed/ (with
// a .reason.txt beside it) when it cannot be read. A store error leaves
// the file where it is, for the next pass: an import is idempotent, so a
// file read again after a crash gives the same stories.
func (s *Service) folder(ctx context.Context, in store.WireIntake, label string) error {
	files, err := s.waiting(in.Folder)
	if err != nil || len(files) == 0 {
		return err
	}
	im, err := s.importer(ctx, label, in.Publish)
	if err != nil {
		return err
	}
	for _, name := range files {
		if ctx.Err() != nil {
			return nil
		}
		// Renew the lease before each file; stop when another instance
		// has taken the source over (ours ran out).
		now := s.o.Now()
		if ok, err := s.o.Store.LeaseWireIntake(ctx, in.SourceID, s.o.Holder, now, now.Add(s.o.Lease)); err != nil || !ok {
			return err
		}
		path := filepath.Join(in.Folder, name)
		res, err := s.importFile(ctx, im, path)
		switch {
		case err == nil:
			s.o.Log.InfoContext(ctx, "wire intake: imported", "source", label, "file", path, "items", summary(res))
			err = moveInto(path, DoneDir, "")
		case errors.Is(err, wire.ErrFormat):
			s.o.Log.WarnContext(ctx, "wire intake: failed", "source", label, "file", path, "err", err)
			err = moveInto(path, FailedDir, err.Error())
		default:
			return fmt.Errorf("import %s: %w", path, err)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// waiting lists the regular files of dir that are ready: not hidden, not
// partial uploads (.tmp, .part), unchanged for Settle.
func (s *Service) waiting(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read the folder: %w", err)
	}
	type file struct {
		name string
		mod  int64
	}
	var ready []file
	now := s.o.Now()
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".tmp") || strings.HasSuffix(name, ".part") {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // gone meanwhile
		}
		if now.Sub(fi.ModTime()) < s.o.Settle {
			continue
		}
		ready = append(ready, file{name, fi.ModTime().UnixNano()})
	}
	sort.Slice(ready, func(i, j int) bool {
		return ready[i].mod < ready[j].mod || ready[i].mod == ready[j].mod && ready[i].name < ready[j].name
	})
	names := make([]string, len(ready))
	for i, f := range ready {
		names[i] = f.name
	}
	return names, nil
}

// importFile reads a file of at most wire.MaxFileSize and imports it.
func (s *Service) importFile(ctx context.Context, im *ingest.Importer, path string) ([]ingest.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, wire.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(data) > wire.MaxFileSize {
		return nil, fmt.Errorf("%w: larger than %d MiB", wire.ErrFormat, wire.MaxFileSize>>20)
	}
	return im.Import(ctx, data)
}

// moveInto moves path into the folder sub beside it, under a name not
// taken yet there, and writes why beside it when why is set.
func moveInto(path, sub, why string) error {
	dir := filepath.Join(filepath.Dir(path), sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("make %s: %w", dir, err)
	}
	base := filepath.Base(path)
	to := filepath.Join(dir, base)
	for i := 1; ; i++ {
		if _, err := os.Lstat(to); errors.Is(err, os.ErrNotExist) {
			break
		}
		ext := filepath.Ext(base)
		to = filepath.Join(dir, fmt.Sprintf("%s.%d%s", strings.TrimSuffix(base, ext), i, ext))
	}
	if err := os.Rename(path, to); err != nil {
		return fmt.Errorf("move %s into %s: %w", path, sub, err)
	}
	if why != "" {
		if err := os.WriteFile(to+".reason.txt", []byte(why+"\n"), 0o644); err != nil {
			return fmt.Errorf("write why %s failed: %w", to, err)
		}
	}
	return nil
}

// summary counts the outcomes of a file's items, for the log.
func summary(res []ingest.Result) string {
	n := map[string]int{}
	for _, r := range res {
		n[r.Outcome]++
	}
	var b strings.Builder
	for _, k := range []string{store.WireImported, store.WireQueued, store.WireUpdated, store.WireKilled, store.WireWithheld, store.WireSkipped} {
		if n[k] > 0 {
			fmt.Fprintf(&b, "%s=%d ", k, n[k])
		}
	}
	return strings.TrimSpace(b.String())
}
