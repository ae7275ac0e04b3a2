package webhook

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"dateline/internal/joblog"
	"dateline/internal/store"
)

func (s *Service) runSender(ctx context.Context) {
	t := time.NewTicker(s.o.Poll)
	defer t.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, s.o.Workers)
	freed := make(chan struct{}, 1)
	failures := joblog.New(s.o.Log, "webhook claim", 0, nil)
	for {
		if free := cap(slots) - len(slots); free > 0 {
			ds, err := s.o.Store.ClaimWebhookDeliveries(ctx, s.o.Now(), s.lease(), free)
			failures.Report(ctx, err)
			for _, d := range ds {
				slots <- struct{}{}
				wg.Go(func() {
					defer func() {
						<-slots
						select {
						case freed <- struct{}{}:
						default:
						}
					}()
					s.Deliver(ctx, d)
				})
			}
			if len(ds) > 0 && len(ds) == free {
				continue
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-freed:
		case <-t.C:
		}
	}
}

// lease is how long a claimed delivery is kept from other senders: longer
// than a request can take, so only a crashed sender's deliveries go back
// to the queue.
func (s *Service) lease() time.Duration { return s.o.Timeout + time.Minute }

// Deliver makes one attempt at a claimed delivery and records it. When ctx
// ends during the request nothing is recorded: the lease runs out and the
// delivery is tried again, which the Dateline-Delivery id makes harmless.
func (s *Service) Deliver(ctx context.Context, d store.WebhookDelivery) {
	start := s.o.Now()
	code, errText := s.post(ctx, d, start)
	if ctx.Err() != nil {
		return
	}
	a := store.WebhookAttempt{DeliveryID: d.ID, At: start, StatusCode: code, Error: errText, Duration: s.o.Now().Sub(start)}
	o := s.outcome(d, start, errText == "")
	if err := s.o.Store.RecordWebhookAttempt(ctx, a, o); err != nil {
		s.o.Log.Error("webhook record attempt", "delivery", d.ID, "err", err)
		return
	}
	target := d.URL
	if d.EndpointID == 0 {
		target = "websub hub"
	}
	switch o.Status {
	case store.DeliveryFailed:
		s.o.Log.Warn("webhook delivery failed for good", "delivery", d.ID, "target", target, "attempts", d.Attempts+1, "err", errText)
	case store.DeliveryPending:
		s.o.Log.Info("webhook delivery will be retried", "delivery", d.ID, "target", target, "code", code, "err", errText, "next", o.NextAt)
	}
}

// outcome decides what happens after an attempt started at start.
func (s *Service) outcome(d store.WebhookDelivery, start time.Time, ok bool) store.WebhookOutcome {
	if ok {
		return store.WebhookOutcome{Status: store.DeliveryDelivered}
	}
	first := d.FirstAttemptAt
	if first.IsZero() {
		first = start
	}
	next := start.Add(s.o.Backoff(d.Attempts + 1))
	if next.Sub(first) > s.o.RetryFor {
		return store.WebhookOutcome{Status: store.DeliveryFailed}
	}
	return store.WebhookOutcome{Status: store.DeliveryPending, NextAt: next}
}

// post sends a delivery and returns the status code (0 without an
// answer) and, unless the answer was 2xx, why it failed.
func (s *Service) post(ctx context.Context, d store.WebhookDelivery, at time.Time) (int, string) {
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	target, ctype := d.URL, "application/json"
	if d.EndpointID == 0 {
		if s.o.Hub == "" {
			return 0, "no WebSub hub is configured any more"
		}
		target, ctype = s.o.Hub, "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(d.Body))
	if err != nil {
		return 0, fmt.Sprintf("bad target address: %v", err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("User-Agent", "Dateline-Webhooks/1")
	if d.EndpointID != 0 {
		req.Header.Set(HeaderSignature, Sign(d.Secret, at, d.Body))
		req.Header.Set(HeaderEvent, d.Kind)
		req.Header.Set(HeaderDelivery, d.UID)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, clean(err.Error())
	}
	defer resp.Body.Close()
	start := drain(resp.Body)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, ""
	}
	msg := resp.Status
	if start = clean(start); start != "" {
		msg += ": " + start
	}
	return resp.StatusCode, msg
}

// clean makes text from outside fit for one line of the delivery log.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Join(strings.Fields(s), " ")
	for len(s) > 300 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return s
}
