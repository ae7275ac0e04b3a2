package site_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/andybalholm/brotli"
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
