package newsroom

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"dateline/internal/auth"
	"dateline/internal/clientip"
	"dateline/internal/config"
	"dateline/internal/media"
	"dateline/internal/render"
	"dateline/internal/store"
	"dateline/internal/story"
)

// Previewer renders a story with the public story template, for the
// editor's preview. The site implements it.
type Previewer interface {
	RenderPreview(w http.ResponseWriter, r *http.Request, st *story.Story) error
}

// Deps are what the newsroom needs from the rest of the program.
type Deps struct {
	Config    *config.Config
	Store     store.Store
	Media     *media.Store
	Templates fs.FS // holds templates/newsroom/*.html
	Preview   Previewer
	Asset     func(name string) (string, error) // hashed static URL
	Logger    *slog.Logger
	Now       func() time.Time
}

// Server is the staff application.
type Server struct {
	cfg     *config.Config
	store   store.Store
	media   *media.Store
	preview Previewer
	render  *render.Renderer
	log     *slog.Logger
	now     func() time.Time
	secret  []byte // signs shared preview links
}

// pages are the newsroom's page templates under templates/newsroom/.
var pages = []string{"login", "dashboard", "message"}

// New builds the newsroom; extra page templates are listed by the files
// that own them (see the pages variable's users).
func New(ctx context.Context, d Deps) (*Server, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &Server{cfg: d.Config, store: d.Store, media: d.Media, preview: d.Preview, log: d.Logger, now: d.Now}
	secret, err := d.Store.Setting(ctx, "site_secret")
	if err != nil {
		return nil, fmt.Errorf("newsroom: site secret: %w", err)
	}
	s.secret = []byte(secret)
	funcs := template.FuncMap{
		"asset": d.Asset,
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(d.Config.Location).Format("2 Jan 2006 15:04")
		},
		"iso": func(t time.Time) string { return t.In(d.Config.Location).Format(time.RFC3339) },
		"can": func(u store.User, a string) bool { return auth.Can(u, auth.Action(a), auth.StoryRef{}) },
	}
	all := append(append([]string{}, pages...), extraPages...)
	if s.render, err = render.New(d.Templates, "templates/newsroom", "layout.html", "layout", all, funcs); err != nil {
		return nil, err
	}
	return s, nil
}

// extraPages are page templates registered by other files of this package.
var extraPages []string

// Routes registers every URL of the newsroom. Every route but the login
// page requires a signed-in user; what they may do is checked per action.
// There is no catch-all: the ServeMux cannot rank /newsroom/ against the
// site's /{section}/{name}, so an unknown newsroom path gets the site's 404.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/login", s.handle(s.loginShow))
	mux.HandleFunc("POST /newsroom/login", s.handle(s.loginSubmit))
	mux.HandleFunc("POST /newsroom/logout", s.user(s.logout))
	mux.HandleFunc("POST /newsroom/logout-everywhere", s.user(s.logoutEverywhere))
	mux.HandleFunc("GET /newsroom/{$}", s.user(s.dashboardShow))
	mux.HandleFunc("GET /newsroom", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/newsroom/", http.StatusMovedPermanently)
	})
	for _, add := range routeAdders {
		add(s, mux)
	}
}

// routeAdders let each area of the newsroom (editor, media, admin) list
// its routes in its own file, next to its handlers.
var routeAdders []func(s *Server, mux *http.ServeMux)

// Page is what the newsroom layout needs; every page type embeds it.
type Page struct {
	Title    string
	User     store.User
	SiteName string
	Flash    string
	Error    string
	Section  string // which part of the newsroom nav is current
}

func (s *Server) page(u store.User, title, section string) Page {
	return Page{Title: title, User: u, SiteName: s.cfg.SiteName, Section: section}
}

// httpError carries the status a handler wants shown.
type httpError struct {
	status int
	err    error
}

func (e *httpError) Error() string { return fmt.Sprintf("%d: %v", e.status, e.err) }
func (e *httpError) Unwrap() error { return e.err }

