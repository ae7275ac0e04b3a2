package site

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"dateline/internal/config"
	"dateline/internal/i18n"
	"dateline/internal/render"
	"dateline/internal/store"
	"dateline/internal/story"
)

// Deps are what the site needs from the rest of the program.
type Deps struct {
	Config    *config.Config
	Store     store.Store
	Templates fs.FS // holds templates/*.html
	Static    fs.FS // holds static/...
	Media     http.Handler
	Logger    *slog.Logger
	Now       func() time.Time
	// SitemapSize is how many ids a numbered sitemap file covers; 0 means
	// sitemap.MaxURLs. Tests make it small to see paging.
	SitemapSize int
	// MediaSize gives the byte size of a stored picture width, for feed
	// enclosures; nil leaves enclosures out (media.Store.Size).
	MediaSize func(hash string, width int) (int64, bool)
}

// Server is the public site.
type Server struct {
	cfg     *config.Config
	store   store.Store
	cat     *i18n.Catalog
	info    *siteInfo
	assets  *Assets
	render  *render.Renderer
	media   http.Handler
	log     *slog.Logger
	now     func() time.Time
	limiter *rateLimiter
	shared  sharedLists // newest and most-read stories (shared_lists.go)
	words   storyWords  // the story page's words (story_page.go)
	// assetLinks are the layout's stylesheet and icon links, written
	// once for the story page (layout_write.go).
	assetLinks string

	sitemapSize int // ids per numbered sitemap file (sitemap_show.go)
	mediaSize   func(hash string, width int) (int64, bool)
}

// New parses the templates and loads the assets; a broken template stops
// start-up here rather than failing a request later.
func New(d Deps) (*Server, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	cat := i18n.For(d.Config.Language)
	s := &Server{
		cfg: d.Config, store: d.Store, cat: cat, media: d.Media, log: d.Logger, now: d.Now,
		info: &siteInfo{Name: d.Config.SiteName, Lang: d.Config.Language, Dir: story.Dir(d.Config.Language),
			BaseURL: d.Config.BaseURL, Year: d.Now().In(d.Config.Location).Year()},
		limiter: newRateLimiter(5, 10*time.Minute, d.Now),
	}
	s.words = newStoryWords(cat.T)
	s.sitemapSize = d.SitemapSize
	s.mediaSize = d.MediaSize
	var err error
	if s.assets, err = LoadAssets(d.Static, "static"); err != nil {
		return nil, err
	}
	if s.render, err = render.New(d.Templates, "templates", "layout.html", "layout", pageNames, s.funcs()); err != nil {
		return nil, err
	}
	footer, err := s.render.String(pageNames[0], "footer", Page{Site: s.info})
	if err != nil {
		return nil, err
	}
	s.info.Footer = template.HTML(footer)
	if s.assetLinks, err = s.writeAssetLinks(); err != nil {
		return nil, err
	}
	return s, nil
}

// Routes registers every public URL of the site on mux. Reading this
// function is the way to find what the site serves.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.handle(s.frontShow))
	// Names with a dot are never sections: /{section} also answers the
	// numbered sitemap files (sitemap_show.go lists them all).
	mux.HandleFunc("GET /{section}", s.handle(s.sectionOrSitemap))
	mux.HandleFunc("GET /{section}/{name}", s.handle(s.sectionItem))
	mux.HandleFunc("GET /tag/{slug}", s.handle(s.tagShow))
	mux.HandleFunc("GET /author/{slug}", s.handle(s.authorShow))
	mux.HandleFunc("GET /source/{slug}", s.handle(s.sourceShow))
	mux.HandleFunc("GET /rss.xml", s.handle(s.siteFeedShow))
	mux.HandleFunc("GET /atom.xml", s.handle(s.siteFeedShow))
	mux.HandleFunc("GET /feed.json", s.handle(s.siteFeedShow))
	mux.HandleFunc("GET /tag/{slug}/{file}", s.handle(s.tagFeedShow))
	mux.HandleFunc("GET /author/{slug}/{file}", s.handle(s.authorFeedShow))
	mux.HandleFunc("GET /source/{slug}/{file}", s.handle(s.sourceFeedShow))
	mux.HandleFunc("GET /search", s.handle(s.searchShow))
	mux.HandleFunc("GET /about", s.handle(s.aboutShow))
	mux.HandleFunc("GET /standards", s.handle(s.standardsShow))
	mux.HandleFunc("GET /staff", s.handle(s.staffShow))
	mux.HandleFunc("GET /contact", s.handle(s.contactShow))
	mux.HandleFunc("POST /contact", s.handle(s.contactSend))
	mux.HandleFunc("GET /feedback", s.handle(s.feedbackShow))
	mux.HandleFunc("POST /feedback", s.handle(s.feedbackSend))
	mux.HandleFunc("GET /robots.txt", s.robots)
	mux.HandleFunc("GET /sitemap.xml", s.handle(s.sitemapNamed))
	mux.HandleFunc("GET /sitemap-news.xml", s.handle(s.sitemapNamed))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /static/{file}", s.assets)
	if s.media != nil {
		mux.Handle("GET /media/{hash}/{file}", s.media)
	}
	mux.HandleFunc("/", s.handle(s.notFoundHandler))
}

