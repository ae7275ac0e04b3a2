package intake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"dateline/internal/joblog"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/wire"
)

// Options configure a Service.
type Options struct {
	Store store.Store
	// Fetch stores the pictures items refer to; nil leaves them unfetched.
	Fetch    func(ctx context.Context, p wire.Picture) (*story.Image, error)
	Language string // for items that declare none
	// AllowPrivate lets feed polling reach loopback and private
	// addresses (--allow-private-targets); otherwise they are refused
	// on every connection, after DNS.
	AllowPrivate bool
	Every        time.Duration // how often the folders are looked at; default 5s
	Lease        time.Duration // how long a source's lease lasts; default 2m
	// Settle is how long a file must be left unchanged before it is
	// read, so a file still being written is not taken; 0 means the
	// default, 1s, and a negative value means no wait (tests).
	Settle time.Duration
	Holder string // this instance's name in leases; random by default
	Log    *slog.Logger
	Now    func() time.Time
}

// Service watches folders and polls feeds until its context ends.
type Service struct {
	o      Options
	client *http.Client
}

// New returns a Service.
func New(o Options) *Service {
	if o.Every <= 0 {
		o.Every = 5 * time.Second
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.Settle < 0 {
		o.Settle = 0
	} else if o.Settle == 0 {
		o.Settle = time.Second
	}
	if o.Holder == "" {
		var b [8]byte
		rand.Read(b[:])
		o.Holder = hex.EncodeToString(b[:])
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{o: o, client: newClient(o.AllowPrivate)}
}

// Run works every Every until ctx ends; a failed pass is logged and the
// next one tries again.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(s.o.Every)
	defer t.Stop()
	failures := joblog.New(s.o.Log, "wire intake", 0, nil)
	for {
		failures.Report(ctx, s.RunOnce(ctx))
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce looks at every source's folder and polls every feed that is
// due, each only under the source's lease.
func (s *Service) RunOnce(ctx context.Context) error {
	intakes, err := s.o.Store.WireIntakes(ctx)
	if err != nil {
		return fmt.Errorf("intake: %w", err)
	}
	if len(intakes) == 0 {
		return nil
	}
	srcs, err := s.o.Store.SourceList(ctx)
	if err != nil {
		return fmt.Errorf("intake: %w", err)
	}
	labels := map[int64]string{}
	for _, src := range srcs {
		labels[src.ID] = src.Label
	}
	for _, in := range intakes {
		now := s.o.Now()
		due := in.FeedURL != "" && (in.PolledAt.IsZero() || !now.Before(in.PolledAt.Add(pollEvery(in))))
		if in.Folder == "" && !due || labels[in.SourceID] == "" {
			continue
		}
		ok, err := s.o.Store.LeaseWireIntake(ctx, in.SourceID, s.o.Holder, now, now.Add(s.o.Lease))
		if err != nil {
			return fmt.Errorf("intake: %w", err)
		}
		if !ok {
			continue // another instance is working on this source
		}
		if in.Folder != "" {
			if err := s.folder(ctx, in, labels[in.SourceID]); err != nil {
				s.o.Log.ErrorContext(ctx, "wire intake: folder", "source", labels[in.SourceID], "folder", in.Folder, "err", err)
			}
		}
		if due {
			s.poll(ctx, in, labels[in.SourceID])
		}
		if ctx.Err() != nil {
			return nil
		}
	}
	return nil
}

// pollEvery is a feed's interval, a minute when none is set.
func pollEvery(in store.WireIntake) time.Duration {
	if in.PollInterval <= 0 {
		return time.Minute
	}
	return in.PollInterval
}
