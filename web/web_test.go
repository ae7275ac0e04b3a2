package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"path"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestPrecompressed: every text file under static/ has its gzip and
// brotli forms beside it, and they decode to the file as it is now. A
// stylesheet changed without `go generate ./web` fails here, not in a
// reader's browser.
func TestPrecompressed(t *testing.T) {
	n := 0
	err := fs.WalkDir(Static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch path.Ext(p) {
		case ".css", ".js", ".svg":
		default:
			return nil
		}
		n++
		want, _ := fs.ReadFile(Static, p)
		for ext, open := range map[string]func(io.Reader) (io.Reader, error){
			".gz": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
			".br": func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		} {
			raw, err := fs.ReadFile(Static, p+ext)
			if err != nil {
				t.Errorf("%s%s is missing: run go generate ./web", p, ext)
				continue
			}
			r, err := open(bytes.NewReader(raw))
			if err != nil {
				t.Errorf("%s%s: %v", p, ext, err)
				continue
			}
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s%s is stale (%v): run go generate ./web", p, ext, err)
			}
			if len(raw) >= len(want) {
				t.Errorf("%s%s: %d bytes for %d plain", p, ext, len(raw), len(want))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Errorf("only %d text files under static/", n)
	}
}
