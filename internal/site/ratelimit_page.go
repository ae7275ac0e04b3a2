package site

import (
	"net/http"
	"strconv"
	"time"
)

// TooManyRequests answers 429 with the site's own page and a Retry-After
// in whole seconds. The limits themselves are kept in front of the page
// cache (internal/app), which calls this to say so in the reader's words.
func (s *Server) TooManyRequests(w http.ResponseWriter, r *http.Request, retryAfter time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(retryAfter.Seconds()))))
	w.Header().Set("Cache-Control", "no-store")
	p := messagePage{Page: s.page(r.Context(), s.cat.T("rate_limited_title"), "", "")}
	p.NoIndex = true
	p.Heading, p.Text, p.ShowSearch = s.cat.T("rate_limited_title"), s.cat.T("rate_limited_text"), false
	if err := s.render.Render(w, r, http.StatusTooManyRequests, "message", p); err != nil {
		s.log.Error("render the rate limit page", "err", err)
		http.Error(w, "429 too many requests", http.StatusTooManyRequests)
	}
}

// TooLarge answers 413 with the site's own page: a form sent more than
// limit bytes.
func (s *Server) TooLarge(w http.ResponseWriter, r *http.Request, limit int64) {
	w.Header().Set("Cache-Control", "no-store")
	p := messagePage{Page: s.page(r.Context(), s.cat.T("too_large_title"), "", "")}
	p.NoIndex = true
	p.Heading, p.Text = s.cat.T("too_large_title"), s.cat.Tf("too_large_text", limit>>10)
	if err := s.render.Render(w, r, http.StatusRequestEntityTooLarge, "message", p); err != nil {
		s.log.Error("render the too large page", "err", err)
		http.Error(w, "413 request entity too large", http.StatusRequestEntityTooLarge)
	}
}
