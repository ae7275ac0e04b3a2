package store

import (
	"context"
	"time"

	"dateline/internal/story"
)

// APIQuery selects stories for the content API. The filters combine (all
// must hold). Without ChangedSince the list is newest first by
// first_published_at (by created_at for stories never published) then id;
// with it, it is every story changed after that time, oldest change first
// by modified_at then id, the order a partner keeping a copy in sync needs.
type APIQuery struct {
	SectionID int64
	TagID     int64
	AuthorID  int64
	SourceID  int64
	Language  string // BCP 47, lower case; "en" also matches "en-GB"

	// Statuses are the statuses listed; empty means the public view:
	// published stories, and with ChangedSince also every story that was
	// public once and is not any more (unpublished, killed, withheld, or
	// back in the workflow), so that it can be taken down.
	Statuses []story.Status

	// ChangedSince, when set, turns the list into the change list.
	ChangedSince time.Time

	// After is the position of the last story of the previous page: its
	// sort time (first_published_at or created_at; modified_at in the
	// change list) and id. The zero Cursor is the start.
	After Cursor
	Limit int
}

// APIKey is a credential a partner sends as "Authorization: Bearer …".
// Only the SHA-256 of the key is stored; the key itself is shown once.
type APIKey struct {
	ID            int64
	Name          string
	Hash          string // hex SHA-256 of the key
	CreatedBy     int64  // user id, 0 when the user is gone
	CreatedByName string
	CreatedAt     time.Time
	LastUsedAt    time.Time // zero until first used
	RevokedAt     time.Time // zero while valid
}

// ContentAPI is what the read-only content API and its keys add to the
// store (api.go).
type ContentAPI interface {
	// APIStories returns complete stories (body, bylines, tags, notes)
	// matching q, in the order APIQuery describes, at most q.Limit (1–500,
	// default 20), in a fixed number of queries whatever the page size.
	APIStories(ctx context.Context, q APIQuery) ([]*story.Story, error)
	// APITags returns up to limit tags carried by at least one published
	// story, by slug, after the slug given ("" for the start).
	APITags(ctx context.Context, afterSlug string, limit int) ([]story.Tag, error)

	// CreateAPIKey stores a key and returns its id. ErrInvalid when the
	// name or hash is empty; ErrConflict when the hash exists.
	CreateAPIKey(ctx context.Context, k APIKey) (int64, error)
	// APIKeyByHash returns the key with that hash, revoked or not;
	// ErrNotFound when there is none.
	APIKeyByHash(ctx context.Context, hash string) (APIKey, error)
	// APIKeys returns every key, newest first.
	APIKeys(ctx context.Context) ([]APIKey, error)
	// RevokeAPIKey revokes a key at a time; revoking a revoked key keeps
	// the first time. ErrNotFound when there is no such key.
	RevokeAPIKey(ctx context.Context, id int64, at time.Time) error
	// TouchAPIKey records that a key was used at a time.
	TouchAPIKey(ctx context.Context, id int64, at time.Time) error
}
