package site_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func postForm(t *testing.T, path string, vals map[string]string, ip string) response {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form(vals).Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.RemoteAddr = ip + ":5555"
	return do(t, r)
}

func messageCount(t *testing.T) int {
	t.Helper()
	m, err := demo.Store.Messages(context.Background(), 10000)
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}

func TestContactForm(t *testing.T) {
	good := map[string]string{"name": "Ada Reader", "email": "ada@example.com", "subject": "Hello", "message": "A kind word for the newsroom."}
	t.Run("success", func(t *testing.T) {
		before := messageCount(t)
		r := postForm(t, "/contact", good, "198.51.100.1")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/contact?sent=1") {
			t.Fatalf("POST /contact: %d %q", r.status, r.header.Get("Location"))
		}
		if messageCount(t) != before+1 {
			t.Fatal("message not stored")
		}
		m, _ := demo.Store.Messages(context.Background(), 1)
		if m[0].Kind != "contact" || m[0].Name != "Ada Reader" || m[0].Body != good["message"] || m[0].CreatedAt.IsZero() {
			t.Errorf("stored %+v", m[0])
		}
		mustContain(t, get(t, r.header.Get("Location")).body, "Thank you", "has been received")
	})
	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"missing name", "name", "", "Please fill in this field."},
		{"missing message", "message", "  ", "Please fill in this field."},
		{"bad email", "email", "not-an-address", "Please enter an email address"},
		{"long name", "name", strings.Repeat("n", 101), "This is too long: at most 100 characters."},
		{"long message", "message", strings.Repeat("m", 5001), "This is too long: at most 5000 characters."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := messageCount(t)
			vals := map[string]string{}
			for k, v := range good {
				vals[k] = v
			}
			vals[tc.field] = tc.value
			vals["subject"] = "Keep <this> text"
			r := postForm(t, "/contact", vals, "198.51.100.2")
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			mustContain(t, r.body, `<p class="field-error" id="e-`+tc.field+`">`+strings.ReplaceAll(tc.want, "'", "&#39;"),
				`aria-invalid="true"`, `value="Keep &lt;this&gt; text"`)
			if messageCount(t) != before {
				t.Error("an invalid message was stored")
			}
		})
	}
	t.Run("oversized body", func(t *testing.T) {
		vals := map[string]string{"name": "A", "email": "a@example.com", "message": strings.Repeat("z", 70<<10)}
		if r := postForm(t, "/contact", vals, "198.51.100.3"); r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "too large") {
			t.Errorf("status %d", r.status)
		}
	})
	t.Run("honeypot", func(t *testing.T) {
		before := messageCount(t)
		vals := map[string]string{"website": "http://spam.example"}
		for k, v := range good {
			vals[k] = v
		}
		if r := postForm(t, "/contact", vals, "198.51.100.4"); r.status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", r.status)
		}
		if messageCount(t) != before {
			t.Error("spam was stored")
		}
	})
	t.Run("rate limit", func(t *testing.T) {
		var last response
		for i := 0; i < 6; i++ {
			last = postForm(t, "/contact", good, "198.51.100.5")
		}
		if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
			t.Fatalf("sixth message: %d, want 429 with Retry-After", last.status)
		}
		mustContain(t, last.body, "several messages in a short time", "A kind word for the newsroom.")
		if r := postForm(t, "/contact", good, "198.51.100.6"); r.status != http.StatusSeeOther {
			t.Errorf("another reader is limited too: %d", r.status)
		}
	})
	t.Run("cross-site post refused", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/contact", strings.NewReader(form(good).Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		if res := do(t, r); res.status != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.status)
		}
	})
}

func TestFeedbackFormKeepsThePage(t *testing.T) {
	r := get(t, "/feedback?page=/world/some-story-12")
	mustContain(t, r.body, `name="page" value="/world/some-story-12"`)
	res := postForm(t, "/feedback", map[string]string{"message": "The second chart is mislabelled.", "page": "/world/some-story-12"}, "198.51.100.7")
	if res.status != http.StatusSeeOther {
		t.Fatalf("status %d", res.status)
	}
	m, _ := demo.Store.Messages(context.Background(), 1)
	if m[0].Kind != "feedback" || m[0].Page != "/world/some-story-12" {
		t.Errorf("stored %+v", m[0])
	}
	mustContain(t, get(t, res.header.Get("Location")).body, `<a href="/world/some-story-12">`)
	// A page outside the site is dropped, never linked.
	if r := get(t, "/feedback?page=//evil.example/x"); strings.Contains(r.body, "evil.example") {
		t.Error("an off-site page was kept")
	}
}
