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
)

func TestWireItemPage(t *testing.T) {
	d := newWireDesk(t)
	id := d.ids["Harbour strike in Rotterdam ends after talks"]
	w := d.reporter.Get(fmt.Sprintf("/newsroom/wire/%d", id))
	if w.Code != http.StatusOK {
		t.Fatalf("item page: %d", w.Code)
	}
	page := w.Body.String()
	for _, want := range []string{"<p>", "Container traffic halted for a day", "urn:newsml:dateline.test", "version 2",
		">v1</a>", ">v2</a>", "superseded", "Harbour workers strike in Rotterdam", `aria-current="true"`} {
		if !strings.Contains(page, want) {
			t.Errorf("item page lacks %q", want)
		}
	}
	page = d.editor.Get(fmt.Sprintf("/newsroom/wire/%d", d.ids["Ferry passengers rescued off Istanbul"])).Body.String()
	if !strings.Contains(page, "1 picture(s) not fetched: picture http://127.0.0.1:") || !strings.Contains(page, "refused private address") {
		t.Error("the item page does not say why its picture is missing")
	}
	page = d.editor.Get(fmt.Sprintf("/newsroom/wire/%d", d.ids["Budget to raise spending on ports"])).Body.String()
	if !strings.Contains(page, "Held until") || !strings.Contains(page, "Schedule for the embargo") {
		t.Error("the embargoed item does not say it is held")
	}
	for _, p := range []string{"/newsroom/wire/999999", "/newsroom/wire/x"} {
		if w := d.editor.Get(p); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
	}
}

func TestWireActions(t *testing.T) {
	d := newWireDesk(t)
	ctx := context.Background()
	harbour, ferry, budget := d.ids["Harbour strike in Rotterdam ends after talks"], d.ids["Ferry passengers rescued off Istanbul"],
		d.ids["Budget to raise spending on ports"]
	for _, a := range []string{"use", "publish", "spike"} {
		if w := d.reporter.PostForm(fmt.Sprintf("/newsroom/wire/%d/%s", harbour, a), nil); w.Code != http.StatusForbidden {
			t.Errorf("reporter %s: %d, want 403", a, w.Code)
		}
	}
	r := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/newsroom/wire/%d/use", harbour), strings.NewReader(""))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	if w := d.editor.Do(r); w.Code != http.StatusForbidden {
		t.Errorf("cross-site use: %d, want 403", w.Code)
	}
	if it, _ := d.site.Store.WireItem(ctx, harbour); it.State != "queued" {
		t.Fatalf("refused requests changed the item: %s", it.State)
	}

	// Use: a draft, attributed to the source, owned by the editor, open in the editor.
	w := d.editor.PostForm(fmt.Sprintf("/newsroom/wire/%d/use", harbour), url.Values{})
	loc := w.Header().Get("Location")
	var storyID int64
	if _, err := fmt.Sscanf(loc, "/newsroom/stories/%d", &storyID); w.Code != http.StatusSeeOther || err != nil {
		t.Fatalf("use: %d %q %s", w.Code, loc, w.Body.String())
	}
	st, err := d.site.Store.Story(ctx, storyID)
	if err != nil || st.Status != story.StatusDraft || st.Source == nil || st.Source.Label != "DTW" || st.WireVersion != 2 ||
		st.Headline != "Harbour strike in Rotterdam ends after talks" || len(st.Body) == 0 {
		t.Fatalf("used story %+v %v", st, err)
	}
	if meta, _ := d.site.Store.StoryMeta(ctx, storyID); meta.OwnerID == 0 {
		t.Error("the draft has no owner")
	}
	if ed := d.editor.Get(loc); ed.Code != http.StatusOK || !strings.Contains(ed.Body.String(), "Harbour strike in Rotterdam ends") {
		t.Errorf("the editor does not open the draft: %d", ed.Code)
	}
	if w := d.editor.PostForm(fmt.Sprintf("/newsroom/wire/%d/use", harbour), nil); w.Code != http.StatusConflict {
		t.Errorf("use twice: %d, want 409", w.Code)
	}

	// Publish now: public at once, with its source.
	w = d.admin.PostForm(fmt.Sprintf("/newsroom/wire/%d/publish", ferry), nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", w.Code, w.Body.String())
	}
	it, _ := d.site.Store.WireItem(ctx, ferry)
	pub, err := d.site.Store.Story(ctx, it.StoryID)
	if err != nil || it.State != "published" || pub.Status != story.StatusPublished || pub.FirstPublishedAt.IsZero() {
		t.Fatalf("published: item %s, story %+v %v", it.State, pub, err)
	}
	if page := d.reporter.Get(pub.Path()); page.Code != http.StatusOK {
		t.Errorf("the published story answers %d", page.Code)
	}

	// Spike: off the queue, kept in the history.
	if w := d.editor.PostForm(fmt.Sprintf("/newsroom/wire/%d/spike", budget), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("spike: %d", w.Code)
	}
	rows := strings.Join(queueRows(t, d.editor, "/newsroom/wire"), "")
	for _, gone := range []string{"Budget to raise", "Ferry passengers", "Harbour strike"} {
		if strings.Contains(rows, gone) {
			t.Errorf("%q is still queued", gone)
		}
	}
	if page := d.editor.Get(fmt.Sprintf("/newsroom/wire/%d", budget)).Body.String(); !strings.Contains(page, "spiked") {
		t.Error("the spiked item's page does not say so")
	}
	log, _ := d.site.Store.AuditLog(ctx, 0, 10)
	var got []string
	for _, e := range log {
		if strings.HasPrefix(e.Action, "wire_") {
			got = append(got, e.Action+" "+e.Target)
		}
	}
	want := []string{fmt.Sprintf("wire_spike wire:%d", budget), fmt.Sprintf("wire_publish wire:%d", ferry), fmt.Sprintf("wire_use wire:%d", harbour)}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("audit %v, want %v", got, want)
	}
}

