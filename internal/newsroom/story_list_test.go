package newsroom_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"dateline/internal/store"
	"dateline/internal/story"
)

func TestStoryListFiltersAndPicker(t *testing.T) {
	f := newEdFixture(t)
	rep, ed := f.as(t, store.RoleReporter), f.as(t, store.RoleEditor)
	f.seed(t, rep.user, story.StatusDraft, "Reporter's own draft")
	live := f.seed(t, ed.user, story.StatusPublished, "Published harbour story")
	spiked := f.seed(t, ed.user, story.StatusSpiked, "Spiked rumour")
	res := rep.get(t, "/newsroom/stories")
	edContain(t, res.body, "Reporter&#39;s own draft", "Published harbour story")
	if strings.Contains(res.body, spiked.Headline) {
		t.Error("the main list shows spiked stories")
	}
	res = rep.get(t, "/newsroom/stories?mine=1")
	if !strings.Contains(res.body, "Reporter&#39;s own draft") || strings.Contains(res.body, "Published harbour story") {
		t.Error("?mine=1 does not keep to the user's stories")
	}
	res = rep.get(t, "/newsroom/stories?status=published&q=harbour")
	if !strings.Contains(res.body, "Published harbour story") || strings.Contains(res.body, "own draft") {
		t.Error("status and headline filters")
	}
	res = rep.get(t, "/newsroom/stories?section="+strconv.FormatInt(f.sport.ID, 10))
	if strings.Contains(res.body, "Published harbour story") {
		t.Error("section filter")
	}
	// The spiked list offers restore to editors only.
	if res := ed.get(t, "/newsroom/stories?status=spiked"); !strings.Contains(res.body, spiked.Headline) || !strings.Contains(res.body, "/unspike") {
		t.Error("spiked list for an editor")
	}
	if res := rep.get(t, "/newsroom/stories?status=spiked"); strings.Contains(res.body, "/unspike") {
		t.Error("a reporter is offered to restore from the spike")
	}
	// The related picker finds published stories only, as JSON.
	res = rep.get(t, "/newsroom/stories/search?q=harbour")
	var hits []struct {
		ID       int64  `json:"id"`
		Headline string `json:"headline"`
		Path     string `json:"path"`
	}
	if err := json.Unmarshal([]byte(res.body), &hits); err != nil || len(hits) != 1 || hits[0].ID != live.ID || hits[0].Path != live.Path() {
		t.Errorf("search: %s (%v)", res.body, err)
	}
	if res := rep.get(t, "/newsroom/stories/search?q=draft"); strings.TrimSpace(res.body) != "[]" {
		t.Errorf("search found unpublished stories: %s", res.body)
	}
	// Without a session the list sends to the login; a script gets 401.
	anon := f.anon()
	if res := anon.get(t, "/newsroom/stories"); res.status != http.StatusSeeOther {
		t.Errorf("signed out list: %d", res.status)
	}
}
