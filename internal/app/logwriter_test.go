package app

import (
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuilder struct {
	mu     sync.Mutex
	b      strings.Builder
	writes int
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes++
	return l.b.Write(p)
}

func (l *lockedBuilder) snapshot() (string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String(), l.writes
}

// TestLogWriterBatches: many lines become few writes, every line comes
// out within a flush interval, and after Close lines go out at once.
func TestLogWriterBatches(t *testing.T) {
	var out lockedBuilder
	lw := newLogWriter(&out)
	for range 500 {
		lw.Write([]byte("level=INFO msg=request path=/\n"))
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		s, writes := out.snapshot()
		if strings.Count(s, "\n") == 500 {
			if writes > 5 {
				t.Errorf("500 lines took %d writes, want a few batches", writes)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of 500 lines written after 5 s", strings.Count(s, "\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	lw.Write([]byte("before close\n"))
	lw.Close()
	if s, _ := out.snapshot(); !strings.HasSuffix(s, "before close\n") {
		t.Error("Close did not write the buffered line")
	}
	lw.Write([]byte("after close\n"))
	if s, _ := out.snapshot(); !strings.HasSuffix(s, "after close\n") {
		t.Error("a line after Close was not written at once")
	}
}