// TestWireOfferedVersion uses an item, then receives its next version:
// the desk offers it as an update to the draft, where it can be spiked
// but not used again.
func TestWireOfferedVersion(t *testing.T) {
	d := newWireDesk(t)
	importAs(t, d.site, "DTW", nil, "../wire/testdata/g2_court_v1.xml", nil)
	items, _ := d.site.Store.WireQueue(context.Background(), store.WireQueueQuery{Limit: 1})
	w := d.editor.PostForm(fmt.Sprintf("/newsroom/wire/%d/use", items[0].ID), nil)
	var storyID int64
	if _, err := fmt.Sscanf(w.Header().Get("Location"), "/newsroom/stories/%d", &storyID); err != nil {
		t.Fatalf("use: %d %v", w.Code, err)
	}
	importAs(t, d.site, "DTW", nil, "../wire/testdata/g2_court_v3_released.xml", nil)
	rows := queueRows(t, d.editor, "/newsroom/wire?q=court")
	if len(rows) != 1 || !strings.Contains(rows[0], fmt.Sprintf(`href="/newsroom/stories/%d">update to story %d</a>`, storyID, storyID)) {
		t.Fatalf("the offered version is not on the desk: %v", rows)
	}
	items, _ = d.site.Store.WireQueue(context.Background(), store.WireQueueQuery{Text: "court"})
	offered := fmt.Sprintf("/newsroom/wire/%d", items[0].ID)
	page := d.editor.Get(offered).Body.String()
	if !strings.Contains(page, "A later version of") || strings.Contains(page, offered+"/use") {
		t.Error("the offered version's page does not point at its story, or offers Use")
	}
	if w := d.editor.PostForm(offered+"/use", nil); w.Code != http.StatusConflict {
		t.Errorf("use of an offered version: %d, want 409", w.Code)
	}
	if w := d.editor.PostForm(offered+"/spike", nil); w.Code != http.StatusSeeOther {
		t.Errorf("spike of an offered version: %d", w.Code)
	}
	if rows := queueRows(t, d.editor, "/newsroom/wire?q=court"); len(rows) != 0 {
		t.Errorf("spiked version still listed")
	}
}
