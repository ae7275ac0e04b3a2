package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/internal/story"
)

// TestBadInputIs400NamingTheParameter: every malformed or unknown value
// is a JSON 400 whose error names the parameter, never a 500.
func TestBadInputIs400NamingTheParameter(t *testing.T) {
	for _, tc := range []struct{ query, param, code string }{
		{"limit=0", "limit", "bad_limit"},
		{"limit=101", "limit", "bad_limit"},
		{"limit=ten", "limit", "bad_limit"},
		{"cursor=garbage", "cursor", "bad_cursor"},
		{"cursor=pzz.-1", "cursor", "bad_cursor"},
		{"cursor=c1.1", "cursor", "bad_cursor"}, // a change-list cursor on the plain list
		{"format=xml", "format", "bad_format"},
		{"section=nowhere", "section", "unknown_section"},
		{"section=No%20Such", "section", "bad_filter"},
		{"tag=no-such-tag", "tag", "unknown_tag"},
		{"author=nobody", "author", "unknown_author"},
		{"source=tass", "source", "unknown_source"},
		{"language=english!", "language", "bad_filter"},
		{"updated_since=yesterday", "updated_since", "bad_date"},
		{"updated_since=2026-11-29T21:00:00%201:00", "updated_since", "bad_date"},
		{"status=lost", "status", "bad_filter"},
		{"secton=world", "secton", "unknown_parameter"},
		{"limit=5&limit=6", "limit", "repeated_parameter"},
	} {
		res := get(t, "/api/v1/stories?"+tc.query)
		var e apiError
		decode(t, res, &e)
		if res.status != http.StatusBadRequest || e.Error.Parameter != tc.param || e.Error.Code != tc.code ||
			!strings.HasPrefix(e.Error.Message, tc.param+": ") {
			t.Errorf("?%s: %d %+v, want 400 %s naming %s", tc.query, res.status, e.Error, tc.code, tc.param)
		}
	}
	for _, path := range []string{"/api/v1/tags?cursor=%%%", "/api/v1/tags?limit=-1", "/api/v1/stories/1?format=nitf", "/api/v1/sections?x=1"} {
		if res := get(t, path); res.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", path, res.status)
		}
	}
}

// TestUnknownAPIPathsAreJSON: nothing under /api/ ever gets the site's
// HTML page.
func TestUnknownAPIPathsAreJSON(t *testing.T) {
	for path, status := range map[string]int{
		"/api":                         http.StatusNotFound,
		"/api/":                        http.StatusNotFound,
		"/api/v1":                      http.StatusNotFound,
		"/api/v2/stories":              http.StatusNotFound,
		"/api/v1/stories/1/body":       http.StatusNotFound,
		"/api/v1/stories/abc":          http.StatusNotFound,
		"/api/v1/stories/99999":        http.StatusNotFound,
		"/api/openapi.yaml":            http.StatusNotFound,
		"/api/v1/sections/world/more/": http.StatusNotFound,
	} {
		res := get(t, path)
		var e apiError
		decode(t, res, &e)
		if res.status != status || e.Error.Code == "" {
			t.Errorf("%s: %d %s, want %d with a JSON error", path, res.status, res.body, status)
		}
	}
	for _, method := range []string{http.MethodPost, http.MethodDelete} {
		r := call(t, demo.Handler, method, "/api/v1/stories", "")
		var e apiError
		decode(t, r, &e)
		if r.status != http.StatusMethodNotAllowed || e.Error.Code != "method_not_allowed" {
			t.Errorf("%s /api/v1/stories: %d %s", method, r.status, r.body)
		}
	}
	if r := call(t, demo.Handler, http.MethodPost, "/api/nothing", ""); r.status != http.StatusNotFound ||
		!strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("POST /api/nothing: %d %s", r.status, r.header.Get("Content-Type"))
	}
}

