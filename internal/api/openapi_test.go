package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"dateline/internal/store"
)

// TestOpenAPIServed: the description is served, and each path it
// documents answers 200 through the real handler.
func TestOpenAPIServed(t *testing.T) {
	res := get(t, "/api/openapi.json")
	var doc struct {
		OpenAPI string                     `json:"openapi"`
		Paths   map[string]json.RawMessage `json:"paths"`
	}
	decode(t, res, &doc)
	if res.status != http.StatusOK || !strings.HasPrefix(doc.OpenAPI, "3.1.") || len(doc.Paths) < 6 {
		t.Fatalf("openapi.json: %d, openapi %q, %d paths", res.status, doc.OpenAPI, len(doc.Paths))
	}
	one, err := demo.Store.APIStories(context.Background(), store.APIQuery{Limit: 1})
	if err != nil || len(one) != 1 {
		t.Fatal(err)
	}
	for path := range doc.Paths {
		p := strings.ReplaceAll(path, "{id}", itoa(one[0].ID))
		if r := get(t, p); r.status != http.StatusOK {
			t.Errorf("%s (documented): %d %.200s", p, r.status, r.body)
		}
	}
}
