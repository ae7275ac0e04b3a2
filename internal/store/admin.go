package store

import (
	"context"
	"fmt"
	"time"

	"dateline/internal/story"
)

// ErrLastAdmin is returned when a change would leave the newsroom without
// an enabled admin, so that nobody could manage accounts any more. It is
// an ErrConflict.
var ErrLastAdmin = fmt.Errorf("%w: the newsroom must keep at least one enabled admin", ErrConflict)

// MessageQuery selects reader messages for the inbox, newest first.
type MessageQuery struct {
	Unhandled bool   // only messages nobody has handled yet
	Kind      string // "contact", "feedback" or "" for both
	BeforeID  int64  // keyset pagination: only messages with a smaller id
	Limit     int
}

// AuditQuery selects audit log entries, newest first.
type AuditQuery struct {
	Action   string // only this action, or "" for all
	BeforeID int64  // keyset pagination: only entries with a smaller id
	Limit    int
}

// Admin is the part of the store the media library, curation and
// administration pages add beyond Newsroom (admin.go).
type Admin interface {
	// UpdateSource saves a wire source's name, label and website (its
	// slug, and so its public page's address, never changes).
	UpdateSource(ctx context.Context, src story.Source) error

	// UpdateUserGuarded saves name, role, author and disabled like
	// UpdateUser, in a transaction that refuses with ErrLastAdmin a change
	// that would leave no enabled admin. ErrNotFound when there is no such
	// user.
	UpdateUserGuarded(ctx context.Context, u User) error

	// UpdateSection saves a section's name, description and position
	// (never its slug: URLs stay stable). ErrNotFound when there is no
	// such section; ErrInvalid when the name is empty.
	UpdateSection(ctx context.Context, sec story.Section) error
	// ReorderSections numbers the sections in the order of ids; sections
	// not listed keep their position after them.
	ReorderSections(ctx context.Context, ids []int64) error

	// MediaByHash returns the library's picture stored under hash, the
	// oldest when there are several; ErrNotFound when none.
	MediaByHash(ctx context.Context, hash string) (story.Media, error)

	// CuratedStories returns the front of a scope ("front" or a section
	// slug): the published stories editors chose for it, in their order,
	// then the newest other published stories matching q (only SectionID
	// is used), at most q.Limit of those. When q.After is set, the chosen
	// stories are left out and the list continues after the cursor, still
	// without them. One query plus the bylines.
	CuratedStories(ctx context.Context, scope string, q ListQuery) ([]story.Summary, error)
	// SetBreaking marks a story as breaking news until a time, and clears
	// the mark from every other story: the banner shows one story. A zero
	// time clears the story's mark. ErrNotFound when there is no such story.
	SetBreaking(ctx context.Context, storyID int64, until time.Time) error

	// InboxMessages lists reader messages matching q, newest first.
	InboxMessages(ctx context.Context, q MessageQuery) ([]Message, error)

	// AuditEntries lists audit log entries matching q, newest first.
	AuditEntries(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
	// AuditActions returns the distinct actions in the audit log, sorted.
	AuditActions(ctx context.Context) ([]string, error)
}
