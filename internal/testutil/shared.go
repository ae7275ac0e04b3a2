package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// SharedTestdata returns the path of the project's shared sample files
// (../shared/testdata beside the repository, as CI lays it out, or higher
// up for a git worktree), or $DATELINE_TESTDATA when set. It fails the
// test when they cannot be found: tests on real samples are never skipped.
func SharedTestdata(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("DATELINE_TESTDATA"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for range 8 {
		cand := filepath.Join(dir, "shared", "testdata")
		if fi, err := os.Stat(cand); err == nil && fi.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	tb.Fatal("shared/testdata not found above the working directory; set DATELINE_TESTDATA")
	return ""
}
