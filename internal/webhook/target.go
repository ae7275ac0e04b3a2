package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// TargetError says why a URL may not receive deliveries; its message is
// safe to show to the admin who typed it.
type TargetError struct{ Reason string }

func (e *TargetError) Error() string { return e.Reason }

func refuse(format string, args ...any) error {
	return &TargetError{Reason: fmt.Sprintf(format, args...)}
}

// Targets decides which URLs deliveries may go to.
type Targets struct {
	BaseURL      string // the site's own address: never a target
	AllowPrivate bool   // let loopback and private addresses through (tests, development)
	Resolver     *net.Resolver
}

// Check refuses a URL that is not http(s), points at the site itself, or
// names (or resolves to) a loopback, private, link-local or otherwise
// non-public address. The sender checks again after each DNS lookup (see
// Control), so a name that changes its address later is still caught.
func (t Targets) Check(ctx context.Context, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, refuse("%q is not an absolute web address such as https://partner.example/hooks.", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, refuse("Only http:// and https:// addresses can receive webhooks, not %s://.", u.Scheme)
	}
	if u.User != nil {
		return nil, refuse("Put no user name or password in the address; deliveries are signed instead.")
	}
	u.Fragment = ""
	if site, err := url.Parse(t.BaseURL); err == nil && sameHost(u, site) {
		return nil, refuse("%s is this site's own address; a webhook must go to another system.", u.Host)
	}
	if t.AllowPrivate {
		return u, nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return nil, refuse("%s is this machine (loopback); webhooks go only to public addresses.", u.Hostname())
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if why := blocked(ip); why != "" {
			return nil, refuse("%s is a %s address; webhooks go only to public addresses.", u.Hostname(), why)
		}
		return u, nil
	}
	r := t.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return nil, refuse("The host %s could not be found.", u.Hostname())
	}
	for _, ip := range ips {
		if why := blocked(ip); why != "" {
			return nil, refuse("%s resolves to %s, a %s address; webhooks go only to public addresses.", u.Hostname(), ip.Unmap(), why)
		}
	}
	return u, nil
}

// sameHost reports whether a and b name the same host and port.
func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(strings.TrimSuffix(a.Hostname(), "."), strings.TrimSuffix(b.Hostname(), ".")) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

var (
	sharedSpace = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")
	benchmark   = netip.MustParsePrefix("198.18.0.0/15")
	nat64       = netip.MustParsePrefix("64:ff9b::/96") // would reach an IPv4 address we did not check
)

// blocked names the kind of a non-public address, or returns "".
func blocked(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsUnspecified() || thisNetwork.Contains(ip):
		return "unspecified"
	case ip.IsPrivate() || sharedSpace.Contains(ip) || benchmark.Contains(ip):
		return "private"
	case ip.IsLinkLocalUnicast():
		return "link-local"
	case ip.IsMulticast() || ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "multicast"
	case nat64.Contains(ip):
		return "translated"
	}
	return ""
}

// errBlockedAddr is returned by Control for a non-public address.
var errBlockedAddr = errors.New("refused to connect to a non-public address")

// Control is a net.Dialer Control function that refuses, after DNS
// resolution and right before connecting, any non-public address. It is
// what defeats DNS rebinding: the name was checked at registration, the
// address is checked at each connection.
func (t Targets) Control(network, address string, _ syscall.RawConn) error {
	if t.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", errBlockedAddr, address)
	}
	if why := blocked(ap.Addr()); why != "" {
		return fmt.Errorf("%w: %s is %s", errBlockedAddr, ap.Addr(), why)
	}
	return nil
}
