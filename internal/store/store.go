// Package store declares the storage interface every Dateline store
// implements (SQLite in store/sqlite, PostgreSQL later) and the errors its
// methods return. Driver errors are mapped to these sentinels inside each
// implementation, so the layers above behave the same on every database.
//
// It holds no SQL and imports no driver.
package store

import (
	"context"
	"errors"
	"time"

	"dateline/internal/story"
)

// Errors returned by Store methods, wrapped with context.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
	ErrInvalid  = errors.New("invalid")
)

// Cursor is a position in a list ordered newest first: the sort key of the
// last item seen. Keyset pagination stays stable when stories are
// published in between, unlike page numbers.
type Cursor struct {
	At time.Time
	ID int64
}

// IsZero reports whether c is the start of the list.
func (c Cursor) IsZero() bool { return c.ID == 0 }

// ListQuery selects published stories, newest first by first_published_at.
// At most one of SectionID, TagID, AuthorID, SourceID is usually set.
type ListQuery struct {
	SectionID int64
	TagID     int64
	AuthorID  int64
	SourceID  int64
	After     Cursor  // return stories strictly older than this position
	Exclude   []int64 // story ids to leave out
	Limit     int
}

// Message is a reader's contact or feedback message.
type Message struct {
	ID        int64
	HandledAt time.Time
	Kind      string // "contact" or "feedback"
	Name      string
	Email     string
	Subject   string
	Body      string
	Page      string // the page it was sent from
	CreatedAt time.Time
}

// Store is the persistence interface of Dateline. Every method takes a
// context; none returns nil, nil for a missing row.
type Store interface {
	// Searcher is full-text search, related stories and view counts
	// (search.go).
	Searcher
	// Newsroom is accounts, sessions, workflow and curation (newsroom.go).
	Newsroom
	// Workflow is what the story editor adds (workflow.go).
	Workflow
	// Admin is what the media library and admin pages add (admin.go).
	Admin
	// Events is the log of public story changes (events.go).
	Events
	// ContentVersioner tells page caches when to let go (cache.go).
	ContentVersioner
	Webhooks   // webhook endpoints and their delivery queue (webhooks.go)
	Sitemaps   // streams what sitemaps list (sitemap.go)
	ContentAPI // the content API's stories, tags and keys (api.go)
	Batch      // many full stories at once, for feeds (batch.go)
	Wire       // the wire desk: received agency items (wire.go)

	// Close releases the database.
	Close() error

	// Sections returns all sections in display order.
	Sections(ctx context.Context) ([]story.Section, error)
	// SectionBySlug returns ErrNotFound when no section has that slug.
	SectionBySlug(ctx context.Context, slug string) (story.Section, error)
	// CreateSection inserts s and returns its id; ErrConflict when the slug exists.
	CreateSection(ctx context.Context, s story.Section) (int64, error)

	// AuthorBySlug returns ErrNotFound when no author has that slug.
	AuthorBySlug(ctx context.Context, slug string) (story.Author, error)
	// Authors returns every staff author, by name.
	Authors(ctx context.Context) ([]story.Author, error)
	// CreateAuthor inserts a and returns its id; ErrConflict when the slug exists.
	CreateAuthor(ctx context.Context, a story.Author) (int64, error)

	// TagBySlug returns ErrNotFound when no tag has that slug.
	TagBySlug(ctx context.Context, slug string) (story.Tag, error)
	// EnsureTag returns the tag with that name's slug, creating it if needed.
	EnsureTag(ctx context.Context, name string) (story.Tag, error)

	// SourceBySlug returns ErrNotFound when no source has that slug.
	SourceBySlug(ctx context.Context, slug string) (story.Source, error)
	// EnsureSource returns the source with that label's slug, creating it if needed.
	EnsureSource(ctx context.Context, src story.Source) (story.Source, error)

	// CreateMedia records a stored picture and returns its id.
	CreateMedia(ctx context.Context, m story.Media) (int64, error)
	// Media returns ErrNotFound when no picture has that id.
	Media(ctx context.Context, id int64) (story.Media, error)

	// CreateStory inserts s with its bylines, tags, related links and notes
	// in one transaction and returns its id. ErrInvalid when a reference
	// (section, author, media, source) does not exist.
	CreateStory(ctx context.Context, s *story.Story) (int64, error)
	// UpdateStory replaces s (matched by ID) when s.Version is the stored
	// version, and increments it. ErrConflict when the versions differ;
	// ErrNotFound when there is no such story.
	UpdateStory(ctx context.Context, s *story.Story) error
	// Story returns the story with that id in any status, or ErrNotFound.
	Story(ctx context.Context, id int64) (*story.Story, error)
	// ListStories returns published stories matching q, newest first.
	ListStories(ctx context.Context, q ListQuery) ([]story.Summary, error)
	// SectionFronts returns up to n newest published stories of each
	// section, in one round trip, keyed by section id.
	SectionFronts(ctx context.Context, sectionIDs []int64, n int, exclude []int64) (map[int64][]story.Summary, error)
	// Summaries returns the published stories among ids, in the order of ids.
	Summaries(ctx context.Context, ids []int64) ([]story.Summary, error)
	// AutoRelated returns up to n published stories that share tags or the
	// section with s, most shared tags first, then newest; never s itself.
	AutoRelated(ctx context.Context, s *story.Story, n int) ([]story.Summary, error)
	// CountStories returns the number of stories in any status.
	CountStories(ctx context.Context) (int, error)

	// AddMessage stores a reader's message and returns its id.
	AddMessage(ctx context.Context, m Message) (int64, error)
	// Messages returns the newest messages first.
	Messages(ctx context.Context, limit int) ([]Message, error)

	// Setting returns a site setting, or ErrNotFound.
	Setting(ctx context.Context, key string) (string, error)
	// SetSetting stores a site setting.
	SetSetting(ctx context.Context, key, value string) error
}
