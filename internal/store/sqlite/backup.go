package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MediaFile is one file of the media directory as a backup's manifest
// records it: a path relative to the directory, its size and SHA-256.
type MediaFile struct {
	Path   string
	Size   int64
	SHA256 string
}

// manifestTable holds a backup's media manifest inside the backup file
// itself, so the database and the list of the pictures it refers to
// travel as one file. Restore drops it.
const manifestTable = "_backup_media"

// Backup writes a consistent copy of the database to path, which must not
// exist yet, while the site keeps reading and writing: VACUUM INTO reads
// one snapshot (a WAL read transaction) and writes a compact new file.
// The copy then receives the media manifest.
func (s *Store) Backup(ctx context.Context, path string, media []MediaFile) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup to %q: the file exists; choose a new name", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return fmt.Errorf("backup to %q: directory %q does not exist", path, dir)
		}
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %q: %w", path, err)
	}
	if err := writeManifest(ctx, path, media); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %q: %w", path, err)
	}
	return nil
}

func writeManifest(ctx context.Context, path string, media []MediaFile) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(DELETE)&_pragma=synchronous(FULL)")
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("media manifest: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "CREATE TABLE "+manifestTable+" (path TEXT PRIMARY KEY, size INTEGER NOT NULL, sha256 TEXT NOT NULL) STRICT"); err != nil {
		return fmt.Errorf("media manifest: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO "+manifestTable+" (path, size, sha256) VALUES (?, ?, ?)")
	if err != nil {
		return fmt.Errorf("media manifest: %w", err)
	}
	defer ins.Close()
	for _, m := range media {
		if _, err := ins.ExecContext(ctx, m.Path, m.Size, m.SHA256); err != nil {
			return fmt.Errorf("media manifest %q: %w", m.Path, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("media manifest: %w", err)
	}
	return nil
}

// ReadBackup checks that path is a sound Dateline backup (SQLite's
// integrity check passes and it has the manifest) and returns its media
// manifest.
func ReadBackup(ctx context.Context, path string) ([]MediaFile, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("backup %q: %w", path, err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("backup %q: %w", path, err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		return nil, fmt.Errorf("backup %q: not a sound SQLite database (%v%s)", path, err, ok)
	}
	rows, err := db.QueryContext(ctx, "SELECT path, size, sha256 FROM "+manifestTable+" ORDER BY path")
	if err != nil {
		return nil, fmt.Errorf("backup %q: not a Dateline backup (no media manifest): %w", path, err)
	}
	defer rows.Close()
	var out []MediaFile
	for rows.Next() {
		var m MediaFile
		if err := rows.Scan(&m.Path, &m.Size, &m.SHA256); err != nil {
			return nil, fmt.Errorf("backup %q: %w", path, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("backup %q: %w", path, err)
	}
	return out, nil
}

// ErrStoreExists is returned by Restore when the target holds a store and
// overwriting was not asked for.
var ErrStoreExists = errors.New("a store exists there")

// Restore puts the backup at from in place as the store at to. It refuses
// to replace an existing store unless force is set; the new file is
// written beside the target and renamed over it only when complete, so a
// failure leaves the old store as it was.
func Restore(ctx context.Context, from, to string, force bool) error {
	if _, err := ReadBackup(ctx, from); err != nil {
		return err
	}
	for _, p := range []string{to, to + "-wal"} {
		if _, err := os.Lstat(p); err == nil && !force {
			return fmt.Errorf("restore into %q: %w (%s); add --force to replace it", to, ErrStoreExists, p)
		}
	}
	tmp := to + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore into %q: %w", to, err)
	}
	if err := dropManifest(ctx, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore into %q: %w", to, err)
	}
	// The old store's WAL and shared-memory files belong to the old
	// database; left beside the new one they would be replayed into it.
	for _, p := range []string{to + "-wal", to + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(tmp)
			return fmt.Errorf("restore into %q: %w", to, err)
		}
	}
	if err := os.Rename(tmp, to); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore into %q: %w", to, err)
	}
	return syncDir(filepath.Dir(to))
}

func dropManifest(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(DELETE)&_pragma=synchronous(FULL)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+manifestTable); err != nil {
		return fmt.Errorf("drop the media manifest: %w", err)
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !strings.Contains(err.Error(), "invalid argument") {
		return err
	}
	return nil
}
