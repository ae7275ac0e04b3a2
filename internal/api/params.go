package api

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

const (
	defaultLimit = 20
	maxLimit     = 100
)

// params parses the query string and refuses parameters the endpoint does
// not know: a misspelt filter would otherwise silently list everything.
// (Request.URL.Query drops what it cannot parse; here it is a 400.)
func params(r *http.Request, known ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &Error{Status: http.StatusBadRequest, Code: "bad_query", Message: "the query string is not valid URL encoding"}
	}
	return q, checkParams(q, known...)
}

func checkParams(q url.Values, known ...string) error {
	for name := range q {
		if slices.Contains(known, name) {
			continue
		}
		if len(known) == 0 {
			return badParam(name, "unknown_parameter", "this endpoint takes no parameters")
		}
		return badParam(name, "unknown_parameter", "not a parameter of this endpoint (it takes %s)", strings.Join(known, ", "))
	}
	for _, name := range known {
		if len(q[name]) > 1 {
			return badParam(name, "repeated_parameter", "given more than once")
		}
	}
	return nil
}

// parseLimit reads ?limit=, 1 to 100, default 20.
func parseLimit(q url.Values) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return defaultLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		return 0, badParam("limit", "bad_limit", "must be a whole number from 1 to %d, not %q", maxLimit, clip(v))
	}
	return n, nil
}

// ninjsVersion reads ?format=: ninjs3 (the default, the current
// generation) or ninjs2 for older consumers.
func ninjsVersion(q url.Values) (int, error) {
	switch q.Get("format") {
	case "", "ninjs3", "ninjs":
		return 3, nil
	case "ninjs2":
		return 2, nil
	}
	return 0, badParam("format", "bad_format", "must be ninjs3 (default) or ninjs2, not %q", clip(q.Get("format")))
}

var langTag = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$`)

// listFilters resolves the slugs of the story list's filters to ids. An
// unknown slug is a 400 naming the parameter: the request is wrong, not
// the list empty, and a typo should not look like "no stories".
func (s *Server) listFilters(r *http.Request, q url.Values) (store.APIQuery, error) {
	var aq store.APIQuery
	ctx := r.Context()
	lookups := []struct {
		param string
		find  func(slug string) (int64, error)
		dest  *int64
	}{
		{"section", func(v string) (int64, error) { x, err := s.store.SectionBySlug(ctx, v); return x.ID, err }, &aq.SectionID},
		{"tag", func(v string) (int64, error) { x, err := s.store.TagBySlug(ctx, v); return x.ID, err }, &aq.TagID},
		{"author", func(v string) (int64, error) { x, err := s.store.AuthorBySlug(ctx, v); return x.ID, err }, &aq.AuthorID},
		{"source", func(v string) (int64, error) { x, err := s.store.SourceBySlug(ctx, v); return x.ID, err }, &aq.SourceID},
	}
	for _, l := range lookups {
		v := q.Get(l.param)
		if v == "" {
			continue
		}
		if !story.ValidSlug(v) || len(v) > 100 {
			return aq, badParam(l.param, "bad_filter", "%q is not a slug (lower-case a-z, 0-9 and -)", clip(v))
		}
		id, err := l.find(v)
		if errors.Is(err, store.ErrNotFound) {
			return aq, badParam(l.param, "unknown_"+l.param, "there is no %s %q", l.param, v)
		} else if err != nil {
			return aq, err
		}
		*l.dest = id
	}
	if v := q.Get("language"); v != "" {
		if !langTag.MatchString(v) || len(v) > 35 {
			return aq, badParam("language", "bad_filter", "%q is not a BCP 47 language tag such as en or pt-BR", clip(v))
		}
		aq.Language = strings.ToLower(v)
	}
	if v := q.Get("updated_since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return aq, badParam("updated_since", "bad_date",
				"%q is not an RFC 3339 time such as 2026-11-29T21:00:00Z (write + as %%2B in a URL)", clip(v))
		}
		aq.ChangedSince = t.UTC()
	}
	return aq, nil
}

// parseStatuses reads ?status=, a comma-separated list of workflow
// statuses. Anything but "published" needs a key.
func parseStatuses(q url.Values, keyed bool) ([]story.Status, error) {
	v := q.Get("status")
	if v == "" {
		return nil, nil
	}
	var out []story.Status
	for _, part := range strings.Split(v, ",") {
		st := story.Status(strings.TrimSpace(part))
		if !slices.Contains(allStatuses, st) {
			return nil, badParam("status", "bad_filter", "%q is not a status (one or more of %s)", clip(string(st)), statusNames())
		}
		if st != story.StatusPublished && !keyed {
			return nil, unauthorized("key_required", "status: listing stories that are not published needs an API key")
		}
		out = append(out, st)
	}
	if len(out) == 1 && out[0] == story.StatusPublished {
		return nil, nil // the public list, with its own cursor
	}
	return out, nil
}

var allStatuses = []story.Status{story.StatusDraft, story.StatusSubmitted, story.StatusScheduled, story.StatusPublished,
	story.StatusUnpublished, story.StatusKilled, story.StatusWithheld, story.StatusSpiked}

func statusNames() string {
	names := make([]string, len(allStatuses))
	for i, st := range allStatuses {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}

// clip keeps echoed input short.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
