package site_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// demo is one demo newsroom shared by the tests of this package: filling
// it draws every picture, which is worth doing once.
var demo *testutil.Site

func TestMain(m *testing.M) {
	dir := testutil.MustTempDir("dateline-site-")
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
	body   string
}

func get(t testing.TB, path string) response {
	t.Helper()
	return do(t, httptest.NewRequest(http.MethodGet, path, nil))
}

func do(t testing.TB, r *http.Request) response {
	t.Helper()
	w := httptest.NewRecorder()
	demo.Handler.ServeHTTP(w, r)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(b)}
}

func mustContain(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func count(body, s string) int { return strings.Count(body, s) }

// stories returns every published demo story, full.
func stories(t testing.TB) []*story.Story {
	t.Helper()
	ctx := context.Background()
	list, err := demo.Store.ListStories(ctx, store.ListQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []*story.Story
	for _, s := range list {
		st, err := demo.Store.Story(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, st)
	}
	return out
}

// find returns the first demo story that satisfies ok.
func find(t testing.TB, what string, ok func(*story.Story) bool) *story.Story {
	t.Helper()
	for _, s := range stories(t) {
		if ok(s) {
			return s
		}
	}
	t.Fatalf("the demo has no %s story", what)
	return nil
}

func hasBlock(s *story.Story, typ story.BlockType) bool {
	for _, b := range s.Body {
		if b.Type == typ {
			return true
		}
	}
	return false
}

var linkRE = regexp.MustCompile(`(?:href|src)="([^"]+)"`)

func links(body string) []string {
	var out []string
	for _, m := range linkRE.FindAllStringSubmatch(body, -1) {
		u := strings.ReplaceAll(m[1], "&amp;", "&")
		if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
			out = append(out, u)
		}
	}
	return out
}

func form(vals map[string]string) url.Values {
	v := url.Values{}
	for k, x := range vals {
		v.Set(k, x)
	}
	return v
}
