package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"dateline/internal/config"
	"dateline/internal/store/sqlite"
)

var backupCommand = config.Command{
	Name: "backup", Usage: "backup FILE [flags]",
	About: "Writes a consistent copy of the store to FILE while the site keeps serving, with a\n" +
		"manifest (path, size, SHA-256) of every file in the media directory. Copy the media\n" +
		"directory alongside (it only ever gains files, so rsync or cp -rn is enough).\n" +
		"For PostgreSQL use pg_dump and pg_restore (see the README).",
}

func restoreCommand(force *bool) config.Command {
	return config.Command{
		Name: "restore", Usage: "restore FILE [--force] [flags]",
		About: "Restores a backup made by 'dateline backup' as the store at --db, and checks the media\n" +
			"directory against the backup's manifest. Refuses to replace an existing store\n" +
			"unless --force is given. Stop the site first.",
		Flags: func(fs *flag.FlagSet) {
			fs.BoolVar(force, "force", false, "replace an existing store")
		},
	}
}

// backup runs `dateline backup FILE`.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, pos, err := config.Parse(backupCommand, args, getenv, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &config.UsageError{Msg: "usage: dateline backup FILE (one file name)"}
	}
	if cfg.DatabaseURL != "" {
		return &config.UsageError{Msg: "backup: the store is PostgreSQL; use pg_dump (see the README)"}
	}
	if _, err := os.Stat(cfg.DB); err != nil {
		return fmt.Errorf("backup: store %q: %w", cfg.DB, err)
	}
	st, err := sqlite.Open(ctx, cfg.DB, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	files, err := mediaManifest(cfg.MediaDir)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := st.Backup(ctx, pos[0], files); err != nil {
		return err
	}
	var size int64
	for _, f := range files {
		size += f.Size
	}
	fmt.Fprintf(stdout, "backed up %s to %s, with a manifest of %d media files (%d bytes) in %s\n", cfg.DB, pos[0], len(files), size, cfg.MediaDir)
	return nil
}

// restore runs `dateline restore FILE [--force]`.
func restore(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var force bool
	cfg, pos, err := config.Parse(restoreCommand(&force), args, getenv, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &config.UsageError{Msg: "usage: dateline restore FILE [--force] (one file name)"}
	}
	if cfg.DatabaseURL != "" {
		return &config.UsageError{Msg: "restore: the store is PostgreSQL; use pg_restore (see the README)"}
	}
	if err := sqlite.Restore(ctx, pos[0], cfg.DB, force); err != nil {
		return err
	}
	// Open once so that a backup from an older version is migrated now,
	// not at the next start.
	st, err := sqlite.Open(ctx, cfg.DB, nil)
	if err != nil {
		return err
	}
	st.Close()
	want, err := sqlite.ReadBackup(ctx, pos[0])
	if err != nil {
		return err
	}
	missing, differ := checkMedia(cfg.MediaDir, want)
	fmt.Fprintf(stdout, "restored %s into %s\n", pos[0], cfg.DB)
	fmt.Fprintf(stdout, "media in %s: %d files expected, %d missing, %d different\n", cfg.MediaDir, len(want), len(missing), len(differ))
	for i, p := range append(missing, differ...) {
		if i == 10 {
			fmt.Fprintf(stdout, "  … and %d more\n", len(missing)+len(differ)-10)
			break
		}
		fmt.Fprintf(stdout, "  %s\n", p)
	}
	if len(missing)+len(differ) > 0 {
		fmt.Fprintln(stdout, "copy the media directory of the backup into place; stories show without the pictures until then")
	}
	return nil
}

// mediaManifest lists every regular file under dir with its size and
// SHA-256. A missing directory is an empty manifest.
func mediaManifest(dir string) ([]sqlite.MediaFile, error) {
	var out []sqlite.MediaFile
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == dir {
				return filepath.SkipDir
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		sum, size, err := hashFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		out = append(out, sqlite.MediaFile{Path: filepath.ToSlash(rel), Size: size, SHA256: sum})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("media manifest of %q: %w", dir, err)
	}
	return out, nil
}

// checkMedia returns the manifest's files that are missing from dir and
// those whose content differs.
func checkMedia(dir string, want []sqlite.MediaFile) (missing, differ []string) {
	for _, f := range want {
		sum, _, err := hashFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		switch {
		case err != nil:
			missing = append(missing, f.Path)
		case sum != f.SHA256:
			differ = append(differ, f.Path)
		}
	}
	return missing, differ
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