func notFound(err error) error   { return &httpError{http.StatusNotFound, err} }
func forbidden(err error) error  { return &httpError{http.StatusForbidden, err} }
func badRequest(err error) error { return &httpError{http.StatusBadRequest, err} }
func conflict(err error) error   { return &httpError{http.StatusConflict, err} }

type handlerFunc func(w http.ResponseWriter, r *http.Request) error
type userHandler func(w http.ResponseWriter, r *http.Request, u store.User) error

func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Robots-Tag", "noindex")
		if err := h(w, r); err != nil {
			s.fail(w, r, store.User{}, err)
		}
	}
}

// user wraps a handler that needs a signed-in user: without a valid
// session, a page request goes to the login (and comes back after), a
// script's request gets 401.
func (s *Server) user(h userHandler) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		u, ok := s.currentUser(w, r)
		if !ok {
			if wantsJSON(r) {
				http.Error(w, `{"error":"signed_out","message":"Your session has ended. Sign in again; your autosaved text is kept."}`, http.StatusUnauthorized)
				return nil
			}
			next := r.URL.Path
			if r.Method == http.MethodGet && r.URL.RawQuery != "" {
				next += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, "/newsroom/login?next="+url.QueryEscape(next), http.StatusSeeOther)
			return nil
		}
		return h(w, r, u)
	})
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// fail shows an error as a newsroom page (or JSON for scripts).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, u store.User, err error) {
	status := http.StatusInternalServerError
	var he *httpError
	switch {
	case errors.As(err, &he):
		status = he.status
	case errors.Is(err, store.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, store.ErrConflict):
		status = http.StatusConflict
	case errors.Is(err, store.ErrInvalid):
		status = http.StatusBadRequest
	case errors.Is(err, store.ErrNoSpace):
		status = http.StatusInsufficientStorage
	case errors.Is(err, context.Canceled):
		return
	}
	msg := http.StatusText(status)
	if status < 500 {
		msg = userMessage(err)
	} else {
		s.log.ErrorContext(r.Context(), "newsroom request failed", "path", r.URL.Path, "err", err)
	}
	if status == http.StatusInsufficientStorage {
		msg = "Nothing was saved: the disk that holds the database is full. Ask the administrator to free space, then go back and send the form again."
	}
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, "{\"error\":%q,\"message\":%q}\n", strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_")), msg)
		return
	}
	p := messagePage{Page: s.page(u, http.StatusText(status), ""), Heading: http.StatusText(status), Text: msg}
	if err := s.render.Render(w, r, status, "message", p); err != nil {
		http.Error(w, msg, status)
	}
}

// userMessage is the part of an error safe to show: the innermost
// httpError's reason, without internal detail.
func userMessage(err error) string {
	var he *httpError
	if errors.As(err, &he) && he.err != nil {
		return he.err.Error()
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "That does not exist (any more)."
	case errors.Is(err, store.ErrConflict):
		return "Someone else changed this in the meantime."
	}
	return "That request could not be handled."
}

type messagePage struct {
	Page
	Heading string
	Text    string
}

// audit records an action; a failure to write the log is logged, not
// shown, since the action itself has happened.
func (s *Server) audit(r *http.Request, u store.User, action, target, detail string) {
	e := store.AuditEntry{At: s.now(), UserID: u.ID, Actor: u.Email, Action: action, Target: target, Detail: detail, IP: s.clientIP(r)}
	if e.Actor == "" {
		e.Actor = "anonymous"
	}
	if err := s.store.Audit(r.Context(), e); err != nil {
		s.log.ErrorContext(r.Context(), "audit", "action", action, "err", err)
	}
}

func (s *Server) clientIP(r *http.Request) string { return clientip.From(r, s.cfg.TrustedProxies) }

// localPath keeps a redirect target only when it is a path on this site.
func localPath(p, fallback string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return fallback
	}
	return p
}
