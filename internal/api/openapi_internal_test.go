package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestOpenAPICoversEveryRoute: the description parses, is OpenAPI 3.1,
// and lists exactly the routes Routes registers, with their methods.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	served := map[string]bool{}
	for _, rt := range (&Server{}).routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		served[path] = true
		if !strings.HasPrefix(path, "/api/") {
			t.Errorf("route %s is outside /api/", rt.pattern)
		}
		ops, ok := doc.Paths[path]
		if !ok {
			t.Errorf("route %s is not in openapi.json", rt.pattern)
			continue
		}
		if _, ok := ops[strings.ToLower(method)]; !ok {
			t.Errorf("openapi.json has %s without %s", path, method)
		}
	}
	for path, ops := range doc.Paths {
		if !served[path] {
			t.Errorf("openapi.json describes %s, which no route serves", path)
		}
		for method := range ops {
			if strings.ToUpper(method) != http.MethodGet {
				t.Errorf("openapi.json has %s %s; the API only reads", method, path)
			}
		}
	}
	// Every $ref points at something the document defines.
	var all map[string]any
	json.Unmarshal(openAPI, &all)
	for _, ref := range refs(all) {
		if !resolves(all, ref) {
			t.Errorf("dangling $ref %s", ref)
		}
	}
}

func refs(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && k == "$ref" {
				out = append(out, s)
			}
			out = append(out, refs(val)...)
		}
	case []any:
		for _, val := range x {
			out = append(out, refs(val)...)
		}
	}
	return out
}

func resolves(doc map[string]any, ref string) bool {
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}
