package app

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logWriter buffers the server's log lines and writes them out every
// flushEvery, when 32 KiB have gathered, and on Close. Under load the
// access log (a line per request) was a write(2) per request, a tenth of
// the CPU of a page served from the cache; batched, it is one write for
// hundreds of lines. A crash loses at most the last flushEvery of lines,
// as nginx's buffered access_log does.
type logWriter struct {
	mu     sync.Mutex
	w      *bufio.Writer
	closed bool // after Close every line is written at once
	stop   chan struct{}
	done   chan struct{}
}

const flushEvery = 100 * time.Millisecond

func newLogWriter(w io.Writer) *logWriter {
	lw := &logWriter{w: bufio.NewWriterSize(w, 32<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go lw.flushLoop()
	return lw
}

// Write takes one log line (slog handlers write each record whole).
func (lw *logWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	n, err := lw.w.Write(p)
	if err == nil && lw.closed {
		err = lw.w.Flush()
	}
	return n, err
}

func (lw *logWriter) flushLoop() {
	defer close(lw.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			lw.flush()
		case <-lw.stop:
			lw.flush()
			return
		}
	}
}

func (lw *logWriter) flush() {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.w.Flush()
}

// Close writes what is buffered and stops the flusher; later lines are
// written at once.
func (lw *logWriter) Close() {
	close(lw.stop)
	<-lw.done
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.closed = true
	lw.w.Flush()
}
