package newsroom

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
)

// cookieName is the session cookie. Over TLS it carries the __Host-
// prefix, which browsers only accept with Secure, Path=/ and no Domain,
// so no subdomain can plant or read it.
func (s *Server) cookieName() string {
	if s.cfg.TLS() {
		return "__Host-dateline_session"
	}
	return "dateline_session"
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.cfg.TLS(), SameSite: http.SameSiteLaxMode,
	})
}

// currentUser returns the signed-in user of a request. An expired session
// is deleted and its cookie cleared. Activity is written at most once a
// minute, so reading pages does not mean a write per request.
func (s *Server) currentUser(w http.ResponseWriter, r *http.Request) (store.User, bool) {
	c, err := r.Cookie(s.cookieName())
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return store.User{}, false
	}
	id := auth.TokenID(c.Value)
	se, u, err := s.store.Session(r.Context(), id)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.ErrorContext(r.Context(), "session", "err", err)
		}
		s.setSessionCookie(w, "", -1)
		return store.User{}, false
	}
	now := s.now()
	if auth.Expired(se.CreatedAt, se.LastSeenAt, now) || u.Disabled {
		s.store.DeleteSession(r.Context(), id)
		s.setSessionCookie(w, "", -1)
		return store.User{}, false
	}
	if now.Sub(se.LastSeenAt) > time.Minute {
		if err := s.store.TouchSession(r.Context(), id, now); err != nil {
			s.log.WarnContext(r.Context(), "touch session", "err", err)
		}
	}
	return u, true
}

type loginPage struct {
	Page
	Email string
	Next  string
}

func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.currentUser(w, r); ok {
		http.Redirect(w, r, "/newsroom/", http.StatusSeeOther)
		return nil
	}
	p := loginPage{Page: s.page(store.User{}, "Sign in", ""), Next: localPath(r.URL.Query().Get("next"), "")}
	return s.render.Render(w, r, http.StatusOK, "login", p)
}

// loginSubmit checks the password. A wrong password and an unknown
// account get the same words and cost the same time; failures are
// throttled per account and per address, across restarts.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		return badRequest(errors.New("the form could not be read"))
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	pw := r.PostForm.Get("password")
	p := loginPage{Page: s.page(store.User{}, "Sign in", ""), Email: email, Next: localPath(r.PostForm.Get("next"), "")}
	ctx := r.Context()
	now := s.now()
	ip := s.clientIP(r)
	accountKey, ipKey := "account:"+strings.ToLower(email), "ip:"+ip
	nAcc, err := s.store.LoginFailures(ctx, accountKey, now.Add(-auth.FailureWindow))
	if err != nil {
		return err
	}
	nIP, err := s.store.LoginFailures(ctx, ipKey, now.Add(-auth.FailureWindow))
	if err != nil {
		return err
	}
	if nAcc >= auth.MaxFailuresPerAccount || nIP >= auth.MaxFailuresPerIP {
		w.Header().Set("Retry-After", "900")
		p.Error = "Too many failed sign-in attempts. Wait 15 minutes and try again, or ask an admin to reset your password."
		s.audit(r, store.User{Email: email}, "login_throttled", "", "")
		return s.render.Render(w, r, http.StatusTooManyRequests, "login", p)
	}
	u, err := s.store.UserByEmail(ctx, email)
	ok := false
	switch {
	case err == nil && !u.Disabled:
		ok = auth.VerifyPassword(u.PasswordHash, pw)
	case err == nil || errors.Is(err, store.ErrNotFound):
		auth.VerifyNoAccount(pw)
	default:
		return err
	}
	if !ok {
		if err := s.store.AddLoginFailure(ctx, now, accountKey, ipKey); err != nil {
			return err
		}
		s.audit(r, store.User{ID: u.ID, Email: email}, "login_failed", "", "")
		p.Error = "The email or password is not right."
		return s.render.Render(w, r, http.StatusUnauthorized, "login", p)
	}
	token, id := auth.NewToken()
	if err := s.store.CreateSession(ctx, store.Session{ID: id, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		IP: ip, UserAgent: truncate(r.UserAgent(), 200)}); err != nil {
		return err
	}
	s.store.ClearLoginFailures(ctx, accountKey)
	s.setSessionCookie(w, token, int(auth.AbsoluteTimeout.Seconds()))
	s.audit(r, u, "login", "", "")
	http.Redirect(w, r, localPath(p.Next, "/newsroom/"), http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, u store.User) error {
	if c, err := r.Cookie(s.cookieName()); err == nil {
		if err := s.store.DeleteSession(r.Context(), auth.TokenID(c.Value)); err != nil {
			return err
		}
	}
	s.setSessionCookie(w, "", -1)
	s.audit(r, u, "logout", "", "")
	http.Redirect(w, r, "/newsroom/login", http.StatusSeeOther)
	return nil
}

func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := s.store.DeleteUserSessions(r.Context(), u.ID); err != nil {
		return err
	}
	s.setSessionCookie(w, "", -1)
	s.audit(r, u, "logout_everywhere", "", "")
	http.Redirect(w, r, "/newsroom/login", http.StatusSeeOther)
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
