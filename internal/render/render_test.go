package render

import (
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestAccepts(t *testing.T) {
	for _, tt := range []struct {
		header, coding string
		want           bool
	}{
		{"", "gzip", false},
		{"gzip", "gzip", true},
		{"GZIP", "gzip", true},
		{"deflate, gzip;q=1.0, *;q=0.5", "gzip", true},
		{"br;q=0.8, gzip ; q = 0", "gzip", false},
		{"br;q=0.8, gzip;q=0", "br", true},
		{"gzip;q=0.001", "gzip", true},
		{"gzip;q=x", "gzip", false},
		{"xgzip, gzipx", "gzip", false},
		{" , ,gzip", "gzip", true},
		{"identity", "br", false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", tt.header)
		if got := Accepts(r, tt.coding); got != tt.want {
			t.Errorf("Accepts(%q, %q) = %v, want %v", tt.header, tt.coding, got, tt.want)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Encoding", "deflate, br;q=0.9, gzip")
	if n := testing.AllocsPerRun(100, func() { Accepts(r, "gzip") }); n != 0 {
		t.Errorf("Accepts allocates %v times a call, want 0: it is asked on every response", n)
	}
}

// TestString renders one named template of a page set, escaped as the
// page would be, and names a page set that does not exist.
func TestString(t *testing.T) {
	fsys := fstest.MapFS{
		"t/layout.html": {Data: []byte(`{{define "layout"}}<body>{{template "main" .}}</body>{{end}}{{define "footer"}}<p>{{.}}</p>{{end}}`)},
		"t/page.html":   {Data: []byte(`{{define "main"}}x{{end}}`)},
	}
	r, err := New(fsys, "t", "layout.html", "layout", []string{"page"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.String("page", "footer", "<b>&")
	if err != nil || got != "<p>&lt;b&gt;&amp;</p>" {
		t.Errorf("String = %q, %v; want the escaped paragraph", got, err)
	}
	if _, err := r.String("nope", "footer", nil); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("String of a missing page set: %v, want an error naming it", err)
	}
}
