package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/webhook"
)

func TestSignature(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":1,"kind":"published"}`)
	secret := webhook.NewSecret()
	if secret == webhook.NewSecret() || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secrets are not fresh: %q", secret)
	}
	h := webhook.Sign(secret, now, body)
	if !strings.HasPrefix(h, "t=1800000000,v1=") {
		t.Errorf("header %q", h)
	}
	if err := webhook.Verify(secret, h, body, now.Add(time.Minute)); err != nil {
		t.Errorf("genuine delivery refused: %v", err)
	}
	if !verifyDateline(secret, h, body, now) {
		t.Error("the documented check refuses a genuine delivery")
	}
	tampered := []byte(`{"id":1,"kind":"killed"}`)
	cases := []struct {
		name   string
		secret string
		header string
		body   []byte
		now    time.Time
		want   error
	}{
		{"tampered body", secret, h, tampered, now, webhook.ErrBadSignature},
		{"other secret", webhook.NewSecret(), h, body, now, webhook.ErrBadSignature},
		{"replayed later", secret, h, body, now.Add(time.Hour), webhook.ErrStale},
		{"changed time", secret, strings.Replace(h, "t=1800000000", "t=1800000001", 1), body, now, webhook.ErrBadSignature},
		{"garbage", secret, "v1=abc", body, now, webhook.ErrBadSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := webhook.Verify(c.secret, c.header, c.body, c.now); !errors.Is(err, c.want) {
				t.Errorf("Verify = %v, want %v", err, c.want)
			}
			if verifyDateline(c.secret, c.header, c.body, c.now) {
				t.Error("the documented check accepts it")
			}
		})
	}
}

// TestEventsReachEndpoints publishes, updates and kills a story through
// the store and checks what two endpoints receive.
func TestEventsReachEndpoints(t *testing.T) {
	st := newStore(t)
	all, killedOnly := newReceiver(t), newReceiver(t)
	epAll := register(t, st, all.URL+"/hooks", store.EventPublished, store.EventUpdated, store.EventUnpublished, store.EventKilled)
	epKilled := register(t, st, killedOnly.URL, store.EventKilled)
	start(t, webhook.Options{Store: st})

	s := publish(t, st, "Harbour reopens after storm", "Shipping")
	waitFor(t, "the published event", func() bool { return len(all.requests()) == 1 })
	p := decode(t, epAll.Secret, all.requests()[0], store.EventPublished)
	if p.Story == nil || p.Story.ID != s.ID || p.Story.URL != baseURL+s.Path() || p.Story.Headline != s.Headline || p.Story.Version != s.Version {
		t.Fatalf("published payload story %+v, want %d %s v%d", p.Story, s.ID, s.Path(), s.Version)
	}
	if sum := p.Story.Summary; sum == nil || sum.Standfirst != "What happened." || sum.Section != "world" ||
		len(sum.Tags) != 1 || sum.Tags[0] != "Shipping" || len(sum.Bylines) != 1 || sum.Bylines[0] != "Ada Reporter" {
		t.Errorf("summary %+v", p.Story.Summary)
	}

	s = change(t, st, s.ID, func(s *story.Story) { s.Headline = "Harbour reopens, ships queue" })
	waitFor(t, "the updated event", func() bool { return len(all.requests()) == 2 })
	p = decode(t, epAll.Secret, all.requests()[1], store.EventUpdated)
	if p.Story.Headline != "Harbour reopens, ships queue" || p.Story.Version != s.Version {
		t.Errorf("updated payload %+v", p.Story)
	}

	s = change(t, st, s.ID, func(s *story.Story) { s.Status = story.StatusKilled })
	waitFor(t, "the killed event", func() bool { return len(all.requests()) == 3 && len(killedOnly.requests()) == 1 })
	p = decode(t, epAll.Secret, all.requests()[2], store.EventKilled)
	if p.Story.ID != s.ID || p.Story.URL == "" || p.Story.Headline != "" || p.Story.Summary != nil {
		t.Errorf("killed payload should name the story only: %+v", p.Story)
	}
	decode(t, epKilled.Secret, killedOnly.requests()[0], store.EventKilled)

	other := publish(t, st, "Second story")
	change(t, st, other.ID, func(s *story.Story) { s.Status = story.StatusUnpublished })
	waitFor(t, "the unpublished event", func() bool { return len(all.requests()) == 5 })
	// One request at a time per endpoint, oldest first: in order.
	decode(t, epAll.Secret, all.requests()[3], store.EventPublished)
	decode(t, epAll.Secret, all.requests()[4], store.EventUnpublished)
	if n := len(killedOnly.requests()); n != 1 {
		t.Errorf("the killed-only endpoint got %d requests, want 1", n)
	}
}

