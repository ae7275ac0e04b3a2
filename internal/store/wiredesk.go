package store

import (
	"context"
	"time"

	"dateline/internal/story"
)

// WireQueueQuery selects the items waiting on the wire desk, newest
// first by received time, with the desk's filters: queued items, and
// later versions offered to a story the newsroom has taken (state
// offered, StoryID set).
type WireQueueQuery struct {
	SourceID  int64
	SectionID int64  // the section the item was routed to; 0: any
	Urgency   int    // 0: any
	Language  string // exact language tag, or "" for any
	// Text filters headlines (case-insensitive substring). Queued items
	// are not stories, so they are not in the full-text index.
	Text  string
	After Cursor // strictly older than this (ReceivedAt, ID) position
	Limit int
}

// WireTake is what the desk does with a queued item: Use makes a draft
// owned by OwnerID; Publish publishes it (or schedules it for its
// embargo time when that is still ahead of Now).
type WireTake struct {
	ItemID  int64
	Story   *story.Story // the content, built from the item as ingest builds it
	Publish bool
	OwnerID int64
	Now     time.Time
}

// WireIntake says how copy arrives for one source and whether it is
// published on arrival or queued for the desk.
type WireIntake struct {
	SourceID     int64
	Folder       string        // a watched folder, or ""
	FeedURL      string        // a feed polled at PollInterval, or ""
	PollInterval time.Duration // at least a minute when FeedURL is set
	Publish      bool          // publish on arrival instead of queueing
	// Feed polling state: validators for the next conditional GET.
	ETag         string
	LastModified string
	PolledAt     time.Time
	LastError    string
}

// WireDesk is the newsroom wire desk's part of the store: the queue
// screen, taking and spiking items, per-source intake settings and the
// leases that make a background intake run happen once, and the routing
// that sends incoming items to sections.
type WireDesk interface {
	WireRouting // routing rules and default sections (routing.go)
	// WireQueue lists queued items matching q, newest first.
	WireQueue(ctx context.Context, q WireQueueQuery) ([]WireItem, error)
	// WireItem returns one received item version; ErrNotFound.
	WireItem(ctx context.Context, id int64) (WireItem, error)
	// TakeWireItem makes a story of a queued item in one transaction and
	// marks the item used or published; it returns the story id.
	// ErrNotFound for no such item, ErrConflict when it is no longer
	// queued (taken, spiked or superseded meanwhile).
	TakeWireItem(ctx context.Context, t WireTake) (int64, error)
	// SpikeWireItem takes a queued or offered item off the queue;
	// ErrNotFound, ErrConflict when it is no longer on the desk.
	SpikeWireItem(ctx context.Context, id int64) error
	// WireIntakes lists every source's intake settings (sources without
	// any are left out).
	WireIntakes(ctx context.Context) ([]WireIntake, error)
	// SetWireIntake stores a source's intake settings, keeping its feed
	// polling state; ErrInvalid when there is no such source.
	SetWireIntake(ctx context.Context, in WireIntake) error
	// SetWireFeedState records the outcome of a feed poll.
	SetWireFeedState(ctx context.Context, sourceID int64, etag, lastModified, lastError string, at time.Time) error
	// LeaseWireIntake claims the source's intake work for holder until
	// until, when no other holder's lease is still running at now; it
	// reports whether the lease was taken.
	LeaseWireIntake(ctx context.Context, sourceID int64, holder string, now, until time.Time) (bool, error)
}
