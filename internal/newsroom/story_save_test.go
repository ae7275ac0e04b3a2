package newsroom_test

import (
	"html"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/story"
)

func TestEditorWriteSubmitPublish(t *testing.T) {
	f := newEdFixture(t)
	rep := f.as(t, store.RoleReporter)
	if res := rep.get(t, "/newsroom/stories/new"); res.status != 200 {
		t.Fatalf("new story form: %d", res.status)
	} else {
		edContain(t, res.body, `name="headline"`, `<option value="`+strconv.FormatInt(f.world.ID, 10)+`">World</option>`,
			`src="/static/newsroom.`, `enctype="multipart/form-data"`)
	}
	form := f.storyForm("Ministers meet in <Geneva> & talk", "The talks **began** at dawn.\n\n## Next\n\nMore words here.")
	id := rep.create(t, form)
	st := f.story(t, id)
	if st.Status != story.StatusDraft || st.Headline != "Ministers meet in <Geneva> & talk" || st.Slug != "ministers-meet-in-geneva-talk" {
		t.Errorf("created %s %q %q", st.Status, st.Headline, st.Slug)
	}
	if len(st.Bylines) != 2 || st.Bylines[0].AuthorID != f.author.ID || st.Bylines[1].Name != "Guest Writer" || st.Bylines[1].AuthorID != 0 {
		t.Errorf("bylines %+v", st.Bylines)
	}
	if len(st.Tags) != 2 || st.Tags[1].Slug != "black-sea" {
		t.Errorf("tags %+v", st.Tags)
	}
	meta, _ := f.store.StoryMeta(t.Context(), id)
	if meta.OwnerID != rep.user.ID {
		t.Errorf("owner %d, want %d", meta.OwnerID, rep.user.ID)
	}
	// The editor shows the text escaped, with word count and reading time.
	res := rep.get(t, edPath(id, ""))
	edContain(t, res.body, `value="Ministers meet in &lt;Geneva&gt; &amp; talk"`, `<span id="wordcount">9</span>`, `<span id="readtime">1</span>`)
	// A validation error keeps the text and says what is wrong.
	bad := f.storyForm("", "Kept body text.")
	bad.Set("version", strconv.Itoa(st.Version))
	res = rep.post(t, edPath(id, ""), bad)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("empty headline: %d", res.status)
	}
	edContain(t, res.body, "Write a headline.", "Kept body text.")
	// Submit.
	form.Set("version", strconv.Itoa(st.Version))
	form.Set("action", "submit")
	if res := rep.post(t, edPath(id, ""), form); res.status != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", res.status, edErrors(res.body))
	}
	st = f.story(t, id)
	if st.Status != story.StatusSubmitted {
		t.Fatalf("status %s after submit", st.Status)
	}
	// The reporter cannot publish.
	form.Set("version", strconv.Itoa(st.Version))
	form.Set("action", "publish")
	if res := rep.post(t, edPath(id, ""), form); res.status != http.StatusForbidden {
		t.Errorf("reporter publish: %d", res.status)
	}
	// The editor publishes; it is on the front page.
	ed := f.as(t, store.RoleEditor)
	if res := ed.post(t, edPath(id, ""), form); res.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.status, edErrors(res.body))
	}
	st = f.story(t, id)
	if st.Status != story.StatusPublished || st.FirstPublishedAt.IsZero() {
		t.Fatalf("after publish: %s %v", st.Status, st.FirstPublishedAt)
	}
	front := f.anon().get(t, "/")
	edContain(t, front.body, html.EscapeString(st.Headline))
	page := f.anon().get(t, st.Path())
	if page.status != 200 {
		t.Fatalf("story page %d", page.status)
	}
	if strings.Contains(page.body, "<Geneva>") {
		t.Error("headline markup reached the page unescaped")
	}
	// Every save is a revision; the state changes are audited.
	revs, _ := f.store.Revisions(t.Context(), id)
	if len(revs) < 3 {
		t.Errorf("%d revisions, want at least 3 (create, submit save, publish)", len(revs))
	}
	log, _ := f.store.AuditLog(t.Context(), 0, 50)
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"create_story", "submit", "publish"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit log lacks %s: %v", want, actions)
		}
	}
}
