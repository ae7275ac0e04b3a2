package site

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"dateline/internal/story"
)

const maxQuery = 200

type searchView struct {
	Page
	Query   string
	Notice  string
	Results []story.Summary
	Pager   pager
}

// searchShow answers any query, however odd, with a page: an empty or
// one-letter query gets a hint, an over-long one is cut with a notice.
func (s *Server) searchShow(w http.ResponseWriter, r *http.Request) error {
	q := strings.ToValidUTF8(r.URL.Query().Get("q"), "")
	q = strings.Join(strings.Fields(q), " ")
	v := searchView{Page: s.page(r.Context(), s.cat.T("search_title"), "", "")}
	v.NoIndex = true
	if utf8.RuneCountInString(q) > maxQuery {
		q = string([]rune(q)[:maxQuery])
		v.Notice = s.cat.Tf("search_cut", maxQuery)
	}
	v.Query = q
	if utf8.RuneCountInString(q) < 2 {
		v.Notice = s.cat.T("search_short")
		return s.render.Render(w, r, http.StatusOK, "search", v)
	}
	v.Title = s.cat.Tf("search_results", q) + " | " + s.cfg.SiteName
	res, err := s.store.Search(r.Context(), q, pageSize)
	if err != nil {
		return err
	}
	v.Results = res
	if len(res) == 0 && v.Notice == "" {
		v.Notice = s.cat.Tf("search_none", q)
	}
	return s.render.Render(w, r, http.StatusOK, "search", v)
}
