package coalesce_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"dateline/internal/coalesce"
	"dateline/internal/testutil"
)

// page is bigger than net/http's 4 KiB connection buffer, so that it
// leaves in two writes unless held.
var page = bytes.Repeat([]byte("<p>Breaking news.</p>\n"), 400)

func writePage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(page)))
	w.Write(page)
}

func serve(t *testing.T, h http.Handler) (*testutil.CountingListener, string) {
	t.Helper()
	cl := testutil.ListenCounting(t)
	srv := &http.Server{Handler: h, ConnContext: coalesce.ConnContext}
	go srv.Serve(coalesce.Listen(cl))
	t.Cleanup(func() { srv.Close() })
	return cl, cl.URL()
}

func get(t *testing.T, c *http.Client, url string) []byte {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	return b
}

func TestHeldResponseIsOneWrite(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/held", func(w http.ResponseWriter, r *http.Request) {
		h := coalesce.Hold(w, r)
		if h == nil {
			t.Error("Hold: nil on a connection from Listen")
			return
		}
		writePage(w)
		if err := h.Send(); err != nil {
			t.Error(err)
		}
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) { writePage(w) })
	// A handler that holds and never sends: its response still goes out
	// when net/http finishes the request.
	mux.HandleFunc("/forgot", func(w http.ResponseWriter, r *http.Request) {
		coalesce.Hold(w, r)
		writePage(w)
	})
	cl, base := serve(t, mux)
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer c.CloseIdleConnections()
	for _, tc := range []struct {
		path   string
		writes int64
	}{{"/plain", 2}, {"/held", 1}, {"/held", 1}, {"/forgot", 1}, {"/plain", 2}, {"/held", 1}} {
		before := cl.Writes.Load()
		done := make(chan []byte, 1)
		go func() { done <- get(t, c, base+tc.path) }()
		select {
		case b := <-done:
			if !bytes.Equal(b, page) {
				t.Fatalf("GET %s: %d bytes, want the %d of the page", tc.path, len(b), len(page))
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("GET %s: no answer in 10 s (a response held for ever)", tc.path)
		}
		if n := cl.Writes.Load() - before; n != tc.writes {
			t.Errorf("GET %s: %d writes to the socket, want %d", tc.path, n, tc.writes)
		}
	}
}

// A file served with http.ServeContent still goes through the socket's
// own ReadFrom (sendfile), and a connection can hold again afterwards.
func TestReadFromReachesTheSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "photo.bin")
	big := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 64<<10)
	if err := os.WriteFile(path, big, 0o644); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/file", func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, "photo.bin", time.Time{}, f)
	})
	mux.HandleFunc("/held", func(w http.ResponseWriter, r *http.Request) {
		h := coalesce.Hold(w, r)
		writePage(w)
		h.Send()
	})
	cl, base := serve(t, mux)
	c := &http.Client{}
	defer c.CloseIdleConnections()
	if b := get(t, c, base+"/file"); !bytes.Equal(b, big) {
		t.Fatalf("file: %d bytes, want %d", len(b), len(big))
	}
	if cl.ReadFroms.Load() == 0 {
		t.Error("the file did not reach the socket's ReadFrom")
	}
	before := cl.Writes.Load()
	if b := get(t, c, base+"/held"); !bytes.Equal(b, page) {
		t.Fatalf("held after file: %d bytes", len(b))
	}
	if n := cl.Writes.Load() - before; n != 1 {
		t.Errorf("held after file: %d writes, want 1", n)
	}
}

// A body over MaxHeld is written as it comes, whole and in order.
func TestOverMaxHeldStillWhole(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), coalesce.MaxHeld/16*3)
	_, base := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := coalesce.Hold(w, r)
		w.Header().Set("Content-Length", strconv.Itoa(len(big)))
		for i := 0; i < len(big); i += 10000 {
			w.Write(big[i:min(i+10000, len(big))])
		}
		h.Send()
	}))
	c := &http.Client{}
	defer c.CloseIdleConnections()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if b := get(t, c, base+"/"); !bytes.Equal(b, big) {
				t.Errorf("%d bytes, want %d", len(b), len(big))
			}
		}()
	}
	wg.Wait()
}

// On a connection that is not Listen's, Hold declines and the response is
// written as usual.
func TestHoldDeclinesOtherConnections(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if coalesce.Hold(w, r) != nil {
			t.Error("Hold on an httptest connection: want nil")
		}
		writePage(w)
	}))
	defer ts.Close()
	if b := get(t, ts.Client(), ts.URL); !bytes.Equal(b, page) {
		t.Fatalf("%d bytes", len(b))
	}
}
