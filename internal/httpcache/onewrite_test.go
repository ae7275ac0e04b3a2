package httpcache_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"dateline/internal/coalesce"
	"dateline/internal/httpcache"
)

// writeCounter is a real TCP listener whose connections count the writes
// that reach the socket.
type writeCounter struct {
	net.Listener
	writes atomic.Int64
}

func (l *writeCounter) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	return countedConn{c, &l.writes}, err
}

type countedConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countedConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// A page bigger than net/http's 4 KiB buffer leaves the server in one
// write, from the cache and when rendered, behind coalesce's listener.
func TestPagesLeaveInOneWrite(t *testing.T) {
	body := strings.Repeat("<p>The long read continues.</p>\n", 400)
	h := httpcache.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, body)
	}), httpcache.Options{Version: func(context.Context) (int64, error) { return 1, nil }})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	wc := &writeCounter{Listener: ln}
	srv := &http.Server{Handler: h, ConnContext: coalesce.ConnContext}
	go srv.Serve(coalesce.Listen(wc))
	defer srv.Close()
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer c.CloseIdleConnections()
	for i, what := range []string{"rendered", "from the cache", "from the cache again"} {
		before := wc.writes.Load()
		res, err := c.Get("http://" + ln.Addr().String() + "/long-read")
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || string(got) != body {
			t.Fatalf("request %d: %d bytes, %v", i, len(got), err)
		}
		if n := wc.writes.Load() - before; n != 1 {
			t.Errorf("page %s: %d writes to the socket, want 1", what, n)
		}
	}
}
