// Package newsroom is the staff application under /newsroom/: sign-in and
// sessions, the dashboard, the story editor and workflow, the media
// library, curation, the readers' inbox, user administration and the
// audit log. Handlers check permissions with auth.Can before they act and
// record what they did in the audit log; they hold no SQL.
package newsroom
