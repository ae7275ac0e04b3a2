package site

import (
	"errors"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"dateline/internal/clientip"
	"dateline/internal/store"
)

// Limits of the reader forms, in characters.
const (
	maxName    = 100
	maxEmail   = 254
	maxSubject = 150
	maxMessage = 5000
	maxPage    = 300
	maxForm    = 64 << 10 // bytes of a whole form body
)

type formView struct {
	Page
	Heading     string
	Intro       string
	Action      string
	WithSubject bool
	Form        messageForm
	Errors      map[string]string
	Error       string
	Sent        bool
}

type messageForm struct {
	Name, Email, Subject, Message, Page string
}

// formKind describes the differences between contact and feedback.
type formKind struct {
	kind, path, title, intro string
	needIdentity             bool // contact wants a name and an address to answer
}

func (s *Server) contactKind() formKind {
	return formKind{"contact", "/contact", s.cat.T("contact_title"), s.cat.T("contact_intro"), true}
}

func (s *Server) feedbackKind() formKind {
	return formKind{"feedback", "/feedback", s.cat.T("feedback_title"), s.cat.T("feedback_intro"), false}
}

func (s *Server) contactShow(w http.ResponseWriter, r *http.Request) error {
	return s.formShow(w, r, s.contactKind())
}

func (s *Server) feedbackShow(w http.ResponseWriter, r *http.Request) error {
	return s.formShow(w, r, s.feedbackKind())
}

func (s *Server) contactSend(w http.ResponseWriter, r *http.Request) error {
	return s.formSend(w, r, s.contactKind())
}

func (s *Server) feedbackSend(w http.ResponseWriter, r *http.Request) error {
	return s.formSend(w, r, s.feedbackKind())
}

func (s *Server) formView(r *http.Request, k formKind) formView {
	v := formView{Page: s.page(r.Context(), k.title, k.intro, k.path), Heading: k.title, Intro: k.intro,
		Action: k.path, WithSubject: k.kind == "contact", Errors: map[string]string{}}
	v.Crumbs = []crumb{{s.cat.T("home"), "/"}, {k.title, ""}}
	return v
}

func (s *Server) formShow(w http.ResponseWriter, r *http.Request, k formKind) error {
	v := s.formView(r, k)
	v.Form.Page = cleanPage(r.URL.Query().Get("page"))
	v.Sent = r.URL.Query().Get("sent") == "1"
	if v.Sent {
		v.NoIndex = true
	}
	return s.render.Render(w, r, http.StatusOK, "form", v)
}

// formSend validates and stores a reader's message. On any problem the
// form comes back with the message next to the field and the text kept;
// on success the message is committed before the reader is sent to the
// thank-you page (Post/Redirect/Get, so a reload does not send it twice).
func (s *Server) formSend(w http.ResponseWriter, r *http.Request, k formKind) error {
	v := s.formView(r, k)
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			v.Error = s.cat.T("err_body_too_large")
			return s.render.Render(w, r, http.StatusRequestEntityTooLarge, "form", v)
		}
		return badRequest(err)
	}
	f := messageForm{
		Name:    strings.TrimSpace(r.PostForm.Get("name")),
		Email:   strings.TrimSpace(r.PostForm.Get("email")),
		Subject: strings.TrimSpace(r.PostForm.Get("subject")),
		Message: strings.TrimSpace(r.PostForm.Get("message")),
		Page:    cleanPage(r.PostForm.Get("page")),
	}
	v.Form = f
	if r.PostForm.Get("website") != "" {
		v.Error = s.cat.T("err_spam")
		return s.render.Render(w, r, http.StatusBadRequest, "form", v)
	}
	s.validate(f, k, v.Errors)
	if len(v.Errors) > 0 {
		v.Error = s.cat.T("err_form")
		return s.render.Render(w, r, http.StatusUnprocessableEntity, "form", v)
	}
	if !s.limiter.allow(clientip.From(r, s.cfg.TrustedProxies)) {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.limiter.window.Seconds())))
		v.Error = s.cat.T("err_rate")
		return s.render.Render(w, r, http.StatusTooManyRequests, "form", v)
	}
	_, err := s.store.AddMessage(r.Context(), store.Message{Kind: k.kind, Name: f.Name, Email: f.Email,
		Subject: f.Subject, Body: f.Message, Page: f.Page, CreatedAt: s.now()})
	if errors.Is(err, store.ErrNoSpace) {
		// As the newsroom's forms do: 507 with words, and the reader's
		// text kept in the form to send again once there is room.
		s.log.ErrorContext(r.Context(), "reader message not stored", "kind", k.kind, "err", err)
		v.Error = s.cat.T("err_disk_full")
		return s.render.Render(w, r, http.StatusInsufficientStorage, "form", v)
	}
	if err != nil {
		return err
	}
	next := k.path + "?sent=1"
	if f.Page != "" {
		next += "&page=" + url.QueryEscape(f.Page)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) validate(f messageForm, k formKind, errs map[string]string) {
	check := func(field, val string, max int, required bool) {
		switch {
		case required && val == "":
			errs[field] = s.cat.T("err_required")
		case utf8.RuneCountInString(val) > max:
			errs[field] = s.cat.Tf("err_too_long", max)
		}
	}
	check("name", f.Name, maxName, k.needIdentity)
	check("email", f.Email, maxEmail, k.needIdentity)
	check("subject", f.Subject, maxSubject, false)
	check("message", f.Message, maxMessage, true)
	if _, bad := errs["email"]; !bad && f.Email != "" && !validEmail(f.Email) {
		errs["email"] = s.cat.T("err_email")
	}
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// cleanPage keeps the "page it came from" only when it is a path on this
// site, so the thank-you link can never point elsewhere.
func cleanPage(p string) string {
	p = strings.TrimSpace(p)
	if p == "" || len(p) > maxPage || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return u.EscapedPath()
}
