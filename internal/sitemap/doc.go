// Package sitemap writes sitemap XML (the sitemaps.org urlset and
// sitemapindex, with Google's image and news extensions) to an io.Writer
// one entry at a time, so a sitemap of 50,000 stories never sits in memory
// as a document. Every text is escaped and every time is written as a W3C
// datetime with its offset.
//
// It knows nothing of stories, stores or HTTP: callers turn their rows
// into URL and Sitemap values and decide which document they are writing.
package sitemap
