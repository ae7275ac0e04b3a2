package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// testWebhooks checks endpoints, the fan-out of events with its position,
// leases, attempts and the delivery log.
func testWebhooks(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.CreateWebhookEndpoint(ctx, store.WebhookEndpoint{URL: "https://a.example", Secret: "x"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("no events: %v, want ErrInvalid", err)
	}
	if _, err := s.CreateWebhookEndpoint(ctx, store.WebhookEndpoint{URL: "https://a.example", Secret: "x", Events: []string{"deleted"}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown event: %v, want ErrInvalid", err)
	}
	all, err := s.CreateWebhookEndpoint(ctx, store.WebhookEndpoint{URL: "https://all.example/in", Secret: "s1", Enabled: true,
		Events: []string{store.EventKilled, store.EventPublished, store.EventUpdated}})
	if err != nil {
		t.Fatal(err)
	}
	killed, _ := s.CreateWebhookEndpoint(ctx, store.WebhookEndpoint{URL: "https://k.example", Secret: "s2", Enabled: true, Events: []string{store.EventKilled}})
	off, _ := s.CreateWebhookEndpoint(ctx, store.WebhookEndpoint{URL: "https://off.example", Secret: "s3", Enabled: true, Events: []string{store.EventPublished}})
	if err := s.SetWebhookEndpointEnabled(ctx, off, false); err != nil {
		t.Fatal(err)
	}
	e, err := s.WebhookEndpoint(ctx, all)
	if err != nil || e.URL != "https://all.example/in" || e.Secret != "s1" || !e.Enabled ||
		!slices.Equal(e.Events, []string{store.EventPublished, store.EventUpdated, store.EventKilled}) {
		t.Errorf("endpoint %+v %v", e, err)
	}
	if list, _ := s.WebhookEndpoints(ctx); len(list) != 3 || list[2].Enabled {
		t.Errorf("endpoints %+v", list)
	}
	if _, err := s.WebhookEndpoint(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing endpoint: %v", err)
	}

	sec := mustSection(t, s, "world")
	id := mustStory(t, s, &story.Story{Section: sec, Headline: "Hooked", FirstPublishedAt: base})
	pos, err := s.WebhookPosition(ctx)
	if err != nil || pos != 0 {
		t.Fatalf("position %d %v, want 0 on a new store", pos, err)
	}
	evs, _ := s.StoryEvents(ctx, pos, 10)
	if len(evs) != 1 {
		t.Fatalf("events %+v", evs)
	}
	batch := []store.WebhookEvent{{EventID: evs[0].ID, Kind: store.EventPublished, StoryID: id, Body: []byte(`{"a":1}`), HubBody: []byte("hub.mode=publish")}}
	if err := s.QueueWebhookEvents(ctx, pos, evs[0].ID, batch, base); err != nil {
		t.Fatal(err)
	}
	if err := s.QueueWebhookEvents(ctx, pos, evs[0].ID, batch, base); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second fan-out from a stale position: %v, want ErrConflict", err)
	}
	if p, _ := s.WebhookPosition(ctx); p != evs[0].ID {
		t.Errorf("position %d, want %d", p, evs[0].ID)
	}
	ds, _ := s.WebhookDeliveries(ctx, all, 0, 10)
	if len(ds) != 1 || ds[0].Kind != store.EventPublished || string(ds[0].Body) != `{"a":1}` || ds[0].UID == "" ||
		ds[0].Status != store.DeliveryPending || ds[0].StoryID != id || ds[0].EventID != evs[0].ID {
		t.Fatalf("deliveries of the subscribed endpoint %+v", ds)
	}
	for _, other := range []int64{killed, off} {
		if ds, _ := s.WebhookDeliveries(ctx, other, 0, 10); len(ds) != 0 {
			t.Errorf("endpoint %d got %+v", other, ds)
		}
	}

	// The endpoint's delivery and the hub ping are due; a lease keeps a
	// second claim from taking them again.
	got, err := s.ClaimWebhookDeliveries(ctx, base, time.Minute, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("claim %+v %v", got, err)
	}
	var mine store.WebhookDelivery
	for _, d := range got {
		if d.EndpointID == all {
			mine = d
		} else if d.EndpointID != 0 || string(d.Body) != "hub.mode=publish" {
			t.Errorf("hub delivery %+v", d)
		}
	}
	if mine.URL != "https://all.example/in" || mine.Secret != "s1" {
		t.Errorf("claimed without its target: %+v", mine)
	}
	if again, _ := s.ClaimWebhookDeliveries(ctx, base.Add(30*time.Second), time.Minute, 10); len(again) != 0 {
		t.Errorf("claimed twice under a lease: %+v", again)
	}
	a := store.WebhookAttempt{DeliveryID: mine.ID, At: base, StatusCode: 500, Error: "500 Internal Server Error", Duration: 1500 * time.Microsecond}
	if err := s.RecordWebhookAttempt(ctx, a, store.WebhookOutcome{Status: store.DeliveryPending, NextAt: base.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	again, _ := s.ClaimWebhookDeliveries(ctx, base.Add(2*time.Minute), time.Minute, 10)
	if len(again) != 1 || again[0].EndpointID != 0 {
		t.Fatalf("after the lease only the hub ping is due again: %+v", again)
	}
	hub := store.WebhookAttempt{DeliveryID: again[0].ID, At: base.Add(2 * time.Minute), StatusCode: 204}
	if err := s.RecordWebhookAttempt(ctx, hub, store.WebhookOutcome{Status: store.DeliveryDelivered}); err != nil {
		t.Fatal(err)
	}
	next, _ := s.ClaimWebhookDeliveries(ctx, base.Add(time.Hour), time.Minute, 10)
	if len(next) != 1 || next[0].ID != mine.ID || next[0].Attempts != 1 || !next[0].FirstAttemptAt.Equal(base) {
		t.Fatalf("due retry %+v", next)
	}
	a2 := store.WebhookAttempt{DeliveryID: mine.ID, At: base.Add(time.Hour), StatusCode: 204}
	if err := s.RecordWebhookAttempt(ctx, a2, store.WebhookOutcome{Status: store.DeliveryDelivered}); err != nil {
		t.Fatal(err)
	}
	ds, _ = s.WebhookDeliveries(ctx, all, 0, 10)
	if len(ds) != 1 || ds[0].Status != store.DeliveryDelivered || ds[0].Attempts != 2 || ds[0].LastCode != 204 ||
		ds[0].LastError != "" || !ds[0].DoneAt.Equal(base.Add(time.Hour)) || !ds[0].FirstAttemptAt.Equal(base) {
		t.Errorf("after delivery %+v", ds)
	}
	as, err := s.WebhookAttempts(ctx, []int64{mine.ID})
	if err != nil || len(as) != 2 || as[0].StatusCode != 500 || as[0].Duration != 1500*time.Microsecond || as[1].StatusCode != 204 {
		t.Errorf("attempts %+v %v", as, err)
	}

	// A disabled endpoint's queued deliveries wait; tests queue even so.
	test, err := s.QueueWebhookTest(ctx, off, []byte(`{"kind":"test"}`), base)
	if err != nil || test.Kind != "test" || test.EndpointID != off {
		t.Fatalf("test delivery %+v %v", test, err)
	}
	if c, _ := s.ClaimWebhookDeliveries(ctx, base.Add(3*time.Hour), time.Minute, 10); len(c) != 0 {
		t.Errorf("claimed for a disabled endpoint: %+v", c)
	}
	if _, err := s.QueueWebhookTest(ctx, 9999, nil, base); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("test to a missing endpoint: %v", err)
	}
	if err := s.DeleteWebhookEndpoint(ctx, all); err != nil {
		t.Fatal(err)
	}
	if ds, _ := s.WebhookDeliveries(ctx, all, 0, 10); len(ds) != 0 {
		t.Errorf("deliveries outlive their endpoint: %+v", ds)
	}
	if err := s.DeleteWebhookEndpoint(ctx, all); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	webhookOrderAndPrune(t, s, evs[0].ID)
}

// webhookOrderAndPrune checks that an endpoint gets one delivery at a
// time, oldest first, and that settled deliveries are pruned.
func webhookOrderAndPrune(t *testing.T, s store.Store, pos int64) {
	ctx := context.Background()
	ep, _ := s.CreateWebhookEndpoint(ctx, store.WebhookEndpoint{URL: "https://order.example", Secret: "s", Enabled: true, Events: []string{store.EventUpdated}})
	sec, _ := s.SectionBySlug(ctx, "world")
	id := mustStory(t, s, &story.Story{Section: sec, Headline: "Ordered", FirstPublishedAt: base})
	for i := 0; i < 2; i++ {
		st, _ := s.Story(ctx, id)
		if err := s.UpdateStory(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	evs, _ := s.StoryEvents(ctx, pos, 10)
	var batch []store.WebhookEvent
	for _, ev := range evs {
		batch = append(batch, store.WebhookEvent{EventID: ev.ID, Kind: ev.Kind, StoryID: ev.StoryID, Body: []byte("{}")})
	}
	if len(batch) != 3 {
		t.Fatalf("events %+v", evs)
	}
	batch[1].Body = nil // stepped over
	batch = append(batch, store.WebhookEvent{EventID: evs[2].ID + 1, Kind: store.EventUpdated, StoryID: id, Body: []byte("{}")})
	if err := s.QueueWebhookEvents(ctx, pos, evs[2].ID+1, batch, base); err != nil {
		t.Fatal(err)
	}
	at := base.Add(10 * time.Hour)
	first, _ := s.ClaimWebhookDeliveries(ctx, at, time.Minute, 10)
	if len(first) != 1 || first[0].EventID != evs[2].ID {
		t.Fatalf("first claim %+v, want only the oldest delivery (event %d)", first, evs[2].ID)
	}
	if c, _ := s.ClaimWebhookDeliveries(ctx, at, time.Minute, 10); len(c) != 0 {
		t.Errorf("claimed beside a leased delivery of the same endpoint: %+v", c)
	}
	s.RecordWebhookAttempt(ctx, store.WebhookAttempt{DeliveryID: first[0].ID, At: at, StatusCode: 200}, store.WebhookOutcome{Status: store.DeliveryDelivered})
	second, _ := s.ClaimWebhookDeliveries(ctx, at, time.Minute, 10)
	if len(second) != 1 || second[0].EventID != evs[2].ID+1 {
		t.Fatalf("second claim %+v", second)
	}
	s.RecordWebhookAttempt(ctx, store.WebhookAttempt{DeliveryID: second[0].ID, At: at.Add(time.Hour), StatusCode: 200}, store.WebhookOutcome{Status: store.DeliveryDelivered})
	// The first delivery here and the hub ping of testWebhooks were settled before.
	if n, err := s.PruneWebhookDeliveries(ctx, at.Add(time.Minute)); err != nil || n != 2 {
		t.Errorf("pruned %d %v, want 2", n, err)
	}
	if ds, _ := s.WebhookDeliveries(ctx, ep, 0, 10); len(ds) != 1 || ds[0].ID != second[0].ID {
		t.Errorf("after pruning %+v", ds)
	}
}
