package newsroom_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// TestWireRoutingAdmin drives the routing screen: admins only, cross-site
// posts refused, each bad field named, rules added, changed, moved and
// deleted in order, a source's default section set, and the audit log.
func TestWireRoutingAdmin(t *testing.T) {
	site := newSite(t)
	site.MustUser("admin@example.com", "Ada Admin", store.RoleAdmin, pw)
	site.MustUser("ed@example.com", "Eda Editor", store.RoleEditor, pw)
	admin, editor := testutil.NewClient(site.Handler), testutil.NewClient(site.Handler)
	admin.Login("admin@example.com", pw)
	editor.Login("ed@example.com", pw)
	ctx := context.Background()
	aa, _ := site.Store.EnsureSource(ctx, story.Source{Label: "AA", Name: "Anadolu Agency"})
	world, _ := site.Store.SectionBySlug(ctx, "world")
	sportID, err := site.Store.CreateSection(ctx, story.Section{Slug: "sport", Name: "Sport", Position: 1})
	if err != nil {
		t.Fatal(err)
	}
	sec := func(id int64) string { return fmt.Sprint(id) }
	good := url.Values{"source": {"aa"}, "subject": {"http://cv.iptc.org/newscodes/mediatopic/15000000"}, "keyword": {""},
		"section": {sec(sportID)}, "action": {"publish"}}

	if w := editor.Get("/newsroom/routing"); w.Code != http.StatusForbidden {
		t.Errorf("editor sees the rules: %d, want 403", w.Code)
	}
	for _, path := range []string{"/newsroom/routing", "/newsroom/routing/1", "/newsroom/routing/1/delete", "/newsroom/routing/1/move",
		fmt.Sprintf("/newsroom/sources/%d/default-section", aa.ID)} {
		if w := editor.PostForm(path, good); w.Code != http.StatusForbidden {
			t.Errorf("editor posts %s: %d, want 403", path, w.Code)
		}
	}
	// A form posted from another site is refused before the handler runs.
	r := httptest.NewRequest(http.MethodPost, "/newsroom/routing", strings.NewReader(good.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	if w := admin.Do(r); w.Code != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", w.Code)
	}
	if rules, _ := site.Store.WireRoutes(ctx); len(rules) != 0 {
		t.Fatalf("refused posts made rules: %+v", rules)
	}

	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vals := range good {
			f[key] = vals
		}
		f.Set(k, v)
		return f
	}
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{with("source", "nope"), "Source: there is no wire source"},
		{with("section", ""), "Section: choose"},
		{with("section", "999999"), "Section: choose"},
		{with("action", "maybe"), "On a match: choose"},
		{with("keyword", "!!!"), "Keyword: needs a letter or a digit."},
		{with("keyword", strings.Repeat("k", 101)), "Keyword: at most 100 characters."},
		{with("subject", "*"), "Subject: a * may only end a code"},
		{url.Values{"section": {sec(sportID)}, "action": {"queue"}}, "at least one condition"},
	} {
		w := admin.PostForm("/newsroom/routing", tc.form)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("add %v: %d, want 400 saying %q", tc.form, w.Code, tc.want)
		}
	}
	// A refused form comes back filled in.
	if w := admin.PostForm("/newsroom/routing", with("action", "")); !strings.Contains(w.Body.String(), `value="medtop:15000000"`) {
		t.Error("the refused form lost its subject")
	}

	if w := admin.PostForm("/newsroom/routing", good); w.Code != http.StatusSeeOther {
		t.Fatalf("add: %d %s", w.Code, w.Body.String())
	}
	if w := admin.PostForm("/newsroom/routing", url.Values{"keyword": {"  election  results "}, "section": {sec(world.ID)}, "action": {"queue"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("add a second: %d", w.Code)
	}
	rules, _ := site.Store.WireRoutes(ctx)
	if len(rules) != 2 || rules[0].SourceID != aa.ID || rules[0].Subject != "medtop:15000000" || !rules[0].Publish ||
		rules[0].SectionID != sportID || rules[1].Keyword != "election results" || rules[1].Publish || rules[1].SourceID != 0 {
		t.Fatalf("stored rules %+v", rules)
	}
	page := admin.Get("/newsroom/routing").Body.String()
	if !strings.Contains(page, `value="medtop:15000000"`) || !strings.Contains(page, `value="election results"`) {
		t.Error("the list does not show the rules")
	}

	// Change the second, move it up, delete the first.
	base := fmt.Sprintf("/newsroom/routing/%d", rules[1].ID)
	if w := admin.PostForm(base, url.Values{"keyword": {"vote"}, "section": {sec(world.ID)}, "action": {"bogus"}}); w.Code != http.StatusBadRequest ||
		!strings.Contains(w.Body.String(), fmt.Sprintf("Rule %d was not saved. On a match", rules[1].ID)) {
		t.Errorf("bad change: %d", w.Code)
	}
	if w := admin.PostForm(base, url.Values{"source": {"aa"}, "keyword": {"vote"}, "section": {sec(world.ID)}, "action": {"publish"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("change: %d %s", w.Code, w.Body.String())
	}
	if w := admin.PostForm("/newsroom/routing/999999", good); w.Code != http.StatusNotFound {
		t.Errorf("change a missing rule: %d, want 404", w.Code)
	}
	if w := admin.PostForm(base+"/move", url.Values{"dir": {"sideways"}}); w.Code != http.StatusBadRequest {
		t.Errorf("move sideways: %d, want 400", w.Code)
	}
	if w := admin.PostForm(base+"/move", url.Values{"dir": {"up"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("move: %d", w.Code)
	}
	got, _ := site.Store.WireRoutes(ctx)
	if len(got) != 2 || got[0].ID != rules[1].ID || got[0].Keyword != "vote" || got[0].SourceID != aa.ID || !got[0].Publish {
		t.Fatalf("after change and move: %+v", got)
	}
	if w := admin.PostForm(fmt.Sprintf("/newsroom/routing/%d/delete", rules[0].ID), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d", w.Code)
	}
	if w := admin.PostForm(fmt.Sprintf("/newsroom/routing/%d/delete", rules[0].ID), nil); w.Code != http.StatusNotFound {
		t.Errorf("delete twice: %d, want 404", w.Code)
	}
	if got, _ := site.Store.WireRoutes(ctx); len(got) != 1 || got[0].ID != rules[1].ID {
		t.Errorf("after delete: %+v", got)
	}

	// The default section: by name, made later; reserved names refused.
	def := fmt.Sprintf("/newsroom/sources/%d/default-section", aa.ID)
	for name, want := range map[string]string{"Search": "Default section: The address /search is reserved", "???": "Default section: The name needs letters",
		"a.b": "Default section: A section name cannot contain a dot"} {
		if w := admin.PostForm(def, url.Values{"section": {name}}); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), want) {
			t.Errorf("default section %q: %d, want 400 saying %q", name, w.Code, want)
		}
	}
	if w := admin.PostForm("/newsroom/sources/999999/default-section", url.Values{"section": {"News"}}); w.Code != http.StatusNotFound {
		t.Errorf("default section of a missing source: %d, want 404", w.Code)
	}
	if w := admin.PostForm(def, url.Values{"section": {"  Breaking   News "}}); w.Code != http.StatusSeeOther {
		t.Fatalf("default section: %d", w.Code)
	}
	if defs, _ := site.Store.WireSourceSections(ctx); defs[aa.ID] != "Breaking News" {
		t.Errorf("stored default %v", defs)
	}
	if page := admin.Get("/newsroom/routing").Body.String(); !strings.Contains(page, `value="Breaking News"`) || !strings.Contains(page, "made on first use") {
		t.Error("the page does not show the default section")
	}

	log, _ := site.Store.AuditLog(ctx, 0, 10)
	var acts []string
	for _, e := range log {
		if e.Action != "login" {
			acts = append(acts, e.Action)
		}
	}
	if want := "source_default_section wire_route_delete wire_route_move wire_route_change wire_route_add wire_route_add"; strings.Join(acts, " ") != want {
		t.Errorf("audit %v, want %s", acts, want)
	}
}

// TestWireQueueSectionFilter routes real samples to two sections and
// filters the queue by the section items were routed to.
func TestWireQueueSectionFilter(t *testing.T) {
	d := newWireDesk(t)
	ctx := context.Background()
	bizID, err := d.site.Store.CreateSection(ctx, story.Section{Slug: "business", Name: "Business", Position: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.site.Store.CreateWireRoute(ctx, store.WireRoute{Subject: "medtop:04000000", SectionID: bizID}); err != nil {
		t.Fatal(err)
	}
	// IPTC's LISTING_1 has the economy topic medtop:04000000.
	importAs(t, d.site, "Econ", nil, "../../testdata/wire/newsml-g2/iptc-examples/LISTING_1_A_NewsML-G2_News_Item.xml", nil)
	rows := queueRows(t, d.editor, "/newsroom/wire?section=business")
	if len(rows) != 1 || !strings.Contains(rows[0], "Fed to halt QE") || !strings.Contains(rows[0], "<td>Business</td>") {
		t.Fatalf("business rows: %v", rows)
	}
	items, _ := d.site.Store.WireQueue(ctx, store.WireQueueQuery{SectionID: bizID})
	if page := d.editor.Get(fmt.Sprintf("/newsroom/wire/%d", items[0].ID)).Body.String(); !strings.Contains(page, "<dt>Section</dt><dd>Business") {
		t.Error("the item's page does not say where it was routed")
	}
	world := queueRows(t, d.editor, "/newsroom/wire?section=world")
	if len(world) != 6 || strings.Contains(strings.Join(world, ""), "<td>Business</td>") {
		t.Errorf("world rows: %d", len(world))
	}
	if rows := queueRows(t, d.editor, "/newsroom/wire?section=business&source=iptc"); len(rows) != 0 {
		t.Errorf("business and IPTC: %d rows, want 0", len(rows))
	}
	w := d.editor.Get("/newsroom/wire?section=nope")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Section: there is no section") {
		t.Errorf("unknown section: %d", w.Code)
	}
	// A queued correction says so on its page, with the agency's note.
	importAs(t, d.site, "dpa", nil, "../../testdata/wire/newsml-g2/real-world/dpa/tvo_pol.xml", nil)
	corr, _ := d.site.Store.WireQueue(ctx, store.WireQueueQuery{Text: "Tagesvorschau"})
	if len(corr) != 1 || !strings.Contains(d.editor.Get(fmt.Sprintf("/newsroom/wire/%d", corr[0].ID)).Body.String(),
		"the agency flags this version as a correction: <q dir=\"auto\">Uhrzeit korrigiert</q>") {
		t.Error("the queued correction's page does not say so")
	}
	if page := d.editor.Get("/newsroom/wire?section=business").Body.String(); !strings.Contains(page, `<option value="business" selected>Business</option>`) ||
		!strings.Contains(page, `href="/newsroom/wire" aria-current="page">Wire</a>`) {
		t.Error("the filter does not show its choice, or the navigation lost its place")
	}
}
