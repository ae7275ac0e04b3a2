package testutil

import (
	"io"
	"net"
	"sync/atomic"
	"testing"
)

// CountingListener is a real TCP listener on 127.0.0.1 whose connections
// count the writes and ReadFrom calls (sendfile) that reach their socket:
// for tests of how a server sends each response.
type CountingListener struct {
	net.Listener
	Writes, ReadFroms atomic.Int64
}

// ListenCounting opens a CountingListener, closed when t ends.
func ListenCounting(t testing.TB) *CountingListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return &CountingListener{Listener: ln}
}

// URL is the listener's base URL.
func (l *CountingListener) URL() string { return "http://" + l.Addr().String() }

func (l *CountingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countedConn{c.(*net.TCPConn), l}, nil
}

type countedConn struct {
	*net.TCPConn
	l *CountingListener
}

func (c countedConn) Write(p []byte) (int, error) {
	c.l.Writes.Add(1)
	return c.TCPConn.Write(p)
}

func (c countedConn) ReadFrom(r io.Reader) (int64, error) {
	c.l.ReadFroms.Add(1)
	return c.TCPConn.ReadFrom(r)
}
