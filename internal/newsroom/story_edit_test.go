package newsroom_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

// TestConcurrentEditConflict: two people open the same version; the
// second save is refused with a clear message and its text shown back,
// and the first save stays.
func TestConcurrentEditConflict(t *testing.T) {
	f := newEdFixture(t)
	a, b := f.as(t, store.RoleEditor), f.as(t, store.RoleAdmin)
	st := f.seed(t, a.user, story.StatusDraft, "Shared draft")
	first := f.storyForm("Alice's headline", "Alice's body.")
	first.Set("version", strconv.Itoa(st.Version))
	if res := a.post(t, edPath(st.ID, ""), first); res.status != http.StatusSeeOther {
		t.Fatalf("first save: %d %s", res.status, edErrors(res.body))
	}
	second := f.storyForm("Bob's headline", "Bob's <b>careful</b> body.")
	second.Set("version", strconv.Itoa(st.Version))
	res := b.post(t, edPath(st.ID, ""), second)
	if res.status != http.StatusConflict {
		t.Fatalf("stale save: %d, want 409", res.status)
	}
	edContain(t, res.body, "Editor saved this story at", "nothing was overwritten", `value="Bob&#39;s headline"`,
		"Bob&#39;s &lt;b&gt;careful&lt;/b&gt; body.")
	if got := f.story(t, st.ID); got.Headline != "Alice's headline" {
		t.Errorf("headline %q: the stale save overwrote", got.Headline)
	}
}

// TestAutosaveAfterSessionExpiry: autosave keeps the text; when the
// session has ended it answers 401 JSON, and after signing in again the
// editor shows the autosaved text.
func TestAutosaveAfterSessionExpiry(t *testing.T) {
	f := newEdFixture(t)
	rep := f.as(t, store.RoleReporter)
	id := rep.create(t, f.storyForm("Draft in progress", "First words."))
	st := f.story(t, id)
	auto := f.storyForm("Draft in progress", "First words. Then a long paragraph typed before lunch.")
	auto.Set("version", strconv.Itoa(st.Version))
	res := rep.post(t, edPath(id, "/autosave"), auto, "Accept", "application/json")
	if res.status != 200 {
		t.Fatalf("autosave: %d %s", res.status, res.body)
	}
	var j struct {
		OK         bool `json:"ok"`
		SavedDraft bool `json:"saved_draft"`
		Version    int  `json:"version"`
		Words      int  `json:"words"`
	}
	if err := json.Unmarshal([]byte(res.body), &j); err != nil || !j.OK || !j.SavedDraft || j.Version != st.Version+1 || j.Words != 9 {
		t.Fatalf("autosave answered %s (%v)", res.body, err)
	}
	// A second autosave replaces the first revision rather than adding one.
	n := len(mustRevisions(t, f, id))
	auto.Set("version", strconv.Itoa(j.Version))
	auto.Set("body", "First words. Then a long paragraph typed before lunch, and more after it.")
	auto.Set("headline", "") // invalid: kept as an autosave revision, the draft is not touched
	res = rep.post(t, edPath(id, "/autosave"), auto, "Accept", "application/json")
	if res.status != 200 || !strings.Contains(res.body, `"saved_draft":false`) {
		t.Fatalf("second autosave: %d %s", res.status, res.body)
	}
	if got := len(mustRevisions(t, f, id)); got != n {
		t.Errorf("%d revisions after a second autosave, want %d", got, n)
	}
	// The session ends (idle too long); the next autosave gets 401 JSON.
	sessionID := auth.TokenID(rep.cookie.Value)
	if err := f.store.TouchSession(context.Background(), sessionID, time.Now().Add(-auth.IdleTimeout-time.Minute)); err != nil {
		t.Fatal(err)
	}
	auto.Set("body", "Typed after the session ended.")
	res = rep.post(t, edPath(id, "/autosave"), auto, "Accept", "application/json")
	if res.status != http.StatusUnauthorized || !strings.Contains(res.body, "signed_out") {
		t.Fatalf("autosave without a session: %d %s", res.status, res.body)
	}
	// Sign in again: the editor shows the newest autosaved text.
	rep = f.login(t, rep.user)
	page := rep.get(t, edPath(id, ""))
	edContain(t, page.body, "your autosaved text", "and more after it.")
	if strings.Contains(page.body, "Typed after the session ended.") {
		t.Error("text refused for want of a session was stored")
	}
}

