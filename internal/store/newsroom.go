package store

import (
	"context"
	"time"

	"dateline/internal/story"
)

// Role is a staff member's role; it decides what they may do.
type Role string

// The newsroom's roles, from least to most trusted.
const (
	RoleReporter Role = "reporter"
	RoleEditor   Role = "editor"
	RoleAdmin    Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleReporter || r == RoleEditor || r == RoleAdmin }

// User is a staff account.
type User struct {
	ID                int64
	Email             string
	Name              string
	Role              Role
	PasswordHash      string
	AuthorID          int64 // the public profile the user writes as, if any
	Disabled          bool
	CreatedAt         time.Time
	PasswordChangedAt time.Time
}

// Session is a signed-in browser. ID is the hash of the cookie's token.
type Session struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
}

// AuditEntry is one line of the audit log: who did what, when.
type AuditEntry struct {
	ID     int64
	At     time.Time
	UserID int64
	Actor  string // the user's email, or "system", kept even if the user goes
	Action string // "login", "login_failed", "publish", "role_change"...
	Target string // "story:42", "user:7"
	Detail string
	IP     string
}

// Revision is a saved version of a story's editable fields.
type Revision struct {
	ID        int64
	StoryID   int64
	Number    int
	UserID    int64
	UserName  string
	CreatedAt time.Time
	Kind      string // "save", "autosave", "publish", "restore", "wire"
	Pending   bool   // staged edit of a published story, not yet visible
	Snapshot  story.Story
}

// DeskQuery selects stories for the newsroom's lists, newest change first.
type DeskQuery struct {
	Statuses []story.Status
	OwnerID  int64
	Query    string  // words in the headline
	IDs      []int64 // only these stories (the hits of a search)
	Limit    int
}

// DeskItem is a story as the newsroom lists it.
type DeskItem struct {
	story.Summary
	Status      story.Status
	OwnerID     int64
	OwnerName   string
	ModifiedAt  time.Time
	ScheduledAt time.Time
	HasPending  bool
}

// Newsroom is the part of the store the staff application uses.
type Newsroom interface {
	// CreateUser inserts u; ErrConflict when the email is taken.
	CreateUser(ctx context.Context, u User) (int64, error)
	// User returns ErrNotFound when there is no such user.
	User(ctx context.Context, id int64) (User, error)
	// UserByEmail matches the email without regard to case; ErrNotFound if none.
	UserByEmail(ctx context.Context, email string) (User, error)
	// Users returns every account, by name.
	Users(ctx context.Context) ([]User, error)
	// UpdateUser saves name, role, author and disabled.
	UpdateUser(ctx context.Context, u User) error
	// SetPassword replaces a user's password hash and ends their sessions.
	SetPassword(ctx context.Context, userID int64, hash string, at time.Time) error

	// CreateSession stores a new session.
	CreateSession(ctx context.Context, s Session) error
	// Session returns the session and its user; ErrNotFound when unknown.
	Session(ctx context.Context, id string) (Session, User, error)
	// TouchSession records activity, which pushes back the idle expiry.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// DeleteSession ends one session.
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions ends every session of a user ("log out everywhere").
	DeleteUserSessions(ctx context.Context, userID int64) error

	// AddLoginFailure records a failed login under each key.
	AddLoginFailure(ctx context.Context, at time.Time, keys ...string) error
	// LoginFailures counts failures under key since a time.
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	// ClearLoginFailures forgets the failures under key (after a good login).
	ClearLoginFailures(ctx context.Context, key string) error

	// Audit appends to the audit log.
	Audit(ctx context.Context, e AuditEntry) error
	// AuditLog returns entries newest first, older than beforeID when set.
	AuditLog(ctx context.Context, beforeID int64, limit int) ([]AuditEntry, error)

	// DeskStories lists stories in any status for the newsroom.
	DeskStories(ctx context.Context, q DeskQuery) ([]DeskItem, error)
	// ApplyStoryChange writes one step of the workflow in one
	// transaction (see StoryChange) and returns the story's id, new when
	// the story had none. On an error nothing is stored, and the story
	// keeps the id and version it had.
	ApplyStoryChange(ctx context.Context, c StoryChange) (int64, error)
	// AddRevision appends a revision, numbering it; it returns its id.
	AddRevision(ctx context.Context, r Revision) (int64, error)
	// Revisions lists a story's revisions, newest first (snapshots omitted).
	Revisions(ctx context.Context, storyID int64) ([]Revision, error)
	// Revision returns one revision with its snapshot; ErrNotFound if none.
	Revision(ctx context.Context, id int64) (Revision, error)
	// PendingRevision returns the staged edit of a story; ErrNotFound if none.
	PendingRevision(ctx context.Context, storyID int64) (Revision, error)
	// StoryMeta returns the workflow fields the story type does not carry.
	StoryMeta(ctx context.Context, id int64) (StoryMeta, error)
	// SetStoryMeta saves them.
	SetStoryMeta(ctx context.Context, id int64, m StoryMeta) error
	// DueScheduled returns scheduled stories whose time has come.
	DueScheduled(ctx context.Context, now time.Time) ([]int64, error)

	// Curation returns the ordered story ids editors chose for a scope
	// ("front" or a section slug).
	Curation(ctx context.Context, scope string) ([]int64, error)
	// SetCuration replaces a scope's choice.
	SetCuration(ctx context.Context, scope string, ids []int64) error
	// Breaking returns the published story marked as breaking news at now, if any.
	Breaking(ctx context.Context, now time.Time) (*story.Summary, error)

	// SetMessageHandled marks a reader's message handled (or not).
	SetMessageHandled(ctx context.Context, id int64, at time.Time) error
	// MediaLibrary lists pictures newest first, matching words in caption or credit.
	MediaLibrary(ctx context.Context, q string, limit int) ([]story.Media, error)
	// UpdateMedia saves caption, credit, alt text and focal point.
	UpdateMedia(ctx context.Context, m story.Media) error
}

// StoryChange is one step of the newsroom's workflow: a save, a
// publication, a change of status. Written in one transaction, a failure
// leaves the story as it was: never saved without its revision, published
// with its schedule still set, or spiked with its staged edit pending.
type StoryChange struct {
	// Story is created when its ID is 0, else updated as UpdateStory
	// does (ErrConflict when its Version is not the stored one).
	Story *story.Story
	// Meta, when set, replaces the story's workflow fields.
	Meta *StoryMeta
	// ClearPending ends the story's staged edit.
	ClearPending bool
	// Revision, when set, is appended to the story's history, with the
	// story as written (its new version) as the snapshot.
	Revision *Revision
}

// StoryMeta are a story's workflow fields.
type StoryMeta struct {
	OwnerID       int64
	ScheduledAt   time.Time
	SpikedAt      time.Time
	BreakingUntil time.Time
}
