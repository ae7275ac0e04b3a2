package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)} }
func take(l *Limiter, key string, n int) (allowed int) {
	for range n {
		if ok, _ := l.Allow(key); ok {
			allowed++
		}
	}
	return allowed
}

func TestBurstThenRate(t *testing.T) {
	c := newClock()
	l := New(30, 10, c.now) // one token every 2 s
	if got := take(l, "a", 15); got != 10 {
		t.Fatalf("a burst of 15 let %d through, want 10", got)
	}
	ok, retry := l.Allow("a")
	if ok || retry != 2*time.Second {
		t.Fatalf("empty bucket: ok=%v retry=%v, want false 2s", ok, retry)
	}
	// Another client is not affected.
	if got := take(l, "b", 10); got != 10 {
		t.Errorf("client b got %d of its own burst", got)
	}
	c.add(1 * time.Second)
	if ok, retry := l.Allow("a"); ok || retry != time.Second {
		t.Errorf("half a token after 1 s: ok=%v retry=%v, want false 1s", ok, retry)
	}
	c.add(1 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Errorf("no token after 2 s")
	}
	// A minute later the rate has refilled the burst, and no more.
	c.add(time.Minute)
	if got := take(l, "a", 20); got != 10 {
		t.Errorf("after a minute %d went through, want the burst of 10", got)
	}
}

func TestSteadyRateNeverLimited(t *testing.T) {
	c := newClock()
	l := New(600, 100, c.now) // 10 a second
	for i := range 10_000 {
		if ok, _ := l.Allow("k"); !ok {
			t.Fatalf("request %d at the allowed rate was refused", i)
		}
		c.add(100 * time.Millisecond)
	}
}

func TestChargeAndSweep(t *testing.T) {
	c := newClock()
	l := New(60, 3, c.now)
	for range 5 {
		l.Charge("x")
	}
	if ok, _ := l.Peek("y"); !ok {
		t.Errorf("Peek of an unknown key refused")
	}
	if ok, retry := l.Peek("x"); ok || retry != time.Second {
		t.Errorf("Peek after charges: ok=%v retry=%v, want false 1s", ok, retry)
	}
	if ok, retry := l.Allow("x"); ok || retry != time.Second {
		t.Errorf("after charges beyond the burst: ok=%v retry=%v, want false 1s (no debt below empty)", ok, retry)
	}
	for i := range 100 {
		l.Allow(fmt.Sprint("client-", i%26))
	}
	if l.Len() != 27 {
		t.Fatalf("%d buckets, want 27", l.Len())
	}
	c.add(2 * time.Minute)
	l.Allow("fresh")
	if l.Len() != 1 {
		t.Errorf("after every bucket filled again %d are kept, want only the new one", l.Len())
	}
}
