package newsroom_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

// TestStoryRoleMatrix tries every story action of the editor as each
// role, on a story in the state the action applies to, owned by someone
// else unless the case says otherwise: allowed actions succeed, refused
// ones answer 403 and change nothing.
func TestStoryRoleMatrix(t *testing.T) {
	f := newEdFixture(t)
	hash, _ := auth.HashPassword(edPassword)
	other := f.addUser(t, "colleague", store.RoleReporter, hash)
	clients := map[store.Role]*edClient{}
	for _, role := range []store.Role{store.RoleReporter, store.RoleEditor, store.RoleAdmin} {
		clients[role] = f.as(t, role)
	}
	type action struct {
		name   string
		status story.Status // state of the story acted on
		own    bool         // owned by the acting user
		do     func(c *edClient, st *story.Story) edResponse
		after  story.Status // state when allowed
	}
	save := func(act string) func(c *edClient, st *story.Story) edResponse {
		return func(c *edClient, st *story.Story) edResponse {
			form := f.storyForm(st.Headline+" (edited)", "Edited body.")
			form.Set("version", strconv.Itoa(st.Version))
			form.Set("action", act)
			form.Set("schedule_at", "2099-01-02T10:00")
			return c.post(t, edPath(st.ID, ""), form)
		}
	}
	post := func(rest string, form url.Values) func(c *edClient, st *story.Story) edResponse {
		return func(c *edClient, st *story.Story) edResponse { return c.post(t, edPath(st.ID, rest), form) }
	}
	restore := func(c *edClient, st *story.Story) edResponse {
		revs, _ := f.store.Revisions(t.Context(), st.ID)
		if len(revs) == 0 {
			id, _ := f.store.AddRevision(t.Context(), store.Revision{StoryID: st.ID, Kind: "save", Snapshot: *st})
			return c.post(t, edPath(st.ID, "/revisions/"+strconv.FormatInt(id, 10)+"/restore"), nil)
		}
		return c.post(t, edPath(st.ID, "/revisions/"+strconv.FormatInt(revs[0].ID, 10)+"/restore"), nil)
	}
	actions := []action{
		{"edit a colleague's draft", story.StatusDraft, false, save("save"), story.StatusDraft},
		{"edit own submitted story", story.StatusSubmitted, true, save("save"), story.StatusSubmitted},
		{"edit a colleague's submitted story", story.StatusSubmitted, false, save("save"), story.StatusSubmitted},
		{"edit a published story", story.StatusPublished, false, save("save"), story.StatusPublished},
		{"submit a draft", story.StatusDraft, false, save("submit"), story.StatusSubmitted},
		{"publish a submitted story", story.StatusSubmitted, false, save("publish"), story.StatusPublished},
		{"publish own draft", story.StatusDraft, true, post("/publish", nil), story.StatusPublished},
		{"schedule", story.StatusSubmitted, false, save("schedule"), story.StatusScheduled},
		{"unpublish", story.StatusPublished, false, post("/unpublish", nil), story.StatusUnpublished},
		{"spike", story.StatusDraft, true, post("/spike", nil), story.StatusSpiked},
		{"restore from the spike", story.StatusSpiked, false, post("/unspike", nil), story.StatusDraft},
		{"add a correction", story.StatusPublished, false, post("/notes", url.Values{"kind": {"correction"}, "text": {"A name was misspelt."}}), story.StatusPublished},
		{"restore a revision of a draft", story.StatusDraft, false, restore, story.StatusDraft},
		{"restore a revision of a live story", story.StatusPublished, false, restore, story.StatusPublished},
	}
	allowed := map[store.Role]map[string]bool{
		store.RoleReporter: {"edit a colleague's draft": true, "edit own submitted story": true, "submit a draft": true,
			"restore a revision of a draft": true},
		store.RoleEditor: nil, // everything
		store.RoleAdmin:  nil,
	}
	for _, a := range actions {
		for role, c := range clients {
			t.Run(string(role)+"/"+a.name, func(t *testing.T) {
				owner := other
				if a.own {
					owner = c.user
				}
				st := f.seed(t, owner, a.status, "Matrix "+a.name+" "+string(role))
				res := a.do(c, st)
				want := allowed[role] == nil || allowed[role][a.name]
				got := f.story(t, st.ID)
				if want {
					if res.status != http.StatusSeeOther {
						t.Fatalf("allowed, but %d: %s", res.status, edErrors(res.body))
					}
					if got.Status != a.after {
						t.Errorf("status %s, want %s", got.Status, a.after)
					}
					return
				}
				if res.status != http.StatusForbidden {
					t.Fatalf("refused action answered %d, want 403: %s", res.status, edErrors(res.body))
				}
				if got.Status != st.Status || got.Version != st.Version || got.Headline != st.Headline {
					t.Errorf("a refused action changed the story: %s v%d %q", got.Status, got.Version, got.Headline)
				}
			})
		}
	}
}

// TestStoryCrossSiteRefused: the editor's state changes are refused when
// a browser marks the request as cross-site (CSRF).
func TestStoryCrossSiteRefused(t *testing.T) {
	f := newEdFixture(t)
	ed := f.as(t, store.RoleEditor)
	st := f.seed(t, ed.user, story.StatusSubmitted, "Cross-site target")
	form := f.storyForm("Hijacked", "Evil body.")
	form.Set("version", strconv.Itoa(st.Version))
	form.Set("action", "publish")
	for _, p := range []string{"", "/publish", "/spike", "/autosave", "/notes"} {
		res := ed.post(t, edPath(st.ID, p), form, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
		if res.status != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", p, res.status)
		}
	}
	if res := ed.post(t, "/newsroom/stories/new", form, "Sec-Fetch-Site", "cross-site"); res.status != http.StatusForbidden {
		t.Errorf("cross-site create: %d", res.status)
	}
	if got := f.story(t, st.ID); got.Status != story.StatusSubmitted || got.Headline != st.Headline {
		t.Errorf("cross-site requests changed the story: %s %q", got.Status, got.Headline)
	}
	// The same request from the site itself goes through.
	if res := ed.post(t, edPath(st.ID, ""), form, "Sec-Fetch-Site", "same-origin"); res.status != http.StatusSeeOther {
		t.Errorf("same-origin publish: %d %s", res.status, edErrors(res.body))
	}
}
