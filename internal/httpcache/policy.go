package httpcache

import (
	"net/http"
	"strings"
)

// Cache-Control values by kind of URL. Browsers revalidate pages every
// time (cheap: a 304 carries no body); a CDN keeps them a short while and
// may serve a stale copy while it fetches the next, so a burst of readers
// on a breaking story costs the origin one request in each interval.
const (
	PagePolicy    = "public, max-age=0, s-maxage=30, stale-while-revalidate=30, stale-if-error=86400"
	FeedPolicy    = "public, max-age=60, s-maxage=60, stale-while-revalidate=120, stale-if-error=86400"
	SitemapPolicy = "public, max-age=300, s-maxage=120, stale-while-revalidate=300"
	APIPolicy     = "public, max-age=0, s-maxage=30, stale-while-revalidate=30"
)

// SitePolicy is the policy of the public site: pages, feeds, sitemaps
// and the content API. The newsroom, the health check and content-hashed
// assets and media (which carry their own immutable policy) are left
// alone, as is anything requested with credentials.
func SitePolicy(r *http.Request) string {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/newsroom/") || p == "/newsroom" ||
		strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/media/") ||
		p == "/healthz" || p == "/metrics":
		return ""
	case strings.HasPrefix(p, "/api/"):
		if r.Header.Get("Authorization") != "" {
			return "" // a keyed request may see drafts: never shared
		}
		return APIPolicy
	case strings.HasSuffix(p, "/rss.xml") || strings.HasSuffix(p, "/atom.xml") || strings.HasSuffix(p, "/feed.json"):
		return FeedPolicy
	case strings.HasPrefix(p, "/sitemap") && strings.HasSuffix(p, ".xml"), p == "/robots.txt":
		return SitemapPolicy
	}
	return PagePolicy
}
