package httpcache_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"dateline/internal/coalesce"
	"dateline/internal/httpcache"
	"dateline/internal/testutil"
)

// A page bigger than net/http's 4 KiB buffer leaves the server in one
// write, from the cache and when rendered, behind coalesce's listener.
func TestPagesLeaveInOneWrite(t *testing.T) {
	body := strings.Repeat("<p>The long read continues.</p>\n", 400)
	h := httpcache.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, body)
	}), httpcache.Options{Version: func(context.Context) (int64, error) { return 1, nil }})
	wc := testutil.ListenCounting(t)
	srv := &http.Server{Handler: h, ConnContext: coalesce.ConnContext}
	go srv.Serve(coalesce.Listen(wc))
	defer srv.Close()
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer c.CloseIdleConnections()
	for i, what := range []string{"rendered", "from the cache", "from the cache again"} {
		before := wc.Writes.Load()
		res, err := c.Get(wc.URL() + "/long-read")
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || string(got) != body {
			t.Fatalf("request %d: %d bytes, %v", i, len(got), err)
		}
		if n := wc.Writes.Load() - before; n != 1 {
			t.Errorf("page %s: %d writes to the socket, want 1", what, n)
		}
	}
}
