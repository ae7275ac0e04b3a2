package clientip

import (
	"net"
	"net/http/httptest"
	"testing"
)

func TestFrom(t *testing.T) {
	_, proxy, _ := net.ParseCIDR("10.0.0.0/8")
	trusted := []*net.IPNet{proxy}
	for _, tc := range []struct {
		remote, xff, want string
		trusted           []*net.IPNet
	}{
		{"192.0.2.1:1234", "", "192.0.2.1", nil},
		{"192.0.2.1:1234", "203.0.113.9", "192.0.2.1", trusted}, // untrusted peer: header ignored
		{"10.1.2.3:1234", "203.0.113.9", "203.0.113.9", trusted},
		{"10.1.2.3:1234", "198.51.100.7, 203.0.113.9, 10.9.9.9", "203.0.113.9", trusted},
		{"10.1.2.3:1234", "", "10.1.2.3", trusted},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := From(r, tc.trusted); got != tc.want {
			t.Errorf("From(%s, %q) = %s, want %s", tc.remote, tc.xff, got, tc.want)
		}
	}
}
