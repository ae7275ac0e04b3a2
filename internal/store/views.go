package store

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"dateline/internal/joblog"
)

// ViewBuffer is a Store whose CountView only counts in memory, so a page
// view never waits for a write. The counts, per story and hour, are
// written with AddViews in one transaction every Interval, sooner when
// MaxKeys counts are waiting, and on Flush and Stop. Everything else goes
// to the wrapped store.
type ViewBuffer struct {
	Store
	opt ViewBufferOptions

	mu      sync.Mutex
	counts  map[viewKey]int
	dropped int

	writing  sync.Mutex // one batch at a time
	kick     chan struct{}
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// ViewBufferOptions tune a ViewBuffer; zero values take the defaults.
type ViewBufferOptions struct {
	Interval time.Duration    // default one minute
	MaxKeys  int              // counts waiting before an early write; default 1000
	Limit    int              // counts kept when writes fail, past which views are dropped; default 100000
	Now      func() time.Time // default time.Now
	Log      *slog.Logger     // for failed background writes; default slog.Default()
}

type viewKey struct {
	story int64
	hour  int64 // Unix hours
}

// NewViewBuffer wraps s and starts writing counts in the background until
// Stop or Close.
func NewViewBuffer(s Store, opt ViewBufferOptions) *ViewBuffer {
	if opt.Interval <= 0 {
		opt.Interval = time.Minute
	}
	if opt.MaxKeys <= 0 {
		opt.MaxKeys = 1000
	}
	if opt.Limit <= 0 {
		opt.Limit = 100000
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	b := &ViewBuffer{Store: s, opt: opt, counts: map[viewKey]int{},
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go b.loop()
	return b
}

func (b *ViewBuffer) loop() {
	defer close(b.done)
	t := time.NewTicker(b.opt.Interval)
	defer t.Stop()
	failures := joblog.New(b.opt.Log, "write view counts", 0, nil)
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
		case <-b.kick:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		failures.Report(context.Background(), b.Flush(ctx))
		cancel()
	}
}

// CountView adds one view of the story in the current hour, in memory.
func (b *ViewBuffer) CountView(ctx context.Context, storyID int64) error {
	k := viewKey{storyID, b.opt.Now().Unix() / 3600}
	b.mu.Lock()
	_, ok := b.counts[k]
	if !ok && len(b.counts) >= b.opt.Limit {
		b.dropped++
		b.mu.Unlock()
		return nil
	}
	b.counts[k]++
	n := len(b.counts)
	b.mu.Unlock()
	if n >= b.opt.MaxKeys {
		select {
		case b.kick <- struct{}{}:
		default:
		}
	}
	return nil
}

// Flush writes the waiting counts now. When the write fails they are
// kept for the next attempt.
func (b *ViewBuffer) Flush(ctx context.Context) error {
	b.writing.Lock()
	defer b.writing.Unlock()
	b.mu.Lock()
	counts, dropped := b.counts, b.dropped
	b.counts, b.dropped = map[viewKey]int{}, 0
	b.mu.Unlock()
	if dropped > 0 {
		b.opt.Log.Warn("view counts dropped: the store did not take them in time", "views", dropped)
	}
	if len(counts) == 0 {
		return nil
	}
	batch := make([]ViewCount, 0, len(counts))
	for k, n := range counts {
		batch = append(batch, ViewCount{StoryID: k.story, Hour: time.Unix(k.hour*3600, 0).UTC(), Views: n})
	}
	if err := b.Store.AddViews(ctx, batch); err != nil {
		b.mu.Lock()
		for k, n := range counts {
			if _, ok := b.counts[k]; ok || len(b.counts) < b.opt.Limit {
				b.counts[k] += n
			}
		}
		b.mu.Unlock()
		return err
	}
	return nil
}

// Pending returns the number of views counted and not yet written.
func (b *ViewBuffer) Pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, v := range b.counts {
		n += v
	}
	return n
}

// Stop ends the background writes and writes what is waiting. Call it on
// shutdown, before the store is closed; later calls only flush.
func (b *ViewBuffer) Stop(ctx context.Context) error {
	b.stopOnce.Do(func() {
		close(b.stop)
		<-b.done
	})
	return b.Flush(ctx)
}

// Close stops the buffer, writing what is waiting, and closes the store.
func (b *ViewBuffer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := b.Stop(ctx)
	if cerr := b.Store.Close(); err == nil {
		err = cerr
	}
	return err
}
