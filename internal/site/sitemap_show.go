package site

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dateline/internal/media"
	"dateline/internal/sitemap"
	"dateline/internal/store"
)

// The sitemaps, all at the root (a sitemap may only list URLs under its
// own folder):
//
//	/sitemap.xml              the index of all the others
//	/sitemap-stories-N.xml    published stories in the N-th block of ids
//	/sitemap-tags-N.xml       tag pages, in blocks of tag ids the same way
//	/sitemap-sections.xml     section pages
//	/sitemap-authors.xml      staff author pages and wire source pages
//	/sitemap-pages.xml        the front page, /about, /standards, /staff
//	/sitemap-news.xml         Google News: stories first published in the last 48 hours
//
// A block holds at most sitemapSize ids, so never more URLs than a file
// may (store/sqlite/sitemap.go says why blocks of ids).

const xmlType = "application/xml; charset=utf-8"

// newsWindow is how far back the Google News sitemap looks.
const newsWindow = 48 * time.Hour

// staticPages are the fixed pages the pages sitemap lists after the front page.
var staticPages = []string{"/about", "/standards", "/staff"}

// sectionOrSitemap serves /{section}: a first segment with a dot is never
// a section (DESIGN.md), so the numbered sitemap files are answered here.
func (s *Server) sectionOrSitemap(w http.ResponseWriter, r *http.Request) error {
	if name := r.PathValue("section"); strings.Contains(name, ".") {
		return s.sitemapShow(w, r, name)
	}
	return s.sectionShow(w, r)
}

// sitemapNamed serves a sitemap route registered by its exact path.
func (s *Server) sitemapNamed(w http.ResponseWriter, r *http.Request) error {
	return s.sitemapShow(w, r, strings.TrimPrefix(r.URL.Path, "/"))
}

// sitemapShow answers the sitemap file called name, or 404.
func (s *Server) sitemapShow(w http.ResponseWriter, r *http.Request, name string) error {
	if name == "sitemap.xml" {
		return s.sitemapIndex(w, r)
	}
	kind, prefixed := strings.CutPrefix(name, "sitemap-")
	kind, suffixed := strings.CutSuffix(kind, ".xml")
	if !prefixed || !suffixed {
		return notFound(fmt.Errorf("no file %q", name))
	}
	out := &urlStream{w: w}
	var err error
	switch kind {
	case "news":
		return s.finish(r, out, s.newsURLs(r.Context(), out), true)
	case "sections":
		err = s.sectionURLs(r.Context(), out)
	case "authors":
		err = s.authorURLs(r.Context(), out)
	case "pages":
		err = s.pageURLs(r.Context(), out)
	default:
		kind, num, _ := strings.Cut(kind, "-")
		n, ok := pageNumber(num)
		if !ok || kind != "stories" && kind != "tags" {
			return notFound(fmt.Errorf("no sitemap %q", name))
		}
		size := int64(s.sitemapPageSize())
		lo := int64(n-1) * size
		if kind == "tags" {
			err = s.store.EachSitemapTag(r.Context(), lo, lo+size, func(p store.SitemapPage) error {
				return out.add(s.pageURL("/tag/"+p.Slug, p.LastMod))
			})
		} else {
			err = s.store.EachSitemapStory(r.Context(), lo, lo+size, func(e store.SitemapStory) error {
				return out.add(s.storyURL(&e))
			})
		}
	}
	return s.finish(r, out, err, false)
}

// pageNumber parses a page number of a sitemap file name: 1 or more,
// written without leading zeros, so each file has exactly one name.
func pageNumber(num string) (int, bool) {
	if num == "" || len(num) > 9 || num[0] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	return n, err == nil && n > 0 && strings.Trim(num, "0123456789") == ""
}

// sitemapPageSize is how many ids one stories or tags file covers.
func (s *Server) sitemapPageSize() int {
	if s.sitemapSize > 0 && s.sitemapSize <= sitemap.MaxURLs {
		return s.sitemapSize
	}
	return sitemap.MaxURLs
}

// storyURL is a story's sitemap entry with its lead picture at the widest
// stored width.
func (s *Server) storyURL(e *store.SitemapStory) sitemap.URL {
	u := s.pageURL(e.Path(), e.LastMod())
	if e.Lead != nil && e.Lead.Hash != "" {
		if widths := media.Available(e.Lead.Width); len(widths) > 0 {
			u.Images = []string{s.cfg.BaseURL + media.URL(e.Lead.Hash, widths[len(widths)-1])}
		}
	}
	return u
}

// pageURL is the entry of a page of this site; times are written in the
// site's time zone.
func (s *Server) pageURL(path string, lastMod time.Time) sitemap.URL {
	if !lastMod.IsZero() {
		lastMod = lastMod.In(s.cfg.Location)
	}
	return sitemap.URL{Loc: s.cfg.BaseURL + path, LastMod: lastMod}
}

func (s *Server) newsURLs(ctx context.Context, out *urlStream) error {
	since := s.now().Add(-newsWindow)
	return s.store.EachNewsStory(ctx, since, sitemap.MaxNewsURLs, func(e store.SitemapStory) error {
		u := s.storyURL(&e)
		u.News = &sitemap.News{Name: s.cfg.SiteName, Language: sitemap.NewsLanguage(e.Language),
			Published: e.FirstPublishedAt.In(s.cfg.Location), Title: e.Headline}
		return out.add(u)
	})
}

