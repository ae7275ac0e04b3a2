package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/testutil"
)

// injectionValues is the whole corpus (testutil.InjectionValues).
func injectionValues(t *testing.T) []string {
	t.Helper()
	v, err := testutil.InjectionValues()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// apiParam is one parameter of one operation, as the OpenAPI document
// describes it.
type apiParam struct {
	path, name, in string
}

// documentedParams reads /api/openapi.json as the server serves it and
// lists every parameter of every operation (with $refs resolved), so a
// parameter added to the description is exercised without editing this
// test. It also returns the documented paths.
func documentedParams(t *testing.T, h http.Handler) (params []apiParam, paths []string) {
	t.Helper()
	res := call(t, h, http.MethodGet, "/api/openapi.json", "")
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Parameters map[string]json.RawMessage `json:"parameters"`
		} `json:"components"`
	}
	decode(t, res, &doc)
	type param struct {
		Ref  string `json:"$ref"`
		Name string `json:"name"`
		In   string `json:"in"`
	}
	resolve := func(raw json.RawMessage) param {
		var p param
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatalf("openapi.json: a parameter does not parse: %v", err)
		}
		if p.Ref != "" {
			c, ok := doc.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
			if !ok {
				t.Fatalf("openapi.json: dangling %s", p.Ref)
			}
			json.Unmarshal(c, &p)
		}
		return p
	}
	for path, ops := range doc.Paths {
		paths = append(paths, path)
		for method, raw := range ops {
			var op struct {
				Parameters []json.RawMessage `json:"parameters"`
			}
			json.Unmarshal(raw, &op)
			if method == "parameters" { // path-level parameters
				json.Unmarshal(raw, &op.Parameters)
			}
			for _, r := range op.Parameters {
				p := resolve(r)
				if p.Name == "" || (p.In != "query" && p.In != "path") {
					t.Fatalf("openapi.json: %s: parameter %+v is neither in query nor path", path, p)
				}
				ap := apiParam{path, p.Name, p.In}
				if !slices.Contains(params, ap) {
					params = append(params, ap)
				}
			}
		}
	}
	sort.Slice(params, func(i, j int) bool {
		return params[i].path+params[i].name < params[j].path+params[j].name
	})
	sort.Strings(paths)
	if len(params) < 14 {
		t.Fatalf("openapi.json documents only %d parameters: %v", len(params), params)
	}
	return params, paths
}

// apiTarget is a site the injection test runs against.
type apiTarget struct {
	h       http.Handler
	st      store.Store
	storyID int64 // a published story, for the paths that need an id
	// values replaces the whole corpus when set.
	values []string
}

// TestAPIInjection sends every value of the injection corpus through
// every query and path parameter the OpenAPI document lists, as a
// parameter name, through the Authorization header and as a path the API
// has no route for, and as the wire push endpoint's source. No answer may be a 500; every answer is JSON with
// nosniff, so a browser never renders it as a page; an error that echoes
// input holds it JSON-escaped, with no < or > a sniffer could take for
// markup; no filter value widens a list; and the stories are untouched.
func TestAPIInjection(t *testing.T) {
	one, err := demo.Store.APIStories(context.Background(), store.APIQuery{Limit: 1})
	if err != nil || len(one) != 1 {
		t.Fatal(err)
	}
	runAPIInjection(t, apiTarget{h: demo.Handler, st: demo.Store, storyID: one[0].ID})
}

func runAPIInjection(t *testing.T, tg apiTarget) {
	ctx := context.Background()
	before, err := tg.st.CountStories(ctx)
	if err != nil || before == 0 {
		t.Fatalf("%d stories before, %v", before, err)
	}
	params, paths := documentedParams(t, tg.h)
	values := tg.values
	if values == nil {
		values = injectionValues(t)
	}
	id := itoa(tg.storyID)
	fill := func(path string) string { return strings.ReplaceAll(path, "{id}", id) }

	// A path with no parameters may ignore a query (openapi.json does):
	// its answer is then the same as without one, nothing reflected.
	plain := map[string][]byte{}
	for _, path := range paths {
		if !slices.ContainsFunc(params, func(p apiParam) bool { return p.path == path }) {
			plain[fill(path)] = call(t, tg.h, http.MethodGet, fill(path), "").body
		}
	}
	var failures []string
	requests := 0
	check := func(what, target, authz string) {
		requests++
		if len(failures) >= 10 {
			return
		}
		method := http.MethodGet
		if m, rest, ok := strings.Cut(target, " "); ok {
			method, target = m, rest
		}
		var res response
		if authz != "" {
			res = callHeader(t, tg.h, target, authz)
		} else {
			res = call(t, tg.h, method, target, "")
		}
		if base, _, _ := strings.Cut(target, "?"); res.status == http.StatusOK && plain[base] != nil && bytes.Equal(res.body, plain[base]) {
			return
		}
		if problem := apiAnswerProblem(res); problem != "" {
			failures = append(failures, fmt.Sprintf("%s: %s %.200s: %s\n\t%.300s", what, method, target, problem, res.body))
		}
	}
	for i, v := range values {
		what := fmt.Sprintf("value %d %q", i, clipped(v))
		for _, p := range params {
			switch p.in {
			case "query":
				check(what+" in ?"+p.name, fill(p.path)+"?"+p.name+"="+url.QueryEscape(v), "")
			case "path":
				check(what+" in {"+p.name+"}", fill(strings.ReplaceAll(p.path, "{"+p.name+"}", url.PathEscape(v))), "")
			}
		}
		for _, path := range paths {
			// A parameter name no endpoint knows is echoed in the error.
			check(what+" as a parameter name", fill(path)+"?"+url.QueryEscape(v)+"=1", "")
		}
		check(what+" as a path with no route", "/api/v1/"+url.PathEscape(v), "")
		check(what+" as a path under a story", "/api/v1/stories/"+id+"/"+url.PathEscape(v), "")
		// The wire push endpoint, beside the content API, names the
		// source it does not know.
		check(what+" as a wire source", "POST /api/v1/wire/"+url.PathEscape(v), "")
		check(what+" as the API key", "/api/v1/stories?limit=1", "Bearer "+strings.NewReplacer("\r", "", "\n", "").Replace(v))
	}
	if len(failures) > 0 {
		t.Fatalf("%d requests, first failures:\n%s", requests, strings.Join(failures, "\n"))
	}
	after, err := tg.st.CountStories(ctx)
	if err != nil || after != before {
		t.Fatalf("%d stories after the injection requests, %d before (%v)", after, before, err)
	}
	t.Logf("%d values × %d documented parameters and %d paths: %d requests", len(values), len(params), len(paths), requests)
}