func mustRevisions(tb testing.TB, f *edFixture, id int64) []store.Revision {
	tb.Helper()
	revs, err := f.store.Revisions(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return revs
}

// TestStagedEditOfLiveStory: editing a published story stages the change;
// readers see the old version until an editor publishes the changes, and
// a minor edit keeps the Updated time.
func TestStagedEditOfLiveStory(t *testing.T) {
	f := newEdFixture(t)
	ed := f.as(t, store.RoleEditor)
	st := f.seed(t, ed.user, story.StatusPublished, "Original live headline")
	form := f.storyForm("Corrected live headline", "New body text.")
	form.Set("version", strconv.Itoa(st.Version))
	res := ed.post(t, edPath(st.ID, ""), form)
	if res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Location"), "done=staged") {
		t.Fatalf("staged save: %d %s %s", res.status, res.header.Get("Location"), edErrors(res.body))
	}
	pub := f.anon().get(t, st.Path())
	edContain(t, pub.body, "<h1>Original live headline</h1>")
	if strings.Contains(pub.body, "Corrected live headline") {
		t.Fatal("readers see the staged edit")
	}
	page := ed.get(t, edPath(st.ID, ""))
	edContain(t, page.body, `value="Corrected live headline"`, "staged edit", "Publish staged changes")
	pending, err := f.store.PendingRevision(t.Context(), st.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A second staged save from the same page goes on from the staged revision.
	form.Set("pending", strconv.FormatInt(pending.ID, 10))
	form.Set("standfirst", "A better standfirst.")
	if res := ed.post(t, edPath(st.ID, ""), form); res.status != http.StatusSeeOther {
		t.Fatalf("second staged save: %d %s", res.status, edErrors(res.body))
	}
	// A minor edit: published without moving Updated.
	if res := ed.post(t, edPath(st.ID, "/publish-changes"), url.Values{"minor": {"1"}}); res.status != http.StatusSeeOther {
		t.Fatalf("publish changes: %d %s", res.status, edErrors(res.body))
	}
	got := f.story(t, st.ID)
	if got.Headline != "Corrected live headline" || got.Standfirst != "A better standfirst." {
		t.Errorf("after publish changes: %q / %q", got.Headline, got.Standfirst)
	}
	if !got.UpdatedAt.Equal(st.UpdatedAt) {
		t.Errorf("a minor edit moved Updated from %v to %v", st.UpdatedAt, got.UpdatedAt)
	}
	edContain(t, f.anon().get(t, st.Path()).body, "<h1>Corrected live headline</h1>")
	if _, err := f.store.PendingRevision(t.Context(), st.ID); err == nil {
		t.Error("the staged revision is still pending")
	}
	// A normal edit moves Updated.
	form = f.storyForm("Corrected live headline, again", "New body text.")
	form.Set("version", strconv.Itoa(got.Version))
	form.Set("action", "publish_changes")
	if res := ed.post(t, edPath(st.ID, ""), form); res.status != http.StatusSeeOther {
		t.Fatalf("save and publish changes: %d %s", res.status, edErrors(res.body))
	}
	if again := f.story(t, st.ID); !again.UpdatedAt.After(got.UpdatedAt) || again.Headline != "Corrected live headline, again" {
		t.Errorf("a non-minor edit: Updated %v (was %v), headline %q", again.UpdatedAt, got.UpdatedAt, again.Headline)
	}
}

// TestCorrectionNoteOnPublicPage: a correction is kept as data and shown
// on the story page with its time; markup in it stays text.
func TestCorrectionNoteOnPublicPage(t *testing.T) {
	f := newEdFixture(t)
	ed := f.as(t, store.RoleEditor)
	st := f.seed(t, ed.user, story.StatusPublished, "Story with a mistake")
	text := "An earlier version gave the wrong year <script>alert(1)</script>."
	res := ed.post(t, edPath(st.ID, "/notes"), url.Values{"kind": {"correction"}, "text": {text}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("add note: %d %s", res.status, edErrors(res.body))
	}
	got := f.story(t, st.ID)
	if len(got.Notes) != 1 || got.Notes[0].Kind != "correction" || got.Notes[0].Text != text || got.Notes[0].At.IsZero() {
		t.Fatalf("notes %+v", got.Notes)
	}
	pub := f.anon().get(t, st.Path())
	edContain(t, pub.body, `class="note note-correction"`, html.EscapeString(text), `<time datetime="`+got.Notes[0].At.UTC().Format(time.RFC3339))
	if strings.Contains(pub.body, "<script>alert(1)") {
		t.Error("the note's markup reached the page")
	}
	// An empty note is refused.
	if res := ed.post(t, edPath(st.ID, "/notes"), url.Values{"kind": {"update"}, "text": {"  "}}); res.status != http.StatusBadRequest {
		t.Errorf("empty note: %d", res.status)
	}
}