func (s *Server) sectionURLs(ctx context.Context, out *urlStream) error {
	secs, err := s.store.SitemapSections(ctx)
	for _, p := range secs {
		if err := out.add(s.pageURL("/"+p.Slug, p.LastMod)); err != nil {
			return err
		}
	}
	return err
}

func (s *Server) authorURLs(ctx context.Context, out *urlStream) error {
	authors, err := s.store.SitemapAuthors(ctx)
	if err != nil {
		return err
	}
	sources, err := s.store.SitemapSources(ctx)
	if err != nil {
		return err
	}
	for _, p := range authors {
		if err := out.add(s.pageURL("/author/"+p.Slug, p.LastMod)); err != nil {
			return err
		}
	}
	for _, p := range sources {
		if err := out.add(s.pageURL("/source/"+p.Slug, p.LastMod)); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) pageURLs(ctx context.Context, out *urlStream) error {
	// Every story is in a section, so the newest section is the front
	// page's newest story: a probe of each section's index, where a
	// newest-first list of all stories is a slower plan.
	secs, err := s.store.SitemapSections(ctx)
	if err != nil {
		return err
	}
	if err := out.add(s.pageURL("/", newestPage(secs))); err != nil {
		return err
	}
	for _, path := range staticPages {
		if err := out.add(s.pageURL(path, time.Time{})); err != nil {
			return err
		}
	}
	return nil
}

// urlStream starts the urlset at its first entry, so that a file with
// nothing in it can still answer 404 instead of an empty 200.
type urlStream struct {
	w   http.ResponseWriter
	set *sitemap.URLSet
}

func (u *urlStream) add(e sitemap.URL) error {
	if u.set == nil {
		u.w.Header().Set("Content-Type", xmlType)
		u.set = sitemap.NewURLSet(u.w)
	}
	return u.set.Add(e)
}

// finish ends the stream that err ended. Nothing written yet: err, or 404
// for an empty file unless emptyOK. Once the document has begun, its
// status is out, so a failure is logged and the connection cut, leaving
// no cache a truncated file that looks complete.
func (s *Server) finish(r *http.Request, u *urlStream, err error, emptyOK bool) error {
	if u.set == nil {
		if err != nil {
			return err
		}
		if !emptyOK {
			return notFound(errors.New("empty sitemap"))
		}
		u.w.Header().Set("Content-Type", xmlType)
		u.set = sitemap.NewURLSet(u.w)
	}
	if err == nil {
		err = u.set.Close()
	}
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			s.log.ErrorContext(r.Context(), "sitemap cut short", "path", r.URL.Path, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	return nil
}

// sitemapIndex answers /sitemap.xml. Everything is read before the first
// byte is written, so a store failure is still a clean 500.
func (s *Server) sitemapIndex(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	size := s.sitemapPageSize()
	stories, err := s.store.SitemapStoryBlocks(ctx, size)
	if err != nil {
		return err
	}
	tags, err := s.store.SitemapTagBlocks(ctx, size)
	if err != nil {
		return err
	}
	secs, err := s.store.SitemapSections(ctx)
	if err != nil {
		return err
	}
	authors, err := s.store.SitemapAuthors(ctx)
	if err != nil {
		return err
	}
	sources, err := s.store.SitemapSources(ctx)
	if err != nil {
		return err
	}
	// Every story is in a section, so the newest section is the newest story.
	newest := newestPage(secs)
	var entries []sitemap.Sitemap
	for _, b := range stories {
		entries = append(entries, s.sitemapEntry(fmt.Sprintf("stories-%d", b.N), b.LastMod))
	}
	for _, b := range tags {
		entries = append(entries, s.sitemapEntry(fmt.Sprintf("tags-%d", b.N), b.LastMod))
	}
	entries = append(entries,
		s.sitemapEntry("sections", newest),
		s.sitemapEntry("authors", newestPage(append(authors, sources...))),
		s.sitemapEntry("pages", newest))
	news := s.sitemapEntry("news", newest)
	if newest.Before(s.now().Add(-newsWindow)) {
		news.LastMod = time.Time{} // empty: nothing new to date it by
	}
	entries = append(entries, news)

	w.Header().Set("Content-Type", xmlType)
	x := sitemap.NewIndex(w)
	for _, e := range entries {
		if err := x.Add(e); err != nil {
			break
		}
	}
	if err := x.Close(); err != nil && !errors.Is(err, context.Canceled) {
		s.log.ErrorContext(ctx, "sitemap index cut short", "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

func (s *Server) sitemapEntry(kind string, lastMod time.Time) sitemap.Sitemap {
	u := s.pageURL("/sitemap-"+kind+".xml", lastMod)
	return sitemap.Sitemap{Loc: u.Loc, LastMod: u.LastMod}
}

// newestPage is the newest LastMod among pages, zero when none has one.
func newestPage(pages []store.SitemapPage) time.Time {
	var t time.Time
	for _, p := range pages {
		if p.LastMod.After(t) {
			t = p.LastMod
		}
	}
	return t
}
