package webhook_test

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/testutil"
	"dateline/internal/webhook"
)

// TestSurvivesRestart queues a delivery before any sender runs, closes the
// store, and checks that a new service on the reopened file sends it, and
// that a later restart sends nothing twice.
func TestSurvivesRestart(t *testing.T) {
	path := testutil.StorePlace(t, filepath.Join(t.TempDir(), "dateline.db"))
	rcv := newReceiver(t)
	ctx := context.Background()

	st := openStore(t, path)
	ep := register(t, st, rcv.URL, store.EventPublished)
	first := publish(t, st, "Queued before the crash")
	if n, err := webhook.New(webhook.Options{Store: st, BaseURL: baseURL, AllowPrivate: true}).Dispatch(ctx); err != nil || n != 1 {
		t.Fatalf("dispatch: %d %v", n, err)
	}
	st.Close() // the process dies before its sender ran

	st = openStore(t, path)
	stop := start(t, webhook.Options{Store: st})
	waitFor(t, "the queued delivery after a restart", func() bool {
		ds, _ := st.WebhookDeliveries(ctx, ep.ID, 0, 10)
		return len(ds) == 1 && ds[0].Status == store.DeliveryDelivered
	})
	stop()
	st.Close()

	st = openStore(t, path)
	defer st.Close()
	second := publish(t, st, "Published after the restart")
	start(t, webhook.Options{Store: st})
	waitFor(t, "the new delivery", func() bool { return len(rcv.requests()) == 2 })
	waitFor(t, "both delivered", func() bool {
		ds, _ := st.WebhookDeliveries(ctx, ep.ID, 0, 10)
		return len(ds) == 2 && ds[0].Status == store.DeliveryDelivered && ds[1].Status == store.DeliveryDelivered
	})
	var ids []int64
	for _, r := range rcv.requests() {
		p := decode(t, ep.Secret, r, store.EventPublished)
		ids = append(ids, p.Story.ID)
	}
	if !slices.Equal(ids, []int64{first.ID, second.ID}) {
		t.Errorf("stories delivered %v, want %d then %d, each once", ids, first.ID, second.ID)
	}
}

func TestRefusedTargets(t *testing.T) {
	tg := webhook.Targets{BaseURL: "https://news.example"}
	ctx := context.Background()
	for _, c := range []struct{ url, want string }{
		{"ftp://partner.example/in", "Only http:// and https://"},
		{"http://127.0.0.1/hook", "loopback"},
		{"http://10.0.0.1/hook", "private"},
		{"http://[::1]:8080/hook", "loopback"},
		{"http://169.254.169.254/latest/meta-data", "link-local"},
		{"http://0.0.0.0/", "unspecified"},
		{"http://localhost:9000/", "loopback"},
		{"https://news.example/hooks", "this site's own address"},
		{"https://NEWS.example:443/x", "this site's own address"},
		{"https://user:pw@partner.example/", "password"},
		{"partner.example/hook", "absolute"},
	} {
		_, err := tg.Check(ctx, c.url)
		var te *webhook.TargetError
		if !errors.As(err, &te) || !strings.Contains(te.Reason, c.want) {
			t.Errorf("Check(%q) = %v, want a refusal mentioning %q", c.url, err, c.want)
		}
	}
	if _, err := tg.Check(ctx, "https://203.0.113.7/hook"); err != nil {
		t.Errorf("a public address is refused: %v", err)
	}
	tg.AllowPrivate = true
	if _, err := tg.Check(ctx, "http://127.0.0.1:9000/hook"); err != nil {
		t.Errorf("with private targets allowed: %v", err)
	}
	if _, err := tg.Check(ctx, "https://news.example/hooks"); err == nil {
		t.Error("the site's own address is accepted when private targets are allowed")
	}
	tg.AllowPrivate = false
	if err := tg.Control("tcp", "127.0.0.1:80", nil); err == nil {
		t.Error("Control lets a connection to loopback through")
	}
	if err := tg.Control("tcp", "[2001:db8::1]:443", nil); err != nil {
		t.Errorf("Control refuses a public address: %v", err)
	}
}

// TestRebindingCaughtAtSend: an endpoint stored when it was fine but now
// pointing at a private address is refused when the connection is made.
func TestRebindingCaughtAtSend(t *testing.T) {
	st := newStore(t)
	rcv := newReceiver(t)
	ep := register(t, st, rcv.URL, store.EventPublished) // allowed at registration (tests)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	svc := webhook.New(webhook.Options{Store: st, BaseURL: baseURL, Backoff: func(int) time.Duration { return time.Hour }})
	if _, err := webhook.SendTest(ctx, st, ep.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	ds, err := st.ClaimWebhookDeliveries(ctx, time.Now(), time.Minute, 10)
	if err != nil || len(ds) != 1 {
		t.Fatalf("claim: %v %v", ds, err)
	}
	svc.Deliver(ctx, ds[0])
	got, _ := st.WebhookDeliveries(ctx, ep.ID, 0, 1)
	if len(rcv.requests()) != 0 || len(got) != 1 || got[0].Attempts != 1 || !strings.Contains(got[0].LastError, "non-public") {
		t.Errorf("delivery %+v, %d requests; want refused before connecting", got, len(rcv.requests()))
	}
}

func TestWebSubPing(t *testing.T) {
	st := newStore(t)
	hub := newReceiver(t, 204)
	start(t, webhook.Options{Store: st, Hub: hub.URL})
	s := publish(t, st, "Hub hears of it", "Ports")
	waitFor(t, "the hub ping", func() bool { return len(hub.requests()) == 1 })
	r := hub.requests()[0]
	if r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("content type %q", r.Header.Get("Content-Type"))
	}
	form, err := url.ParseQuery(string(r.Body))
	if err != nil || form.Get("hub.mode") != "publish" {
		t.Fatalf("form %q %v", r.Body, err)
	}
	for _, want := range []string{"/rss.xml", "/atom.xml", "/feed.json", "/world/rss.xml", "/world/feed.json", "/tag/ports/atom.xml"} {
		if !slices.Contains(form["hub.url"], baseURL+want) {
			t.Errorf("hub.url %v lacks %s", form["hub.url"], baseURL+want)
		}
	}
	if len(s.Tags) != 1 {
		t.Fatalf("tags %+v", s.Tags)
	}
}
