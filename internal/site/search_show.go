package site

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"dateline/internal/search"
	"dateline/internal/store"
)

type searchView struct {
	Page
	Query     string // as used: cut, valid UTF-8
	Notices   []string
	Hits      []store.SearchHit
	Count     string // "12 results"
	Filter    searchFilter
	Languages []langOption
	Help      bool // show the search tips
	More      string
	First     string
}

// searchFilter holds the filters as the form shows them.
type searchFilter struct {
	Section, Lang, From, To string
}

type langOption struct {
	Code, Name string
	Selected   bool
}

// langNames are the endonyms of the languages a newsroom may publish in,
// for the language filter; an unknown code shows as itself.
var langNames = map[string]string{
	"ar": "العربية", "de": "Deutsch", "en": "English", "es": "Español", "fa": "فارسی", "fr": "Français",
	"it": "Italiano", "ku": "Kurdî", "nl": "Nederlands", "pt": "Português", "ru": "Русский", "tr": "Türkçe",
	"uk": "Українська", "ur": "اردو", "zh": "中文",
}

const dateForm = "2006-01-02"

// searchShow answers any query, however odd, with a page: an empty,
// one-letter or junk query gets tips, an over-long one is cut with a
// notice, a filter that makes no sense is dropped with a notice, and only
// a tampered page position answers 400.
func (s *Server) searchShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := r.URL.Query()
	pq := search.Parse(form.Get("q"))
	v := searchView{Page: s.page(ctx, s.cat.T("search_title"), "", ""), Query: pq.Text}
	v.NoIndex = true
	if pq.Truncated {
		v.Notices = append(v.Notices, s.cat.Tf("search_cut", search.MaxQueryRunes))
	}
	after, err := decodeSearchCursor(form.Get("after"))
	if err != nil {
		return badRequest(err)
	}
	langs, err := s.store.Languages(ctx)
	if err != nil {
		return err
	}
	q, bad := s.searchFilters(form, langs, &v)
	if len(bad) > 0 {
		v.Notices = append(v.Notices, s.cat.Tf("search_bad_filter", strings.Join(bad, ", ")))
	}
	if !pq.Searchable() {
		v.Help = true
		if strings.TrimSpace(form.Get("q")) != "" {
			v.Notices = append(v.Notices, s.cat.T("search_short"))
		}
		return s.render.Render(w, r, http.StatusOK, "search", v)
	}
	v.Title = s.cat.Tf("search_results", pq.Text) + " | " + s.cfg.SiteName
	q.Text, q.After, q.Limit = form.Get("q"), after, pageSize
	res, err := s.store.SearchStories(ctx, q)
	if err != nil {
		return err
	}
	v.Hits = res.Hits
	switch {
	case res.Corrected && len(res.Hits) > 0:
		v.Notices = append(v.Notices, s.cat.Tf("search_corrected", pq.Text, res.Query.String()))
	case res.Relaxed && len(res.Hits) > 0:
		v.Notices = append(v.Notices, s.cat.T("search_relaxed"))
	case len(res.Hits) == 0 && after.IsZero():
		v.Notices = append(v.Notices, s.cat.Tf("search_none", pq.Text))
		v.Help = true
	}
	switch {
	case res.More:
		v.Count = s.cat.Tf("search_count_more", res.Total)
	case res.Total == 1:
		v.Count = s.cat.T("search_count_one")
	case res.Total > 1:
		v.Count = s.cat.Tf("search_count", res.Total)
	}
	if !res.Next.IsZero() {
		next := cloneValues(form)
		next.Set("after", encodeSearchCursor(res.Next))
		v.More = "/search?" + next.Encode()
	}
	if !after.IsZero() {
		first := cloneValues(form)
		first.Del("after")
		v.First = "/search?" + first.Encode()
	}
	return s.render.Render(w, r, http.StatusOK, "search", v)
}

// searchFilters reads section, lang, from and to. A value that names no
// section or language, or no date, is dropped and named in bad.
func (s *Server) searchFilters(form url.Values, langs []string, v *searchView) (q store.SearchQuery, bad []string) {
	if slug := form.Get("section"); slug != "" {
		for _, sec := range v.Sections {
			if sec.Slug == slug {
				q.SectionID, v.Filter.Section = sec.ID, slug
			}
		}
		if q.SectionID == 0 {
			bad = append(bad, s.cat.T("search_section"))
		}
	}
	lang := form.Get("lang")
	for _, l := range langs {
		name := langNames[l]
		if name == "" {
			name = l
		}
		v.Languages = append(v.Languages, langOption{Code: l, Name: name, Selected: l == lang})
		if l == lang {
			q.Language, v.Filter.Lang = l, l
		}
	}
	if lang != "" && q.Language == "" {
		bad = append(bad, s.cat.T("search_language"))
	}
	day := func(key, label string) time.Time {
		raw := form.Get(key)
		if raw == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(dateForm, raw, s.cfg.Location)
		if err != nil || t.Year() < 1900 || t.Year() > 9999 {
			bad = append(bad, label)
			return time.Time{}
		}
		return t
	}
	q.From = day("from", s.cat.T("search_from"))
	if to := day("to", s.cat.T("search_to")); !to.IsZero() {
		q.To = to.AddDate(0, 0, 1) // the whole day
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		q.From, q.To = q.To.AddDate(0, 0, -1), q.From.AddDate(0, 0, 1) // typed the wrong way round
	}
	if !q.From.IsZero() {
		v.Filter.From = q.From.Format(dateForm)
	}
	if !q.To.IsZero() {
		v.Filter.To = q.To.AddDate(0, 0, -1).Format(dateForm)
	}
	return q, bad
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if k == "q" || k == "section" || k == "lang" || k == "from" || k == "to" || k == "after" {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}

var errSearchCursor = errors.New("the after= position of the results is not valid")

// encodeSearchCursor writes a results position as four base-36 fields:
// reference time, score (its bits), id and the fallbacks taken.
func encodeSearchCursor(c store.SearchCursor) string {
	mode := 0
	if c.Relaxed {
		mode |= 1
	}
	if c.Corrected {
		mode |= 2
	}
	return strconv.FormatInt(c.Ref.UnixMicro(), 36) + "." + strconv.FormatUint(math.Float64bits(c.Score), 36) + "." +
		strconv.FormatInt(c.ID, 36) + "." + strconv.Itoa(mode)
}

// decodeSearchCursor reads what encodeSearchCursor wrote; empty is the
// first page, anything malformed an error.
func decodeSearchCursor(v string) (store.SearchCursor, error) {
	if v == "" {
		return store.SearchCursor{}, nil
	}
	parts := strings.Split(v, ".")
	if len(parts) != 4 || len(v) > 64 {
		return store.SearchCursor{}, errSearchCursor
	}
	ref, err1 := strconv.ParseInt(parts[0], 36, 64)
	bits, err2 := strconv.ParseUint(parts[1], 36, 64)
	id, err3 := strconv.ParseInt(parts[2], 36, 64)
	mode, err4 := strconv.Atoi(parts[3])
	score := math.Float64frombits(bits)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || ref <= 0 || id <= 0 || mode < 0 || mode > 3 ||
		math.IsNaN(score) || math.IsInf(score, 0) {
		return store.SearchCursor{}, errSearchCursor
	}
	return store.SearchCursor{Ref: time.UnixMicro(ref).UTC(), Score: score, ID: id, Relaxed: mode&1 != 0, Corrected: mode&2 != 0}, nil
}
