package site_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"

	"dateline/internal/site"
)

// TestAssetEncodings: the stylesheet comes as brotli, gzip or as it is,
// whichever the reader accepts, each decoding to the same bytes, each with
// its own ETag, and each answered 304 for its own ETag only.
func TestAssetEncodings(t *testing.T) {
	css := regexp.MustCompile(`href="(/static/site\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(get(t, "/").body)
	if css == nil {
		t.Fatal("no hashed stylesheet link")
	}
	fetch := func(accept, inm string) *http.Response {
		r := httptest.NewRequest(http.MethodGet, css[1], nil)
		if accept != "" {
			r.Header.Set("Accept-Encoding", accept)
		}
		if inm != "" {
			r.Header.Set("If-None-Match", inm)
		}
		w := httptest.NewRecorder()
		demo.Handler.ServeHTTP(w, r)
		return w.Result()
	}
	plain := fetch("", "")
	want, _ := io.ReadAll(plain.Body)
	if plain.StatusCode != 200 || len(want) < 1000 || plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("identity: %d, %d bytes, %q", plain.StatusCode, len(want), plain.Header.Get("Content-Encoding"))
	}
	etags := map[string]string{"": plain.Header.Get("ETag")}
	for _, tc := range []struct {
		accept, enc string
		decode      func(io.Reader) (io.Reader, error)
	}{
		{"gzip, deflate", "gzip", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		{"gzip, deflate, br, zstd", "br", func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
	} {
		res := fetch(tc.accept, "")
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != tc.enc {
			t.Errorf("Accept-Encoding %q: %d, Content-Encoding %q, want %q", tc.accept, res.StatusCode, res.Header.Get("Content-Encoding"), tc.enc)
			continue
		}
		raw, _ := io.ReadAll(res.Body)
		if res.Header.Get("Content-Length") == "" || len(raw) >= len(want) {
			t.Errorf("%s: %d bytes (Content-Length %q) for %d plain", tc.enc, len(raw), res.Header.Get("Content-Length"), len(want))
		}
		zr, err := tc.decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s does not decode to the stylesheet: %v", tc.enc, err)
		}
		etags[tc.enc] = res.Header.Get("ETag")
	}
	if len(etags) != 3 || etags[""] == etags["gzip"] || etags["gzip"] == etags["br"] || etags[""] == etags["br"] {
		t.Errorf("ETags are not one per encoding: %v", etags)
	}
	if res := fetch("br", etags["br"]); res.StatusCode != http.StatusNotModified {
		t.Errorf("br with its own ETag: %d, want 304", res.StatusCode)
	}
	if res := fetch("gzip", etags["br"]); res.StatusCode != http.StatusOK {
		t.Errorf("gzip with the br ETag: %d, want 200", res.StatusCode)
	}
}

// TestAssetsCompressedAtStartWithoutForms: a static file with no .gz or
// .br beside it is compressed when the assets load, and the compressed
// forms of another file are never assets of their own.
func TestAssetsCompressedAtStartWithoutForms(t *testing.T) {
	css := bytes.Repeat([]byte("body { margin: 0 }\n"), 100)
	a, err := site.LoadAssets(fstest.MapFS{
		"static/a.css":    {Data: css},
		"static/b.css":    {Data: css},
		"static/b.css.gz": {Data: []byte("made at build time")},
	}, "static")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.URL("b.css.gz"); err == nil {
		t.Error("b.css.gz is served as an asset of its own")
	}
	for name, want := range map[string]string{"a.css": "", "b.css": "made at build time"} {
		u, err := a.URL(name)
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest(http.MethodGet, u, nil)
		r.SetPathValue("file", u[len("/static/"):])
		r.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		a.ServeHTTP(w, r)
		body := w.Body.Bytes()
		if w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: Content-Encoding %q", name, w.Header().Get("Content-Encoding"))
			continue
		}
		if want != "" {
			if string(body) != want {
				t.Errorf("%s: sent %q, not the form made at build time", name, body)
			}
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := io.ReadAll(zr); !bytes.Equal(got, css) || len(body) >= len(css) {
			t.Errorf("%s: compressed at start to %d bytes, decoding to %d", name, len(body), len(got))
		}
	}
}
