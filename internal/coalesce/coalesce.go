// Package coalesce lets a handler send a small response in one write to
// the socket.
//
// net/http writes a response through a 4 KiB buffer: the status line and
// headers go in first, so a 6 KiB page leaves in two write(2) calls and
// two TCP segments, and the client wakes twice to read it. For a page
// served from memory that second call was a fifth of the server's CPU per
// request, and as much again in the client.
//
// Listen wraps a listener so that each connection can hold its writes;
// ConnContext (set as http.Server.ConnContext) makes the connection
// reachable from a request; Hold, called by a handler that has the whole
// body in hand, starts holding, and Send writes what was held at once.
// Nothing changes for a handler that does not call Hold, or for a
// connection that is not one of Listen's (TLS, tests with httptest).
package coalesce

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// MaxHeld is the most a connection holds: a handler should not call Hold
// for a body larger than this, and past it the held bytes are written
// without waiting for Send. Above a few buffers' worth a second write
// costs little next to the copy.
const MaxHeld = 64 << 10

// Listen returns l with connections that can hold their writes.
func Listen(l net.Listener) net.Listener { return listener{l} }

type listener struct{ net.Listener }

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c}, nil
}

// conn is an accepted connection that writes through to its socket
// unless a handler holds it.
type conn struct {
	net.Conn
	mu   sync.Mutex // Close may come from another goroutine (Shutdown)
	held bool
	buf  []byte
}

func (c *conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held {
		if len(c.buf)+len(p) <= MaxHeld {
			c.buf = append(c.buf, p...)
			return len(p), nil
		}
		if err := c.sendLocked(); err != nil {
			return 0, err
		}
	}
	return c.Conn.Write(p)
}

// sendLocked writes what is held and stops holding.
func (c *conn) sendLocked() error {
	c.held = false
	if len(c.buf) == 0 {
		return nil
	}
	_, err := c.Conn.Write(c.buf)
	if cap(c.buf) > 16<<10 {
		c.buf = nil // a rare large response does not stay with the connection
	} else {
		c.buf = c.buf[:0]
	}
	return err
}

// send writes what is held, if anything.
func (c *conn) send() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sendLocked()
}

// SetWriteDeadline, which net/http calls as each response ends, and Close
// send anything still held, so a response whose handler never reached
// Send (a panic, a bug) goes out when the server is done with it rather
// than never. (Read must not: net/http reads in the background while a
// handler runs.)
func (c *conn) SetWriteDeadline(t time.Time) error {
	if err := c.send(); err != nil {
		return err
	}
	return c.Conn.SetWriteDeadline(t)
}

func (c *conn) SetDeadline(t time.Time) error {
	if err := c.send(); err != nil {
		return err
	}
	return c.Conn.SetDeadline(t)
}

// Close sends anything still held and closes the connection.
func (c *conn) Close() error {
	c.send()
	return c.Conn.Close()
}

// ReadFrom keeps the socket's own copy path (sendfile for a media file
// served with http.ServeContent).
func (c *conn) ReadFrom(r io.Reader) (int64, error) {
	if err := c.send(); err != nil {
		return 0, err
	}
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

// CloseWrite keeps net/http's half-close after a refused request body.
func (c *conn) CloseWrite() error {
	if err := c.send(); err != nil {
		return err
	}
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

type connKey struct{}

// ConnContext is an http.Server.ConnContext that makes Listen's
// connections reachable from their requests.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if cc, ok := c.(*conn); ok {
		return context.WithValue(ctx, connKey{}, cc)
	}
	return ctx
}

// Held is a response being held; Send writes it.
type Held struct {
	w http.ResponseWriter
	c *conn
}

// Hold starts holding the writes of the response to r, whose writer is
// w, or returns nil when its connection cannot (then the response is
// written as usual). The caller writes the whole response and then calls
// Send, which also flushes net/http's buffers: nothing is held past it.
func Hold(w http.ResponseWriter, r *http.Request) *Held {
	c, _ := r.Context().Value(connKey{}).(*conn)
	if c == nil {
		return nil
	}
	c.mu.Lock()
	c.held = true
	c.mu.Unlock()
	return &Held{w: w, c: c}
}

// Send flushes the response through net/http and writes all of it to the
// socket in one call.
func (h *Held) Send() error {
	// Flush fails only when a wrapper hides the Flusher; then what
	// net/http still buffers goes out after the held part, in order.
	ferr := http.NewResponseController(h.w).Flush()
	if err := h.c.send(); err != nil {
		return err
	}
	return ferr
}
