package ingest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"

	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/wire"
)

// Limits of a picture download.
const (
	MaxPictureBytes = 20 << 20
	PictureTimeout  = 20 * time.Second
)

// Fetcher downloads the pictures wire items refer to into the media
// library, with their caption, credit and alt text.
type Fetcher struct {
	media  *media.Store
	store  store.Store
	client *http.Client
}

// NewFetcher returns a Fetcher. Unless allowPrivate is set, it refuses
// loopback, private and link-local addresses, checked on the address
// actually dialled (after DNS), so a wire item cannot make Dateline reach
// into its own network.
func NewFetcher(ms *media.Store, st store.Store, allowPrivate bool) *Fetcher {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip := net.ParseIP(host)
		if ip == nil {
			return fmt.Errorf("refused address %q", host)
		}
		if !allowPrivate && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
			ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast()) {
			return fmt.Errorf("refused private address %s (see --allow-private-targets)", ip)
		}
		return nil
	}}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 10 * time.Second,
		ResponseHeaderTimeout: 15 * time.Second, MaxIdleConns: 4}
	client := &http.Client{Transport: tr, Timeout: PictureTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 || (req.URL.Scheme != "http" && req.URL.Scheme != "https") {
				return errors.New("too many or unsafe redirects")
			}
			return nil
		}}
	return &Fetcher{media: ms, store: st, client: client}
}

// Fetch downloads p and records it in the media library (once per
// picture: the same file again reuses the stored one).
func (f *Fetcher) Fetch(ctx context.Context, p wire.Picture) (*story.Image, error) {
	u, err := url.Parse(p.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("picture %q: only http and https addresses are fetched", p.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("picture %s: %w", p.URL, err)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("picture %s: %w", p.URL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("picture %s: %s", p.URL, resp.Status)
	}
	m, err := f.media.Put(resp.Body, MaxPictureBytes)
	if err != nil {
		return nil, fmt.Errorf("picture %s: %w", p.URL, err)
	}
	stored, err := f.store.MediaByHash(ctx, m.Hash)
	switch {
	case err == nil:
		m = stored
	case errors.Is(err, store.ErrNotFound):
		m.Caption, m.Credit, m.Alt = p.Caption, p.Credit, p.Alt
		if m.ID, err = f.store.CreateMedia(ctx, m); err != nil {
			return nil, fmt.Errorf("picture %s: %w", p.URL, err)
		}
	default:
		return nil, fmt.Errorf("picture %s: %w", p.URL, err)
	}
	img := m.Image()
	img.Caption, img.Credit, img.Alt = p.Caption, p.Credit, p.Alt
	return img, nil
}
