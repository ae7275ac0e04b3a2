package newsroom_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// TestRevisionDiffAndRestore: every save is a revision; two revisions
// compare side by side with the changed words marked (and escaped), and
// restoring an old one makes it current as a new revision.
func TestRevisionDiffAndRestore(t *testing.T) {
	f := newEdFixture(t)
	ed := f.as(t, store.RoleEditor)
	id := ed.create(t, f.storyForm("Floods close the port", "Rain fell for three days.\n\nThe port is closed."))
	st := f.story(t, id)
	form := f.storyForm("Floods close the <main> port", "Rain fell for four days.\n\nThe port is closed.\n\nShips wait offshore.")
	form.Set("version", strconv.Itoa(st.Version))
	if res := ed.post(t, edPath(id, ""), form); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.status, edErrors(res.body))
	}
	revs := mustRevisions(t, f, id)
	if len(revs) != 2 || revs[0].Number != 2 || revs[0].UserName != "Editor" || revs[0].Kind != "save" {
		t.Fatalf("revisions %+v", revs)
	}
	list := ed.get(t, edPath(id, "/revisions"))
	edContain(t, list.body, `name="a" value="`+strconv.FormatInt(revs[1].ID, 10)+`" checked`, "Restore")
	cmp := ed.get(t, edPath(id, "/compare?a="+strconv.FormatInt(revs[0].ID, 10)+"&b="+strconv.FormatInt(revs[1].ID, 10)))
	if cmp.status != 200 {
		t.Fatalf("compare: %d %s", cmp.status, edErrors(cmp.body))
	}
	edContain(t, cmp.body, "<del>three</del>", "<ins>four</ins>", "<ins>&lt;main&gt; </ins>", "<ins>\n\nShips wait offshore.</ins>",
		"Compare revisions 1 and 2")
	// Restore revision 1: the old text is current, as revision 3.
	res := ed.post(t, edPath(id, "/revisions/"+strconv.FormatInt(revs[1].ID, 10)+"/restore"), nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("restore: %d %s", res.status, edErrors(res.body))
	}
	got := f.story(t, id)
	if got.Headline != "Floods close the port" || !strings.Contains(got.BodySource, "three days") {
		t.Errorf("after restore: %q %q", got.Headline, got.BodySource)
	}
	if revs := mustRevisions(t, f, id); len(revs) != 3 || revs[0].Kind != "restore" {
		t.Errorf("after restore the revisions are %+v", revs)
	}
	// A revision of another story cannot be restored here.
	other := f.seed(t, ed.user, story.StatusDraft, "Another story")
	if res := ed.post(t, edPath(other.ID, "/revisions/"+strconv.FormatInt(revs[1].ID, 10)+"/restore"), nil); res.status != http.StatusNotFound {
		t.Errorf("restoring another story's revision: %d", res.status)
	}
}

