package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/story"
)

// TestEveryStoryIsValidNinjs fetches every published story of the demo,
// through the list and one by one, in both generations, and validates
// each document against the official schema of its version.
func TestEveryStoryIsValidNinjs(t *testing.T) {
	published, err := demo.Store.APIStories(context.Background(), store.APIQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(published) < 50 {
		t.Fatalf("demo has %d published stories; expected the whole demo", len(published))
	}
	for _, tc := range []struct {
		format, version string
	}{{"", "3.1"}, {"ninjs2", "2.2"}} {
		sch := ninjsSchema(t, tc.version, true)
		list := walk(t, demo.Handler, "/api/v1/stories?limit=100&format="+tc.format, "")
		if len(list) != len(published) {
			t.Errorf("format %q: list has %d stories, want %d", tc.format, len(list), len(published))
		}
		for i, raw := range list {
			validate(t, sch, "list item "+storyURI(published[i].ID), raw)
			if !strings.Contains(string(raw), `"version":"`+tc.version+`"`) {
				t.Errorf("%s does not name ninjs %s in standard", storyURI(published[i].ID), tc.version)
			}
		}
		for _, st := range published {
			path := strings.TrimPrefix(storyURI(st.ID), "http://dateline.test") + "?format=" + tc.format
			res := get(t, path)
			if res.status != http.StatusOK {
				t.Fatalf("%s: %d", path, res.status)
			}
			validate(t, sch, path, res.body)
		}
	}
}

// TestNinjsMapping checks the fields a partner relies on, on a wire story
// with a lead picture and on the Arabic stories.
func TestNinjsMapping(t *testing.T) {
	res := get(t, "/api/v1/stories?source=afp&limit=1")
	var p page
	decode(t, res, &p)
	if len(p.Data) != 1 {
		t.Fatalf("no AFP story: %s", res.body)
	}
	body := string(p.Data[0])
	for _, want := range []string{
		`"type":"text"`, `"pubStatus":"usable"`, `"copyrightHolder":"Agence France-Presse"`,
		`{"name":"Agence France-Presse","role":"originator","uri":"https://www.afp.com/en","literal":"AFP"}`,
		`"role":"webpage","value":"http://dateline.test/business/`, `"contentType":"text/html"`,
		`"name":"leadimage"`, `"type":"picture"`, `"contentType":"image/jpeg"`, `"role":"caption"`,
		`"rel":"section","uri":"http://dateline.test/business"`, `"role":"update"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("AFP story lacks %s", want)
		}
	}
	if strings.Contains(body, `"slug"`) || strings.Contains(body, "oil-prices-rise") && strings.Contains(body, `"uri":"http://dateline.test/business/`) {
		t.Error("the uri must be built from the id, never the slug")
	}
	ar := docs(t, walk(t, demo.Handler, "/api/v1/stories?language=ar", ""))
	if len(ar) != 2 {
		t.Errorf("%d Arabic stories, want 2", len(ar))
	}
	for _, d := range ar {
		if d.Language != "ar" {
			t.Errorf("%s has language %q", d.URI, d.Language)
		}
	}
}

// TestTombstoneIsValidNinjs: the change list's tombstones validate too.
func TestTombstoneIsValidNinjs(t *testing.T) {
	site := newSite(t)
	id := mustPublish(t, site, "A story to take down")
	since := stampNow(t, site, id)
	setStatus(t, site, id, story.StatusKilled)
	for _, tc := range []struct{ format, version string }{{"", "3.1"}, {"ninjs2", "2.2"}} {
		list := walk(t, site.Handler, "/api/v1/stories?updated_since="+since+"&format="+tc.format, "")
		if len(list) != 1 {
			t.Fatalf("change list: %d items, want the killed story", len(list))
		}
		validate(t, ninjsSchema(t, tc.version, true), "tombstone "+tc.format, list[0])
	}
}
