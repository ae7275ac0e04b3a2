package app

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"dateline/internal/api"
	"dateline/internal/clientip"
	"dateline/internal/config"
	"dateline/internal/ratelimit"
)

// Bursts of the request limits: a reader refining a search a few times in
// a row, or a client fetching a page of stories and then each of them,
// never meets the limit.
const (
	searchBurst = 20
	apiBurstMin = 60
	// badKeysPerMinute is how many refused API keys an address may send
	// a minute: a request with a key is limited by its key, so without
	// this an address could make up a new key for every request.
	badKeysPerMinute = 10
)

// limits holds the per-client request limits of search and the API.
type limits struct {
	cfg     *config.Config
	search  *ratelimit.Limiter // per client address
	api     *ratelimit.Limiter // per API key, or per address without one
	badKeys *ratelimit.Limiter // refused keys per address
	page    func(w http.ResponseWriter, r *http.Request, retryAfter time.Duration)
}

// limitRequests puts the rate limits of search and the content API in
// front of next. They sit before the page cache on purpose: a cached
// answer is cheap to send, but what the limit is for is fairness between
// clients and a bound on what one client can make the store do, and a
// scraper walking search queries or API cursors misses the cache on
// nearly every request. Counting every request also makes the limit the
// same for a client whatever the cache holds. page renders the site's
// 429 page for search; the API answers in JSON.
func limitRequests(cfg *config.Config, page func(http.ResponseWriter, *http.Request, time.Duration), next http.Handler) http.Handler {
	l := &limits{cfg: cfg, page: page}
	if cfg.SearchRateLimit > 0 {
		l.search = ratelimit.New(cfg.SearchRateLimit, searchBurst, time.Now)
	}
	if cfg.APIRateLimit > 0 {
		l.api = ratelimit.New(cfg.APIRateLimit, max(apiBurstMin, cfg.APIRateLimit/4), time.Now)
		l.badKeys = ratelimit.New(badKeysPerMinute, badKeysPerMinute, time.Now)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/search" && l.search != nil:
			if ok, retry := l.search.Allow(clientip.From(r, cfg.TrustedProxies)); !ok {
				l.page(w, r, retry)
				return
			}
		case strings.HasPrefix(r.URL.Path, "/api/") && l.api != nil:
			l.serveAPI(w, r, next)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// serveAPI limits an API request by its key when it carries one, by the
// client's address otherwise. A refused key costs its address one of a
// few tokens a minute, so made-up keys cannot dodge the address's limit.
func (l *limits) serveAPI(w http.ResponseWriter, r *http.Request, next http.Handler) {
	ip := clientip.From(r, l.cfg.TrustedProxies)
	key := "ip " + ip
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		if ok, retry := l.badKeys.Peek(ip); !ok {
			api.RateLimited(w, retry)
			return
		}
		sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
		key = "key " + hex.EncodeToString(sum[:])
	}
	if ok, retry := l.api.Allow(key); !ok {
		api.RateLimited(w, retry)
		return
	}
	if key == "ip "+ip {
		next.ServeHTTP(w, r)
		return
	}
	sw := &statusWriter{ResponseWriter: w}
	next.ServeHTTP(sw, r)
	if sw.status == http.StatusUnauthorized {
		l.badKeys.Charge(ip)
	}
}
