package auth

import (
	"dateline/internal/store"
	"dateline/internal/story"
)

// Action is something a staff member may try to do.
type Action string

// The actions the server checks, one per kind of request.
const (
	CreateStory     Action = "create_story"
	EditStory       Action = "edit_story"
	SubmitStory     Action = "submit_story"
	PublishStory    Action = "publish_story" // also schedule and publish staged edits
	UnpublishStory  Action = "unpublish_story"
	SpikeStory      Action = "spike_story"
	AddNote         Action = "add_note"
	RestoreRevision Action = "restore_revision"
	UploadMedia     Action = "upload_media"
	Curate          Action = "curate"
	ReadInbox       Action = "read_inbox"
	ManageUsers     Action = "manage_users"
	ManageSections  Action = "manage_sections"
	ManageSettings  Action = "manage_settings"
	ManageSources   Action = "manage_sources"
	ReadAuditLog    Action = "read_audit_log"
)

// Actions lists every action, for the role matrix test and the admin page.
var Actions = []Action{CreateStory, EditStory, SubmitStory, PublishStory, UnpublishStory, SpikeStory, AddNote,
	RestoreRevision, UploadMedia, Curate, ReadInbox, ManageUsers, ManageSections, ManageSettings, ManageSources, ReadAuditLog}

// StoryRef is what a permission check needs to know of a story: whose it
// is and where it stands. The zero value means "no story".
type StoryRef struct {
	OwnerID int64
	Status  story.Status
}

// Can reports whether u may do a on the story s. It is the one place the
// role rules live; every handler asks it before acting.
func Can(u store.User, a Action, s StoryRef) bool {
	if u.Disabled || u.ID == 0 {
		return false
	}
	switch u.Role {
	case store.RoleAdmin:
		return true
	case store.RoleEditor:
		switch a {
		case ManageUsers, ManageSections, ManageSettings, ManageSources, ReadAuditLog:
			return false
		}
		return true
	case store.RoleReporter:
		return reporterCan(u, a, s)
	}
	return false
}

// reporterCan: a reporter writes and submits; may work on a colleague's
// draft, but not on anyone's story once it is submitted, except their own
// (to fix it before review); never publishes or touches live stories.
func reporterCan(u store.User, a Action, s StoryRef) bool {
	own := s.OwnerID == u.ID
	switch a {
	case CreateStory, UploadMedia:
		return true
	case EditStory, RestoreRevision:
		return s.Status == story.StatusDraft || (own && s.Status == story.StatusSubmitted)
	case SubmitStory:
		return s.Status == story.StatusDraft
	}
	return false
}
