package ratelimit

import (
	"math"
	"sync"
	"time"
)

// Limiter is a set of token buckets, one per key, all with the same rate
// and burst. A key's bucket starts full; each request takes a token, and
// tokens come back at the rate until the bucket holds the burst again.
// The zero Limiter is not usable; make one with New.
type Limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	now    func() time.Time
	bucket map[string]*bucket
	swept  time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// New returns a limiter allowing perMinute requests a minute per key on
// average, and burst at once. now is the clock (time.Now in production).
func New(perMinute, burst int, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{rate: float64(perMinute) / 60, burst: float64(max(burst, 1)), now: now, bucket: map[string]*bucket{}}
}

// Allow takes a token from key's bucket. When the bucket is empty it
// takes nothing and returns false with how long until a token is back,
// rounded up to a whole second (what Retry-After can say).
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b := l.bucket[key]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.bucket[key] = b
	}
	b.tokens = l.fill(b, now)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := (1 - b.tokens) / l.rate
	return false, time.Duration(math.Ceil(wait)) * time.Second
}

// Peek reports what Allow would answer without taking a token.
func (l *Limiter) Peek(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket[key]
	if b == nil {
		return true, 0
	}
	tokens := l.fill(b, l.now())
	if tokens >= 1 {
		return true, 0
	}
	return false, time.Duration(math.Ceil((1-tokens)/l.rate)) * time.Second
}

// Charge takes a token from key's bucket without asking, even into debt
// down to an empty bucket: for requests found costly after the fact (a
// refused API key).
func (l *Limiter) Charge(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.bucket[key]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.bucket[key] = b
	}
	b.tokens = max(l.fill(b, now)-1, 0)
	b.at = now
}

// fill is the bucket's tokens at now.
func (l *Limiter) fill(b *bucket, now time.Time) float64 {
	return min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
}

// sweep forgets, at most once a minute, the buckets that have filled up
// again: such a key would start over with a full bucket anyway.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k, b := range l.bucket {
		if l.fill(b, now) >= l.burst {
			delete(l.bucket, k)
		}
	}
}

// Len is the number of buckets held, for tests and metrics.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.bucket)
}
