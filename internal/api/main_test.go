package api_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// demo is one demo newsroom shared by the read-only tests of this
// package; tests that change stories make a site of their own.
var demo *testutil.Site

func TestMain(m *testing.M) {
	dir := testutil.MustTempDir("dateline-api-")
	var err error
	demo, err = testutil.NewDemoSite(dir, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo site:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	demo.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// call sends a request through the whole application handler, with a
// bearer key when key is not empty.
func call(t testing.TB, h http.Handler, method, path, key string) response {
	t.Helper()
	r := httptest.NewRequest(method, path, nil)
	if key != "" {
		r.Header.Set("Authorization", "Bearer "+key)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, b}
}

func get(t testing.TB, path string) response {
	t.Helper()
	return call(t, demo.Handler, http.MethodGet, path, "")
}

// decode reads a JSON body into v, failing the test when it is not JSON.
func decode(t testing.TB, res response, v any) {
	t.Helper()
	if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q, want JSON", ct)
	}
	if err := json.Unmarshal(res.body, v); err != nil {
		t.Fatalf("body is not JSON: %v\n%.300s", err, res.body)
	}
}

// page is a list answer.
type page struct {
	Data       []json.RawMessage `json:"data"`
	HasMore    bool              `json:"has_more"`
	NextCursor *string           `json:"next_cursor"`
}

// apiError is an error answer.
type apiError struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		Parameter string `json:"parameter"`
	} `json:"error"`
}

// mustKey makes an API key on site's store, as the newsroom does.
func mustKey(t testing.TB, site *testutil.Site, name string) (string, int64) {
	t.Helper()
	key, hash, err := auth.NewAPIKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := site.Store.CreateAPIKey(context.Background(), store.APIKey{Name: name, Hash: hash})
	if err != nil {
		t.Fatal(err)
	}
	return key, id
}

// walk follows next_cursor from path to the last page and returns every
// document of every page.
func walk(t testing.TB, h http.Handler, path, key string) []json.RawMessage {
	t.Helper()
	var all []json.RawMessage
	next := path
	for range 1000 {
		res := call(t, h, http.MethodGet, next, key)
		if res.status != http.StatusOK {
			t.Fatalf("%s: %d %s", next, res.status, res.body)
		}
		var p page
		decode(t, res, &p)
		all = append(all, p.Data...)
		if !p.HasMore {
			if p.NextCursor != nil && !strings.Contains(path, "updated_since") {
				t.Errorf("%s: last page has a next_cursor %q", next, *p.NextCursor)
			}
			return all
		}
		if p.NextCursor == nil || len(p.Data) == 0 {
			t.Fatalf("%s: has_more without a cursor or items", next)
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		next = path + sep + "cursor=" + url.QueryEscape(*p.NextCursor)
	}
	t.Fatal("more than 1000 pages")
	return nil
}

// doc is the part of a ninjs 3 document the tests look at.
type doc struct {
	URI            string `json:"uri"`
	PubStatus      string `json:"pubStatus"`
	VersionCreated string `json:"versionCreated"`
	Language       string `json:"language"`
	EdNote         string `json:"edNote"`
	Subjects       []struct {
		Rel, Literal string
	} `json:"subjects"`
	People      []struct{ Literal string }       `json:"people"`
	InfoSources []struct{ Role, Literal string } `json:"infoSources"`
}

func docs(t testing.TB, raws []json.RawMessage) []doc {
	t.Helper()
	out := make([]doc, len(raws))
	for i, r := range raws {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func storyURI(id int64) string {
	return "http://dateline.test/api/v1/stories/" + strconv.FormatInt(id, 10)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func wrap(b []byte) []json.RawMessage { return []json.RawMessage{b} }

func hashOf(key string) string { return auth.APIKeyHash(key) }

// callHeader sends a GET with a raw Authorization header.
func callHeader(t testing.TB, h http.Handler, path, authz string) response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Header.Set("Authorization", authz)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return response{w.Code, w.Result().Header, b}
}

func storeAll() store.APIQuery { return store.APIQuery{Limit: 500} }

func hasTag(st *story.Story, slug string) bool {
	for _, t := range st.Tags {
		if t.Slug == slug {
			return true
		}
	}
	return false
}

func hasAuthor(st *story.Story, slug string) bool {
	for _, b := range st.Bylines {
		if b.AuthorSlug == slug {
			return true
		}
	}
	return false
}
