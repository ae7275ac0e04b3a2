package store

import (
	"context"
	"fmt"
	"time"

	"dateline/internal/story"
)

// Outcomes of applying a wire item (WireResult.Outcome).
const (
	WireImported = "imported" // a new story, published or scheduled
	WireQueued   = "queued"   // a new item waiting in the wire queue
	WireUpdated  = "updated"  // a higher version updated a story or a queued item
	WireKilled   = "killed"   // canceled by the agency: the story is killed
	WireWithheld = "withheld" // withheld by the agency: the story is down until released
	WireSkipped  = "skipped"  // nothing changed; Reason says why
)

// WireItem is one version of an agency item as it was received. Every
// version is kept, queued or not, so the wire desk can list the queue
// with its filters and show an item's version history.
type WireItem struct {
	ID               int64
	SourceID         int64
	GUID             string
	Version          int
	PubStatus        string // usable, withheld, canceled
	Headline         string
	SectionID        int64
	Urgency          int
	Language         string
	EmbargoAt        time.Time
	VersionCreatedAt time.Time
	ReceivedAt       time.Time
	State            string // what became of it: queued, published, scheduled, updated, killed, withheld, offered, ignored
	StoryID          int64  // the story it made or changed, 0 when none
	Note             string // for the desk, e.g. "2 pictures not fetched"
	// Fingerprint identifies the copy (headline and text, normalised);
	// DuplicateOf is the earliest item of another source with the same
	// fingerprint, flagged for the desk, or 0.
	Fingerprint string
	DuplicateOf int64
	Item        []byte // the normalised item as JSON
}

// WireApply is one received item version and the story built from it.
type WireApply struct {
	Item WireItem
	// Story carries the content the item gives a story: section, source,
	// headline, standfirst, body, bylines, tags, language, lead, WireID
	// and WireVersion. Its status and times are set by ApplyWire.
	Story   *story.Story
	Publish bool      // a new item becomes a story at once instead of waiting in the queue
	Now     time.Time // the moment of import, for publication and embargo times
	// DeferRelated leaves the related lists of a story this publishes to
	// RebuildRelated, marking them stale (RelatedStale), so a bulk import
	// pays for them once instead of once an item; the caller rebuilds at
	// the end. Both stores honour it.
	// The story is in the search index either way.
	DeferRelated bool
	// Notes are public notes the version adds to the story it updates,
	// such as the agency's correction; a new story starts without them
	// (its readers never saw what was corrected).
	Notes []story.Note
}

// WireResult says what ApplyWire did.
type WireResult struct {
	Outcome     string
	StoryID     int64
	Reason      string // why it was skipped, or what the desk should know
	DuplicateOf int64  // the earlier item of another source with the same copy, or 0
	// RelatedDeferred says the story's related lists were left to
	// RebuildRelated (WireApply.DeferRelated).
	RelatedDeferred bool
}

// WireCurrent is what the store knows of an item before a new version
// of it is applied.
type WireCurrent struct {
	Known   int          // highest version received, 0 when never seen
	StoryID int64        // its story, 0 when none
	Status  story.Status // the story's status
}

// WirePlan is the decision DecideWire takes for one version.
type WirePlan struct {
	Outcome     string
	Reason      string
	State       string       // the WireItem.State to record
	Write       bool         // create (StoryID 0) or update the story
	Status      story.Status // the story's status after the change
	ScheduledAt time.Time    // set with StatusScheduled: the embargo
}

// DecideWire decides what a version does, from what is known of the
// item: versions never go back; canceled kills and withheld takes down a
// story (a later usable version releases a withheld one, never a killed
// one); an embargo holds a published item as scheduled until its time;
// a story an editor has taken into the newsroom workflow (draft,
// unpublished, spiked...) is not touched, the version is offered instead.
func DecideWire(cur WireCurrent, a WireApply) WirePlan {
	v, st := a.Item.Version, a.Item.PubStatus
	if v <= cur.Known {
		return WirePlan{Outcome: WireSkipped, State: "ignored", Reason: fmt.Sprintf("version %d already imported", cur.Known)}
	}
	held := !a.Item.EmbargoAt.IsZero() && a.Item.EmbargoAt.After(a.Now)
	if cur.StoryID == 0 {
		switch {
		case st == "canceled" && cur.Known > 0:
			return WirePlan{Outcome: WireKilled, State: "killed"}
		case st == "canceled":
			return WirePlan{Outcome: WireSkipped, State: "killed", Reason: "canceled by the agency before it was carried"}
		case st == "withheld" && cur.Known > 0:
			return WirePlan{Outcome: WireWithheld, State: "withheld"}
		case st == "withheld":
			return WirePlan{Outcome: WireSkipped, State: "withheld", Reason: "withheld by the agency"}
		case !a.Publish && cur.Known > 0:
			return WirePlan{Outcome: WireUpdated, State: "queued"}
		case !a.Publish:
			return WirePlan{Outcome: WireQueued, State: "queued"}
		case held:
			return WirePlan{Outcome: WireImported, State: "scheduled", Write: true, Status: story.StatusScheduled, ScheduledAt: a.Item.EmbargoAt}
		}
		return WirePlan{Outcome: WireImported, State: "published", Write: true, Status: story.StatusPublished}
	}
	switch {
	case cur.Status == story.StatusKilled:
		return WirePlan{Outcome: WireSkipped, State: "ignored", Reason: fmt.Sprintf("story %d was killed by the agency; version %d ignored", cur.StoryID, v)}
	case st == "canceled":
		return WirePlan{Outcome: WireKilled, State: "killed", Write: true, Status: story.StatusKilled}
	case cur.Status != story.StatusPublished && cur.Status != story.StatusWithheld && cur.Status != story.StatusScheduled:
		return WirePlan{Outcome: WireSkipped, State: "offered",
			Reason: fmt.Sprintf("story %d is %s in the newsroom; version %d offered to the desk", cur.StoryID, cur.Status, v)}
	case st == "withheld":
		return WirePlan{Outcome: WireWithheld, State: "withheld", Write: true, Status: story.StatusWithheld}
	case held && cur.Status != story.StatusPublished:
		return WirePlan{Outcome: WireUpdated, State: "scheduled", Write: true, Status: story.StatusScheduled, ScheduledAt: a.Item.EmbargoAt}
	}
	return WirePlan{Outcome: WireUpdated, State: "updated", Write: true, Status: story.StatusPublished}
}

// WireQuery selects received items for the wire desk, newest first.
type WireQuery struct {
	SourceID int64
	GUID     string // only the versions of this item
	Limit    int
}

// Wire is the wire desk's part of the store (wire.go).
type Wire interface {
	// ApplyWire records a received item version and applies DecideWire's
	// plan to its story, all in one transaction: the story and its
	// revision, status, event and the received item commit together or
	// not at all, so an interrupted import run again ends in the same
	// state. Within one source a GUID has at most one story.
	ApplyWire(ctx context.Context, a WireApply) (WireResult, error)
	// WireItems lists received item versions matching q, newest first.
	WireItems(ctx context.Context, q WireQuery) ([]WireItem, error)
	// SetWirePushToken replaces a source's push token (its SHA-256 hex)
	// and whether pushed items are published at once. ErrInvalid when
	// there is no such source.
	SetWirePushToken(ctx context.Context, sourceID int64, hash string, publish bool) error
	// WirePushToken returns a source's push token hash and publish flag;
	// ErrNotFound when the source has none.
	WirePushToken(ctx context.Context, sourceID int64) (hash string, publish bool, err error)
}
