package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/andybalholm/brotli"

	"dateline/internal/render"
)

// asset is one static file, kept in memory with its brotli and gzip
// forms, served under a name that carries its content hash so browsers
// may cache it for a year.
type asset struct {
	name   string // "site.css"
	hashed string // "site.3f2a9c1b.css"
	ctype  string
	body   []byte
	gz     []byte
	br     []byte
	etag   string
}

// Assets is the set of static files, by plain and hashed name.
type Assets struct {
	byName   map[string]*asset
	byHashed map[string]*asset
}

// LoadAssets reads every file under dir in fsys. A text file's gzip and
// brotli forms are the files beside it named with .gz and .br, made when
// the binary was built (web/precompress.go); one without them is
// compressed here, once.
func LoadAssets(fsys fs.FS, dir string) (*Assets, error) {
	a := &Assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || precompressed(p) {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, dir+"/")
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:])[:10]
		ext := path.Ext(name)
		x := &asset{name: name, hashed: strings.TrimSuffix(name, ext) + "." + h + ext, body: body, etag: `"` + h + `"`}
		x.ctype = mime.TypeByExtension(ext)
		if x.ctype == "" {
			x.ctype = "application/octet-stream"
		}
		if compressible(x.ctype) {
			x.gz = compressedForm(fsys, p+".gz", body, func(w io.Writer) io.WriteCloser {
				zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
				return zw
			})
			x.br = compressedForm(fsys, p+".br", body, func(w io.Writer) io.WriteCloser {
				return brotli.NewWriterLevel(w, brotli.BestCompression)
			})
		}
		a.byName[name] = x
		a.byHashed[x.hashed] = x
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load assets: %w", err)
	}
	return a, nil
}

// precompressed reports whether p is the compressed form of another file.
func precompressed(p string) bool { return strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".br") }

// compressedForm returns the file at p, or else body compressed by the
// writer newW makes; nil when that is no smaller than body.
func compressedForm(fsys fs.FS, p string, body []byte, newW func(io.Writer) io.WriteCloser) []byte {
	if b, err := fs.ReadFile(fsys, p); err == nil {
		return b
	}
	var buf bytes.Buffer
	w := newW(&buf)
	w.Write(body)
	w.Close()
	if buf.Len() >= len(body) {
		return nil
	}
	return buf.Bytes()
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "svg")
}

// URL returns the hashed URL of a static file. A missing file is a bug in
// a template; it panics at parse-time checks rather than serving a 404.
func (a *Assets) URL(name string) (string, error) {
	x, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("asset %q does not exist", name)
	}
	return "/static/" + x.hashed, nil
}

// Bytes returns the content of a static file (used for inline hashes).
func (a *Assets) Bytes(name string) []byte {
	if x, ok := a.byName[name]; ok {
		return x.body
	}
	return nil
}

// ServeHTTP serves GET /static/{file} by hashed name, immutable.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x, ok := a.byHashed[r.PathValue("file")]
	if !ok {
		http.Error(w, "404 not found", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", x.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Add("Vary", "Accept-Encoding")
	// Each encoding is its own representation, with its own ETag.
	body, etag := x.body, x.etag
	switch {
	case x.br != nil && render.Accepts(r, "br"):
		h.Set("Content-Encoding", "br")
		body, etag = x.br, strings.TrimSuffix(x.etag, `"`)+`-br"`
	case x.gz != nil && render.AcceptsGzip(r):
		h.Set("Content-Encoding", "gzip")
		body, etag = x.gz, strings.TrimSuffix(x.etag, `"`)+`-gz"`
	}
	h.Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