// decode checks a delivery's headers and signature and returns its body.
func decode(t *testing.T, secret string, r received, kind string) webhook.Payload {
	t.Helper()
	if got := r.Header.Get(webhook.HeaderEvent); got != kind {
		t.Errorf("Dateline-Event %q, want %q", got, kind)
	}
	if r.Header.Get(webhook.HeaderDelivery) == "" || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", r.Header)
	}
	if !verifyDateline(secret, r.Header.Get(webhook.HeaderSignature), r.Body, time.Now()) {
		t.Errorf("signature %q does not verify", r.Header.Get(webhook.HeaderSignature))
	}
	var p webhook.Payload
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
	if p.Kind != kind || p.ID == 0 || p.At.IsZero() {
		t.Errorf("payload %s, want kind %s", r.Body, kind)
	}
	return p
}

func TestRetryAfterFailure(t *testing.T) {
	st := newStore(t)
	rcv := newReceiver(t, 500, 500, 200)
	ep := register(t, st, rcv.URL, store.EventPublished)
	start(t, webhook.Options{Store: st})
	publish(t, st, "Third time lucky")
	ctx := context.Background()
	var d store.WebhookDelivery
	waitFor(t, "delivery", func() bool {
		ds, err := st.WebhookDeliveries(ctx, ep.ID, 0, 10)
		if err != nil || len(ds) != 1 {
			return false
		}
		d = ds[0]
		return d.Status != store.DeliveryPending
	})
	if d.Status != store.DeliveryDelivered || d.Attempts != 3 || d.LastCode != 200 || d.LastError != "" {
		t.Errorf("delivery %+v, want delivered on the third attempt", d)
	}
	as, err := st.WebhookAttempts(ctx, []int64{d.ID})
	if err != nil || len(as) != 3 {
		t.Fatalf("attempts %+v %v", as, err)
	}
	for i, want := range []int{500, 500, 200} {
		if as[i].StatusCode != want {
			t.Errorf("attempt %d: %d, want %d", i+1, as[i].StatusCode, want)
		}
	}
	if !strings.Contains(as[0].Error, "500") || !strings.Contains(as[0].Error, "thanks") {
		t.Errorf("failed attempt logged as %q", as[0].Error)
	}
	reqs := rcv.requests()
	if len(reqs) != 3 || reqs[0].Header.Get(webhook.HeaderDelivery) != reqs[2].Header.Get(webhook.HeaderDelivery) {
		t.Error("retries must carry the same Dateline-Delivery id")
	}
}

func TestGiveUpAfterRetryWindow(t *testing.T) {
	st := newStore(t)
	rcv := newReceiver(t, 503, 503, 503)
	ep := register(t, st, rcv.URL, store.EventPublished)
	// The next try would fall an hour after the first, past a 30-minute window.
	start(t, webhook.Options{Store: st, RetryFor: 30 * time.Minute, Backoff: func(int) time.Duration { return time.Hour }})
	publish(t, st, "Nobody listens")
	var d store.WebhookDelivery
	waitFor(t, "the delivery to fail", func() bool {
		ds, _ := st.WebhookDeliveries(context.Background(), ep.ID, 0, 10)
		if len(ds) == 1 {
			d = ds[0]
		}
		return d.Status == store.DeliveryFailed
	})
	if d.Attempts != 1 || d.LastCode != 503 || d.DoneAt.IsZero() {
		t.Errorf("failed delivery %+v", d)
	}
}

func TestBackoff(t *testing.T) {
	for _, c := range []struct {
		attempt int
		base    time.Duration
	}{{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {8, time.Hour}, {40, time.Hour}} {
		for i := 0; i < 50; i++ {
			d := webhook.Backoff(c.attempt)
			if d < c.base*8/10 || d > c.base*12/10 {
				t.Fatalf("Backoff(%d) = %v, want %v ±20%%", c.attempt, d, c.base)
			}
		}
	}
}

func TestPayloadOfAStoryTakenDownSince(t *testing.T) {
	st := newStore(t)
	s := publish(t, st, "Short-lived")
	evs, _ := st.StoryEvents(context.Background(), 0, 10)
	s = change(t, st, s.ID, func(s *story.Story) { s.Status = story.StatusKilled })
	b, err := webhook.EventPayload(baseURL, evs[0], s)
	if err != nil {
		t.Fatal(err)
	}
	var p webhook.Payload
	json.Unmarshal(b, &p)
	if p.Kind != store.EventPublished || p.Story.ID != s.ID || p.Story.Headline != "" || p.Story.Summary != nil {
		t.Errorf("a published event of a now killed story carries %s", b)
	}
}
