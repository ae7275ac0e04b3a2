//go:build ignore

// Precompress writes the gzip and brotli forms of every text file under
// static/ beside it (site.css.gz, site.css.br), at the best level of
// each, so the binary carries them made and a server starts without
// compressing anything. Run by `go generate ./web` after changing a
// static file; TestPrecompressed fails while one is stale.
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
)

func main() {
	err := filepath.WalkDir("static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible(p) {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		var br bytes.Buffer
		bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
		bw.Write(body)
		bw.Close()
		for ext, b := range map[string][]byte{".gz": gz.Bytes(), ".br": br.Bytes()} {
			if err := os.WriteFile(p+ext, b, 0o644); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

// compressible is what the server compresses: text, scripts and SVG.
func compressible(p string) bool {
	switch filepath.Ext(p) {
	case ".css", ".js", ".svg", ".json", ".txt", ".html", ".xml":
		return !strings.HasSuffix(p, ".gz") && !strings.HasSuffix(p, ".br")
	}
	return false
}
