package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"dateline/internal/store"
	"dateline/internal/webhook"
	"dateline/internal/wire"
)

// FeedTimeout bounds one feed request, answer included.
const FeedTimeout = 30 * time.Second

// newClient is the feed client. Its dialer refuses loopback, private
// and other non-public addresses on every connection, after DNS, with
// the webhook sender's check, so a feed URL (or a redirect, or a name
// that changes its address) cannot make Dateline reach into its own
// network; allowPrivate lifts that for tests and development.
func newClient(allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: webhook.Targets{AllowPrivate: allowPrivate}.Control}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 10 * time.Second,
		ResponseHeaderTimeout: 20 * time.Second, MaxIdleConns: 4, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: FeedTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 || (req.URL.Scheme != "http" && req.URL.Scheme != "https") {
				return errors.New("too many or unsafe redirects")
			}
			return nil
		}}
}

// poll fetches a source's feed with a conditional GET and imports what
// it holds; items already received are skipped by version, so a feed
// that repeats its items imports each once. The outcome, and the
// validators for next time, are recorded whatever happens.
func (s *Service) poll(ctx context.Context, in store.WireIntake, label string) {
	etag, modified, err := s.fetchFeed(ctx, in, label)
	msg := ""
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		msg = err.Error()
		etag, modified = in.ETag, in.LastModified
		s.o.Log.WarnContext(ctx, "wire intake: feed", "source", label, "url", in.FeedURL, "err", err)
	}
	if err := s.o.Store.SetWireFeedState(ctx, in.SourceID, etag, modified, msg, s.o.Now()); err != nil && ctx.Err() == nil {
		s.o.Log.ErrorContext(ctx, "wire intake: feed state", "source", label, "err", err)
	}
}

// fetchFeed does the request and the import; it returns the validators
// to keep.
func (s *Service) fetchFeed(ctx context.Context, in store.WireIntake, label string) (string, string, error) {
	u, err := url.Parse(in.FeedURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", fmt.Errorf("feed %q: only http and https addresses are polled", in.FeedURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", "", fmt.Errorf("feed %s: %w", in.FeedURL, err)
	}
	req.Header.Set("User-Agent", "Dateline wire intake")
	if in.ETag != "" {
		req.Header.Set("If-None-Match", in.ETag)
	}
	if in.LastModified != "" {
		req.Header.Set("If-Modified-Since", in.LastModified)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return "", "", fmt.Errorf("feed %s: %w", in.FeedURL, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return in.ETag, in.LastModified, nil
	case http.StatusOK:
	default:
		return "", "", fmt.Errorf("feed %s: %s", in.FeedURL, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, wire.MaxFileSize+1))
	if err != nil {
		return "", "", fmt.Errorf("feed %s: read: %w", in.FeedURL, err)
	}
	im, err := s.importer(ctx, label, in.Publish)
	if err != nil {
		return "", "", err
	}
	res, err := im.Import(ctx, data)
	if err != nil {
		return "", "", fmt.Errorf("feed %s: %w", in.FeedURL, err)
	}
	s.o.Log.InfoContext(ctx, "wire intake: polled", "source", label, "url", in.FeedURL, "items", summary(res))
	return resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"), nil
}
