package render

import (
	"net/http/httptest"
	"testing"
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
