package testutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"dateline/internal/demo"
	"dateline/internal/media"
	"dateline/internal/store/sqlite"
)

// DemoCacheEnv names a directory in which the first test binary of a run
// that needs the demo newsroom leaves a copy of it (the database, its
// pictures and the time it was filled at), so that every later binary of
// the same run copies files instead of drawing and storing the demo again
// (a minute or more under the race detector). scripts/test.sh makes a
// fresh directory per run, so the copy can never be older than the code;
// without the variable every fixture fills its own demo.
const DemoCacheEnv = "DATELINE_TEST_DEMO_CACHE"

// fillDemo fills the store at dbPath and the media store ms with the demo
// newsroom, from the run's cache when there is one, and returns the time
// the demo was made for (its "today"). st is open on dbPath; when the
// cache is used it is closed and reopened, so the caller gets the store
// to use back.
func fillDemo(ctx context.Context, st *sqlite.Store, dbPath string, ms *media.Store, mediaDir string) (*sqlite.Store, time.Time, error) {
	cache := os.Getenv(DemoCacheEnv)
	if cache == "" {
		now := time.Now()
		_, err := demo.Fill(ctx, st, ms, now)
		return st, now, err
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return st, time.Time{}, fmt.Errorf("demo cache: %w", err)
	}
	// One binary fills, the others wait for it: an exclusive lock on a
	// file in the cache, held while the copy is checked or made.
	lock, err := os.OpenFile(filepath.Join(cache, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return st, time.Time{}, fmt.Errorf("demo cache: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return st, time.Time{}, fmt.Errorf("demo cache lock: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)

	ready := filepath.Join(cache, "ready")
	if b, err := os.ReadFile(ready); err == nil {
		ns, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return st, time.Time{}, fmt.Errorf("demo cache: bad %s: %w", ready, err)
		}
		if err := st.Close(); err != nil {
			return nil, time.Time{}, err
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(dbPath + suffix)
		}
		if err := copyFile(filepath.Join(cache, "dateline.db"), dbPath); err != nil {
			return nil, time.Time{}, fmt.Errorf("demo cache: %w", err)
		}
		if err := copyTree(filepath.Join(cache, "media"), mediaDir); err != nil {
			return nil, time.Time{}, fmt.Errorf("demo cache: %w", err)
		}
		st, err = sqlite.Open(ctx, dbPath, nil)
		return st, time.Unix(0, ns), err
	} else if !errors.Is(err, fs.ErrNotExist) {
		return st, time.Time{}, fmt.Errorf("demo cache: %w", err)
	}

	now := time.Now()
	if _, err := demo.Fill(ctx, st, ms, now); err != nil {
		return st, now, err
	}
	// VACUUM INTO writes one consistent snapshot, statistics included;
	// the ready file is written last, so a binary that failed half-way
	// leaves no copy that looks usable.
	dst := filepath.Join(cache, "dateline.db")
	os.Remove(dst)
	if _, err := st.DB().ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return st, now, fmt.Errorf("demo cache: %w", err)
	}
	os.RemoveAll(filepath.Join(cache, "media"))
	if err := copyTree(mediaDir, filepath.Join(cache, "media")); err != nil {
		return st, now, fmt.Errorf("demo cache: %w", err)
	}
	if err := os.WriteFile(ready, []byte(strconv.FormatInt(now.UnixNano(), 10)), 0o644); err != nil {
		return st, now, fmt.Errorf("demo cache: %w", err)
	}
	return st, now, nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		return copyFile(p, target)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