// TestKeys: drafts are hidden without a key and readable with one; a bad
// or revoked key is a 401 with WWW-Authenticate, even where none is needed.
func TestKeys(t *testing.T) {
	site := newSite(t)
	mustPublish(t, site, "Public story")
	draft := mustCreate(t, site, "Secret draft", story.StatusDraft)
	key, keyID := mustKey(t, site, "Partner")
	draftPath := "/api/v1/stories/" + itoa(draft)

	if r := call(t, site.Handler, http.MethodGet, draftPath, ""); r.status != http.StatusNotFound {
		t.Errorf("draft without a key: %d, want 404", r.status)
	}
	if all := docs(t, walk(t, site.Handler, "/api/v1/stories", "")); len(all) != 1 {
		t.Errorf("public list has %d stories, want the published one only", len(all))
	}
	r := call(t, site.Handler, http.MethodGet, "/api/v1/stories?status=draft", "")
	if r.status != http.StatusUnauthorized || !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("status=draft without a key: %d %q", r.status, r.header.Get("WWW-Authenticate"))
	}

	r = call(t, site.Handler, http.MethodGet, draftPath, key)
	if r.status != http.StatusOK {
		t.Fatalf("draft with a key: %d %s", r.status, r.body)
	}
	validate(t, ninjsSchema(t, "3.1", true), "keyed draft", r.body)
	if d := docs(t, wrap(r.body)); d[0].PubStatus != "withheld" || !strings.Contains(d[0].EdNote, "draft") {
		t.Errorf("keyed draft: %s", r.body)
	}
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("keyed answer Cache-Control %q, want private", cc)
	}
	drafts := docs(t, walk(t, site.Handler, "/api/v1/stories?status=draft,submitted&limit=1", key))
	if len(drafts) != 1 || drafts[0].URI != storyURI(draft) {
		t.Errorf("keyed drafts list: %+v", drafts)
	}
	k, _ := site.Store.APIKeyByHash(context.Background(), hashOf(key))
	if k.LastUsedAt.IsZero() {
		t.Error("last use not recorded")
	}

	wrong := key[:len(key)-2] + "xx"
	if wrong == key {
		wrong = key[:len(key)-2] + "yy"
	}
	for _, bad := range []struct{ header, code string }{
		{"Bearer " + wrong, "invalid_key"},
		{"Bearer not-a-key", "invalid_key"},
		{"Basic dXNlcjpwYXNz", "invalid_key"},
	} {
		for _, path := range []string{"/api/v1/sections", "/api/v1/stories", draftPath} {
			res := callHeader(t, site.Handler, path, bad.header)
			var e apiError
			decode(t, res, &e)
			if res.status != http.StatusUnauthorized || e.Error.Code != bad.code ||
				!strings.Contains(res.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
				t.Errorf("%s with %q: %d %+v %q", path, bad.header, res.status, e.Error, res.header.Get("WWW-Authenticate"))
			}
		}
	}
	if err := site.Store.RevokeAPIKey(context.Background(), keyID, time.Now()); err != nil {
		t.Fatal(err)
	}
	r = call(t, site.Handler, http.MethodGet, "/api/v1/tags", key)
	var e apiError
	decode(t, r, &e)
	if r.status != http.StatusUnauthorized || e.Error.Code != "revoked_key" {
		t.Errorf("revoked key: %d %s", r.status, r.body)
	}
}

// TestListPagingAndFilters walks the demo one page after another: every
// published story exactly once, newest first, for each filter too.
func TestListPagingAndFilters(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		query string
		keep  func(st *story.Story) bool
	}{
		{"", func(*story.Story) bool { return true }},
		{"section=world", func(st *story.Story) bool { return st.Section.Slug == "world" }},
		{"tag=climate", func(st *story.Story) bool { return hasTag(st, "climate") }},
		{"source=aa", func(st *story.Story) bool { return st.Source != nil && st.Source.Slug == "aa" }},
		{"language=tr", func(st *story.Story) bool { return st.Language == "tr" }},
		{"author=priya-raman", func(st *story.Story) bool { return hasAuthor(st, "priya-raman") }},
		{"section=world&language=en", func(st *story.Story) bool { return st.Section.Slug == "world" && st.Language == "en" }},
	} {
		all, err := demo.Store.APIStories(ctx, storeAll())
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, st := range all {
			if tc.keep(st) {
				want = append(want, storyURI(st.ID))
			}
		}
		if len(want) == 0 {
			t.Fatalf("?%s: the demo has no such story; the test would prove nothing", tc.query)
		}
		got := docs(t, walk(t, demo.Handler, "/api/v1/stories?limit=7&"+tc.query, ""))
		if len(got) != len(want) {
			t.Errorf("?%s: %d stories, want %d", tc.query, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i].URI != want[i] {
				t.Errorf("?%s: item %d is %s, want %s", tc.query, i, got[i].URI, want[i])
				break
			}
		}
	}
	all, _ := demo.Store.APIStories(ctx, storeAll())
	var p page
	decode(t, get(t, "/api/v1/stories?limit=100"), &p)
	if len(p.Data) != min(100, len(all)) {
		t.Errorf("limit=100 gave %d of %d", len(p.Data), len(all))
	}
	decode(t, get(t, "/api/v1/stories"), &p)
	if len(p.Data) != 20 || !p.HasMore {
		t.Errorf("default page: %d stories, has_more %v; want 20 and more", len(p.Data), p.HasMore)
	}
	tags := walk(t, demo.Handler, "/api/v1/tags?limit=5", "")
	seen := map[string]bool{}
	for _, raw := range tags {
		if seen[string(raw)] {
			t.Errorf("tag twice: %s", raw)
		}
		seen[string(raw)] = true
	}
	if len(tags) < 10 {
		t.Errorf("%d tags over all pages", len(tags))
	}
}