// handlerFunc is a page handler that returns its error instead of writing
// it, so one place decides how each error looks.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// httpError is an error with the status and words the reader sees.
type httpError struct {
	status int
	err    error
}

func (e *httpError) Error() string { return fmt.Sprintf("%d: %v", e.status, e.err) }
func (e *httpError) Unwrap() error { return e.err }

func notFound(err error) error   { return &httpError{http.StatusNotFound, err} }
func badRequest(err error) error { return &httpError{http.StatusBadRequest, err} }
func gone(err error) error       { return &httpError{http.StatusGone, err} }

func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r = withVersionMemo(r)
		err := h(w, r)
		if err == nil {
			return
		}
		var he *httpError
		status := http.StatusInternalServerError
		switch {
		case errors.As(err, &he):
			status = he.status
		case errors.Is(err, store.ErrNotFound):
			status = http.StatusNotFound
		case errors.Is(err, context.Canceled):
			return
		}
		if status >= 500 {
			s.log.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "err", err)
		}
		s.errorPage(w, r, status)
	}
}

func (s *Server) notFoundHandler(w http.ResponseWriter, r *http.Request) error {
	return notFound(errors.New("no route"))
}

// errorPage renders the reader-facing page for an error status. The 404
// page offers search and the latest stories.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int) {
	p := messagePage{Page: s.page(r.Context(), s.cat.T("error_title"), "", "")}
	p.NoIndex = true
	p.Heading, p.Text = p.Title, s.cat.T("error_text")
	switch status {
	case http.StatusNotFound:
		p.Title, p.Heading, p.Text, p.ShowSearch = s.cat.T("not_found_title"), s.cat.T("not_found_title"), s.cat.T("not_found_text"), true
		p.Latest, _ = s.store.ListStories(r.Context(), store.ListQuery{Limit: 6})
	case http.StatusGone:
		p.Title, p.Heading, p.Text = s.cat.T("gone_title"), s.cat.T("gone_title"), s.cat.T("gone_text")
	case http.StatusBadRequest:
		p.Title, p.Heading, p.Text = s.cat.T("bad_request_title"), s.cat.T("bad_request_title"), s.cat.T("bad_request_text")
	}
	if err := s.render.Render(w, r, status, "message", p); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, http.StatusText(status), status)
	}
}

type messagePage struct {
	Page
	Heading    string
	Text       string
	ShowSearch bool
	Latest     []story.Summary
}

// page fills the layout's part of a page; the section list is needed by
// every page's navigation.
func (s *Server) page(ctx context.Context, title, desc, canonicalPath string) Page {
	p := s.base(title, desc, "")
	if title != s.cfg.SiteName {
		p.Title = title + " | " + s.cfg.SiteName
	}
	if canonicalPath != "" {
		p.Canonical = s.cfg.BaseURL + canonicalPath
	}
	c := s.pageChrome(ctx)
	p.Sections = c.sections
	p.masthead = func(current string) (template.HTML, error) { return s.masthead(c, current) }
	p.Feeds = s.feedLinks(s.cfg.SiteName, "/")
	if c.breaking != nil {
		p.Breaking, p.BreakingLabel = c.breaking, s.breakingLabel()
	}
	return p
}

// breakingLabel is the banner's word from the catalogue, or English while
// the catalogue has no "breaking" entry.
func (s *Server) breakingLabel() string {
	if s.cat.Has("breaking") {
		return s.cat.T("breaking")
	}
	return "Breaking"
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if _, err := s.store.Setting(r.Context(), "site_secret"); err != nil && !errors.Is(err, store.ErrNotFound) {
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "User-agent: *\nDisallow: /newsroom/\nDisallow: /search\n\nSitemap: %s/sitemap.xml\nSitemap: %s/sitemap-news.xml\n",
		s.cfg.BaseURL, s.cfg.BaseURL)
}