// apiAnswerProblem says what is wrong with an answer to an injected
// request, or "" when nothing is.
func apiAnswerProblem(res response) string {
	switch {
	case res.status >= 500:
		return fmt.Sprintf("status %d", res.status)
	case res.header.Get("Content-Type") != "application/json; charset=utf-8":
		return fmt.Sprintf("Content-Type %q", res.header.Get("Content-Type"))
	case res.header.Get("X-Content-Type-Options") != "nosniff":
		return "no X-Content-Type-Options: nosniff"
	case !json.Valid(res.body):
		return "the body is not JSON"
	}
	if bad := testutil.UnsafeHTML(string(res.body)); len(bad) > 0 {
		return fmt.Sprintf("read as HTML, the body holds %v", bad)
	}
	if res.status >= 400 {
		// The content API's errors are objects with a code; the wire
		// push endpoint's a sentence.
		var e struct{ Error json.RawMessage }
		var obj struct{ Code, Message string }
		var msg string
		json.Unmarshal(res.body, &e)
		if json.Unmarshal(e.Error, &obj) != nil && json.Unmarshal(e.Error, &msg) != nil {
			return "an error that is neither an object nor a sentence"
		}
		if (obj.Code == "" || obj.Message == "") && msg == "" {
			return "an error without a code and a message"
		}
		if bytes.ContainsAny(res.body, "<>") {
			return "an error holds < or > unescaped"
		}
		return ""
	}
	// A 200 to a garbage value: only an empty list is right. A
	// parameter for which such values legitimately find something (a
	// free-text search) needs its own rule here.
	var p struct {
		Data *[]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(res.body, &p); err != nil || p.Data == nil {
		return fmt.Sprintf("status %d to an injected value, and not a list", res.status)
	}
	if len(*p.Data) > 0 {
		return fmt.Sprintf("status %d listing %d items for an injected value", res.status, len(*p.Data))
	}
	return ""
}

func clipped(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// TestAPIFilterValuesAreLiteral: the classic injections against the
// filters are refused, not read as SQL; and the store's one LIKE (the
// language prefix) takes % and _ literally.
func TestAPIFilterValuesAreLiteral(t *testing.T) {
	ctx := context.Background()
	all, err := demo.Store.APIStories(ctx, store.APIQuery{Limit: 500})
	if err != nil || len(all) == 0 {
		t.Fatal(err)
	}
	for _, q := range []string{"section=world'%20OR%20'1'%3D'1", "tag=x'%20OR%201%3D1%20--", "author=%25",
		"language=en'%20OR%20'1'%3D'1", "language=%25", "language=e_", "source=%27%3B%20DROP%20TABLE%20stories%3B%20--"} {
		res := get(t, "/api/v1/stories?"+q)
		if res.status != http.StatusBadRequest {
			t.Errorf("?%s: %d, want 400 (the value is not a slug or a language tag):\n%.300s", q, res.status, res.body)
		}
	}
	// The store itself, below the API's checks: a wildcard in the
	// language is a character, not a pattern.
	langs := map[string]bool{}
	for _, st := range all {
		langs[strings.ToLower(st.Language)] = true
	}
	for _, lang := range []string{"%", "_", "e%", "e_", "__", "%-%", `\`, `e\`, "en' OR '1'='1"} {
		got, err := demo.Store.APIStories(ctx, store.APIQuery{Language: lang, Limit: 500})
		if err != nil {
			t.Errorf("language %q: %v", lang, err)
			continue
		}
		if len(got) != 0 && !langs[lang] {
			t.Errorf("language %q lists %d stories (of %d), want none: the value was read as a pattern", lang, len(got), len(all))
		}
	}
	if n, err := demo.Store.CountStories(ctx); err != nil || n < len(all) {
		t.Errorf("%d stories after, %d published before (%v)", n, len(all), err)
	}
}
