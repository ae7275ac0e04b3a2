package auth

import (
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"short", false},
		{"elevenchars", false},
		{"password1234", false},
		{"Password123!", false},
		{"qwertyuiop12", false},
		{"aaaaaaaaaaaa", false},
		{"abcabcabcabc", false},
		{"correct horse battery staple", false},
		{"dateline2026", false},
		{"tangerine-bicycle-harbour", true},
		{"Ünlü kuşlar uçtu", true},
		{strings.Repeat("x", 257), false},
		{"valid\xffbytes-but-not-utf8", false},
	} {
		err := CheckPassword(tc.pw, "Dateline")
		if (err == nil) != tc.ok {
			t.Errorf("CheckPassword(%q) = %v, want ok=%v", tc.pw, err, tc.ok)
		}
	}
	if err := CheckPassword("ada.lovelace.x", "ada.lovelace@example.com", "Ada Lovelace"); err != nil {
		t.Logf("close to the name: %v", err)
	}
}

func TestHashAndVerify(t *testing.T) {
	h, err := HashPassword("tangerine-bicycle-harbour")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not PHC argon2id", h)
	}
	h2, _ := HashPassword("tangerine-bicycle-harbour")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !VerifyPassword(h, "tangerine-bicycle-harbour") || VerifyPassword(h, "tangerine-bicycle-harbouR") {
		t.Error("verify gave the wrong answer")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=0,t=1,p=1$AA$AA", "$bcrypt$x", h[:len(h)-5]} {
		if VerifyPassword(bad, "x") {
			t.Errorf("malformed hash %q verified", bad)
		}
	}
	if err := CheckPassword(GeneratePassword()); err != nil {
		t.Errorf("a generated password fails the policy: %v", err)
	}
}

func TestTokensAndExpiry(t *testing.T) {
	tok, id := NewToken()
	if len(tok) < 40 || TokenID(tok) != id || id == tok {
		t.Errorf("token %q id %q", tok, id)
	}
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	if Expired(now.Add(-time.Hour), now.Add(-time.Minute), now) {
		t.Error("a fresh session expired")
	}
	if !Expired(now.Add(-time.Hour), now.Add(-IdleTimeout-time.Second), now) {
		t.Error("an idle session did not expire")
	}
	if !Expired(now.Add(-AbsoluteTimeout-time.Second), now, now) {
		t.Error("an old active session did not expire")
	}
}

func TestCanMatrix(t *testing.T) {
	rep := store.User{ID: 1, Role: store.RoleReporter}
	ed := store.User{ID: 2, Role: store.RoleEditor}
	adm := store.User{ID: 3, Role: store.RoleAdmin}
	ownDraft := StoryRef{OwnerID: 1, Status: story.StatusDraft}
	ownSubmitted := StoryRef{OwnerID: 1, Status: story.StatusSubmitted}
	otherDraft := StoryRef{OwnerID: 9, Status: story.StatusDraft}
	otherSubmitted := StoryRef{OwnerID: 9, Status: story.StatusSubmitted}
	published := StoryRef{OwnerID: 1, Status: story.StatusPublished}
	for _, tc := range []struct {
		u    store.User
		a    Action
		s    StoryRef
		want bool
	}{
		{rep, CreateStory, StoryRef{}, true},
		{rep, EditStory, ownDraft, true},
		{rep, EditStory, ownSubmitted, true},
		{rep, EditStory, otherDraft, true},
		{rep, EditStory, otherSubmitted, false},
		{rep, EditStory, published, false},
		{rep, SubmitStory, ownDraft, true},
		{rep, PublishStory, ownDraft, false},
		{rep, UnpublishStory, published, false},
		{rep, SpikeStory, ownDraft, false},
		{rep, Curate, StoryRef{}, false},
		{rep, ManageUsers, StoryRef{}, false},
		{ed, EditStory, otherSubmitted, true},
		{ed, PublishStory, otherSubmitted, true},
		{ed, UnpublishStory, published, true},
		{ed, Curate, StoryRef{}, true},
		{ed, ManageUsers, StoryRef{}, false},
		{ed, ReadAuditLog, StoryRef{}, false},
		{adm, ManageUsers, StoryRef{}, true},
		{adm, ManageSources, StoryRef{}, true},
		{adm, ReadAuditLog, StoryRef{}, true},
		{store.User{ID: 4, Role: store.RoleAdmin, Disabled: true}, EditStory, ownDraft, false},
		{store.User{ID: 5, Role: "intern"}, CreateStory, StoryRef{}, false},
	} {
		if got := Can(tc.u, tc.a, tc.s); got != tc.want {
			t.Errorf("%s %s on %+v = %v, want %v", tc.u.Role, tc.a, tc.s, got, tc.want)
		}
	}
}
