package newsroom_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/testutil"
	"dateline/internal/webhook"
)

func TestWebhooksAdmin(t *testing.T) {
	site, err := testutil.NewSite(t.TempDir(), map[string]string{"DATELINE_ALLOW_PRIVATE_TARGETS": "true"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { site.Close() })
	site.MustUser("admin@example.com", "Ada Admin", store.RoleAdmin, pw)
	site.MustUser("ed@example.com", "Eda Editor", store.RoleEditor, pw)
	admin, editor := testutil.NewClient(site.Handler), testutil.NewClient(site.Handler)
	admin.Login("admin@example.com", pw)
	editor.Login("ed@example.com", pw)
	ctx := context.Background()

	var mu sync.Mutex
	codes := []int{500} // the first delivery fails, the next ones succeed
	hits := 0
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		hits++
		if len(codes) > 0 {
			w.WriteHeader(codes[0])
			codes = codes[1:]
		}
	}))
	defer rcv.Close()

	if w := editor.Get("/newsroom/webhooks"); w.Code != http.StatusForbidden {
		t.Errorf("editor sees webhooks: %d, want 403", w.Code)
	}
	form := url.Values{"url": {rcv.URL + "/in"}, "events": {"published", "killed"}}
	if w := editor.PostForm("/newsroom/webhooks", form); w.Code != http.StatusForbidden {
		t.Errorf("editor registers a webhook: %d, want 403", w.Code)
	}
	cross := httptest.NewRequest(http.MethodPost, "/newsroom/webhooks", strings.NewReader(form.Encode()))
	cross.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	cross.Header.Set("Sec-Fetch-Site", "cross-site")
	if w := admin.Do(cross); w.Code != http.StatusForbidden {
		t.Errorf("cross-site registration: %d, want 403", w.Code)
	}
	if eps, _ := site.Store.WebhookEndpoints(ctx); len(eps) != 0 {
		t.Fatalf("refused requests registered %+v", eps)
	}

	w := admin.PostForm("/newsroom/webhooks", form)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("register: %d %s", w.Code, w.Body.String())
	}
	eps, _ := site.Store.WebhookEndpoints(ctx)
	if len(eps) != 1 || eps[0].URL != rcv.URL+"/in" || strings.Join(eps[0].Events, ",") != "published,killed" || !eps[0].Enabled {
		t.Fatalf("stored %+v", eps)
	}
	ep := eps[0]
	page := "/newsroom/webhooks/" + strconv.FormatInt(ep.ID, 10)
	if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, page) {
		t.Errorf("register goes to %q, want the endpoint's page", loc)
	}
	if body := admin.Get("/newsroom/webhooks").Body.String(); !strings.Contains(body, `href="`+page+`"`) || !strings.Contains(body, rcv.URL+"/in") {
		t.Error("the list does not show the endpoint")
	}
	if body := admin.Get(page).Body.String(); !strings.Contains(body, ep.Secret) {
		t.Error("the endpoint's page does not show its secret")
	}

	for _, bad := range []struct{ url, want string }{
		{"ftp://partner.example/in", "Only http:// and https://"},
		{"http://dateline.test/hooks", "this site&#39;s own address"},
	} {
		w := admin.PostForm("/newsroom/webhooks", url.Values{"url": {bad.url}, "events": {"published"}})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), bad.want) {
			t.Errorf("register %s: %d, want 400 saying %q", bad.url, w.Code, bad.want)
		}
	}
	site.Config.AllowPrivateTargets = false
	w = admin.PostForm("/newsroom/webhooks", url.Values{"url": {"http://10.0.0.1/in"}, "events": {"published"}})
	site.Config.AllowPrivateTargets = true
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "private address") {
		t.Errorf("register a private address: %d, want 400 naming it", w.Code)
	}
	if w := admin.PostForm("/newsroom/webhooks", url.Values{"url": {rcv.URL}}); w.Code != http.StatusBadRequest ||
		!strings.Contains(w.Body.String(), "at least one event") {
		t.Errorf("register without events: %d", w.Code)
	}

	// Two test events: the first answer is a 500, retried at once.
	for i := 0; i < 2; i++ {
		if w := admin.PostForm(page+"/test", nil); w.Code != http.StatusSeeOther {
			t.Fatalf("send test: %d", w.Code)
		}
	}
	svcCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		webhook.New(webhook.Options{Store: site.Store, BaseURL: site.Config.BaseURL, AllowPrivate: true, Poll: 10 * time.Millisecond,
			Workers: 1, Backoff: func(int) time.Duration { return 0 }}).Run(svcCtx)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ds, _ := site.Store.WebhookDeliveries(ctx, ep.ID, 0, 10)
		if len(ds) == 2 && ds[0].Status == store.DeliveryDelivered && ds[1].Status == store.DeliveryDelivered {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("test events not delivered: %+v", ds)
		}
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	<-done
	log := admin.Get(page).Body.String()
	if strings.Count(log, "<code>test</code>") != 2 || !strings.Contains(log, "HTTP 500") || !strings.Contains(log, "HTTP 200") ||
		!strings.Contains(log, "Attempts</summary>") {
		t.Errorf("the delivery log does not show the attempts:\n%s", log)
	}
	if w := editor.Get(page); w.Code != http.StatusForbidden {
		t.Errorf("editor sees the delivery log: %d", w.Code)
	}

	if w := admin.PostForm(page+"/enabled", url.Values{"enabled": {"0"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("disable: %d", w.Code)
	}
	if got, _ := site.Store.WebhookEndpoint(ctx, ep.ID); got.Enabled {
		t.Error("still enabled")
	}
	if w := editor.PostForm(page+"/delete", nil); w.Code != http.StatusForbidden {
		t.Errorf("editor deletes: %d", w.Code)
	}
	if w := admin.PostForm(page+"/delete", nil); w.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d", w.Code)
	}
	if eps, _ := site.Store.WebhookEndpoints(ctx); len(eps) != 0 {
		t.Errorf("after delete %+v", eps)
	}
	if w := admin.Get(page); w.Code != http.StatusNotFound {
		t.Errorf("deleted endpoint's page: %d, want 404", w.Code)
	}
	entries, _ := site.Store.AuditLog(ctx, 0, 10)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); !strings.HasPrefix(got, "webhook_delete,webhook_disable,webhook_add") {
		t.Errorf("audit log %s", got)
	}
}
