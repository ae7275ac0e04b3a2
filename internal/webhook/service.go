package webhook

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"dateline/internal/joblog"
	"dateline/internal/store"
)

// Options configure a Service. Zero values take the defaults.
type Options struct {
	Store        store.Store
	BaseURL      string // the site's public URL, without a trailing slash
	Hub          string // the WebSub hub to ping, or "" for none
	AllowPrivate bool   // let deliveries reach loopback and private addresses
	Log          *slog.Logger
	Now          func() time.Time

	Poll     time.Duration                   // how often the log and the queue are looked at (1 s)
	Timeout  time.Duration                   // per request (10 s)
	RetryFor time.Duration                   // after the first attempt, before giving up (24 h)
	Backoff  func(attempt int) time.Duration // wait after the nth failed attempt (Backoff)
	Workers  int                             // requests in flight at once, to different endpoints (4)
	Keep     time.Duration                   // how long settled deliveries stay in the log (30 days)
}

// Service runs the dispatcher and the sender.
type Service struct {
	o       Options
	targets Targets
	client  *http.Client
	wake    chan struct{}
}

// batch is how many events the dispatcher fans out per transaction.
const batch = 100

// New returns a Service; Run starts it.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.RetryFor <= 0 {
		o.RetryFor = 24 * time.Hour
	}
	if o.Backoff == nil {
		o.Backoff = Backoff
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Keep <= 0 {
		o.Keep = 30 * 24 * time.Hour
	}
	t := Targets{BaseURL: o.BaseURL, AllowPrivate: o.AllowPrivate}
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: t.Control}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would connect for us, past Control
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: o.Timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
	}
	client := &http.Client{Transport: transport, Timeout: o.Timeout,
		// A redirect is an answer, not a 2xx: following it would let a
		// public endpoint send us to a private one.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Service{o: o, targets: t, client: client, wake: make(chan struct{}, 1)}
}

// Backoff is the default retry schedule: 30 s after the first failure,
// doubling each time up to an hour, each wait moved by up to ±20 % at
// random so that many deliveries failing together do not retry together.
func Backoff(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	d = min(d, time.Hour)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// Run follows the event log and sends deliveries until ctx ends; it
// returns once every request in flight has finished.
func (s *Service) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { s.runDispatcher(ctx) })
	wg.Go(func() { s.runSender(ctx) })
	wg.Wait()
}

func (s *Service) runDispatcher(ctx context.Context) {
	t := time.NewTicker(s.o.Poll)
	defer t.Stop()
	var pruned time.Time
	failures := joblog.New(s.o.Log, "webhook dispatch", 0, nil)
	for {
		if now := s.o.Now(); now.Sub(pruned) >= time.Hour {
			pruned = now
			if _, err := s.o.Store.PruneWebhookDeliveries(ctx, now.Add(-s.o.Keep)); err != nil && ctx.Err() == nil {
				s.o.Log.Error("webhook prune", "err", err)
			}
		}
		n, err := s.Dispatch(ctx)
		failures.Report(ctx, err)
		if n == batch && err == nil {
			continue // more waiting
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Dispatch fans out the next batch of story events and returns how many
// it handled. It is what the dispatcher loop runs; tests call it directly.
func (s *Service) Dispatch(ctx context.Context) (int, error) {
	st := s.o.Store
	pos, err := st.WebhookPosition(ctx)
	if err != nil {
		return 0, err
	}
	evs, err := st.StoryEvents(ctx, pos, batch)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	// With nobody to tell, the events are only stepped over: no story is read.
	eps, err := st.WebhookEndpoints(ctx)
	if err != nil {
		return 0, err
	}
	anyone := s.o.Hub != ""
	for _, e := range eps {
		anyone = anyone || e.Enabled
	}
	out := make([]store.WebhookEvent, 0, len(evs))
	for _, ev := range evs {
		item := store.WebhookEvent{EventID: ev.ID, Kind: ev.Kind, StoryID: ev.StoryID}
		if anyone {
			doc, err := st.Story(ctx, ev.StoryID)
			if errors.Is(err, store.ErrNotFound) {
				doc = nil
			} else if err != nil {
				return 0, err
			}
			if item.Body, err = EventPayload(s.o.BaseURL, ev, doc); err != nil {
				return 0, err
			}
			if s.o.Hub != "" {
				item.HubBody = HubPayload(s.o.BaseURL, doc)
			}
		}
		out = append(out, item)
	}
	err = st.QueueWebhookEvents(ctx, pos, evs[len(evs)-1].ID, out, s.o.Now())
	if errors.Is(err, store.ErrConflict) {
		return 0, nil // another instance fanned them out
	}
	if err != nil {
		return 0, err
	}
	s.poke()
	return len(evs), nil
}

// poke wakes the sender without waiting.
func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// drain reads at most 64 KiB of a response, so the connection can be
// reused, and returns its start for the delivery log.
func drain(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, 64<<10))
	if len(b) > 200 {
		b = b[:200]
	}
	return string(b)
}