// TestPreviewAndSharedLink: the preview renders the unsaved form with the
// public story template; a shared link shows the saved version without a
// session, 404 when tampered with, 410 once expired.
func TestPreviewAndSharedLink(t *testing.T) {
	f := newEdFixture(t)
	ed := f.as(t, store.RoleEditor)
	st := f.seed(t, ed.user, story.StatusDraft, "Draft for the lawyers")
	form := f.storyForm("Unsaved preview headline", "Preview **body**.")
	res := ed.post(t, edPath(st.ID, "/preview"), form)
	if res.status != 200 {
		t.Fatalf("preview: %d %s", res.status, res.body)
	}
	edContain(t, res.body, `<article class="story"`, "<h1>Unsaved preview headline</h1>", "<strong>body</strong>", `noindex`)
	if f.story(t, st.ID).Headline != "Draft for the lawyers" {
		t.Error("the preview saved the story")
	}
	res = ed.post(t, edPath(st.ID, "/share"), url.Values{"ttl": {"1d"}})
	m := regexp.MustCompile(`value="http://dateline.test(/newsroom/share/[A-Za-z0-9_-]+)"`).FindStringSubmatch(res.body)
	if res.status != 200 || m == nil {
		t.Fatalf("share: %d %s", res.status, edErrors(res.body))
	}
	anon := f.anon()
	if res := anon.get(t, m[1]); res.status != 200 || !strings.Contains(res.body, "<h1>Draft for the lawyers</h1>") {
		t.Errorf("shared link: %d", res.status)
	}
	if res := anon.get(t, m[1][:len(m[1])-2]+"xx"); res.status != http.StatusNotFound {
		t.Errorf("tampered link: %d", res.status)
	}
	if res := anon.get(t, "/newsroom/share/nonsense"); res.status != http.StatusNotFound {
		t.Errorf("nonsense link: %d", res.status)
	}
	// An expired link: signed in the past with the same secret.
	expired := expiredShareLink(t, f, st.ID)
	if res := anon.get(t, expired); res.status != http.StatusGone {
		t.Errorf("expired link: %d", res.status)
	}
	// The reader's site still does not show the draft.
	if res := anon.get(t, st.Path()); res.status != http.StatusNotFound {
		t.Errorf("draft on the public site: %d", res.status)
	}
}

// expiredShareLink asks the newsroom for a link while its clock is a week
// behind, by building a second handler on the same store.
func expiredShareLink(t *testing.T, f *edFixture, id int64) string {
	t.Helper()
	return "/newsroom/share/" + signShare(t, f, id, time.Now().Add(-time.Hour))
}

// TestPreviewShowsAnUploadedLead: a lead picture chosen in the form shows
// in the preview before any save, and saving the same form afterwards
// leaves one library item for it, the story's lead, uploaded once in the
// audit log.
func TestPreviewShowsAnUploadedLead(t *testing.T) {
	f := newEdFixture(t)
	ed := f.as(t, store.RoleEditor)
	ctx := context.Background()
	before, err := f.store.MediaLibrary(ctx, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	picture := admJPEG(t, 1200, 800, 42)
	multipartForm := func(path string, form url.Values) edResponse {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, vs := range form {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		fw, _ := mw.CreateFormFile("lead_file", "harbour.jpg")
		fw.Write(picture)
		mw.Close()
		r := httptest.NewRequest(http.MethodPost, path, &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		return ed.do(t, r)
	}
	form := f.storyForm("Harbour reopens", "Ships moved again.")
	form.Set("lead_caption", "The harbour at dawn")
	form.Set("lead_alt", "Cranes over an empty quay")
	res := multipartForm("/newsroom/stories/new/preview", form)
	if res.status != 200 {
		t.Fatalf("preview: %d %s", res.status, edErrors(res.body))
	}
	after, err := f.store.MediaLibrary(ctx, "", 100)
	if err != nil || len(after) != len(before)+1 {
		t.Fatalf("library: %d items after the preview, was %d (%v)", len(after), len(before), err)
	}
	pic := after[0]
	edContain(t, res.body, `class="lead-pic"`, pic.Hash, `alt="Cranes over an empty quay"`, "The harbour at dawn")

	id := createdID(t, multipartForm("/newsroom/stories/new", form))
	if st := f.story(t, id); st.Lead == nil || st.Lead.MediaID != pic.ID {
		t.Errorf("the story's lead: %+v, want library item %d", st.Lead, pic.ID)
	}
	if again, _ := f.store.MediaLibrary(ctx, "", 100); len(again) != len(after) {
		t.Errorf("library: %d items after the save, want %d (the same picture is one item)", len(again), len(after))
	}
	// The new item is in the audit log once, as the editor's upload.
	log, err := f.store.AuditEntries(ctx, store.AuditQuery{Action: "media_upload", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Target != "media:"+strconv.FormatInt(pic.ID, 10) || log[0].UserID != ed.user.ID {
		t.Errorf("media_upload entries: %+v, want one for media:%d by %d", log, pic.ID, ed.user.ID)
	}
}
