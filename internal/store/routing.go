package store

import "context"

// WireRoute is a routing rule of the wire desk: an item that meets all of
// its conditions goes to Section and is published on arrival or queued
// for the desk. Rules are tried in Position order; the first match wins.
// A rule has at least one condition.
type WireRoute struct {
	ID       int64
	Position int
	SourceID int64 // only items of this source; 0: any source
	// Subject is a subject code (an IPTC qcode such as medtop:11000000,
	// or with a trailing * a prefix such as subj:04*) or a subject's
	// name; "" for any subject.
	Subject string
	// Keyword is a word or phrase looked for, as whole words and
	// whatever its case, in the headline, the standfirst, the body and
	// the item's keywords; "" for any.
	Keyword   string
	SectionID int64
	Publish   bool // publish on arrival (attributed to the source); false queues the item
}

// WireRouting is the wire desk's routing: ordered rules, and the section
// each source's items go to when no rule matches them.
type WireRouting interface {
	// WireRoutes returns every rule in the order they are tried.
	WireRoutes(ctx context.Context) ([]WireRoute, error)
	// CreateWireRoute adds a rule after the last one and returns its id.
	// ErrInvalid when it has no condition, or its section or source does
	// not exist.
	CreateWireRoute(ctx context.Context, r WireRoute) (int64, error)
	// UpdateWireRoute changes a rule's conditions, section and action,
	// keeping its place. ErrNotFound, ErrInvalid as for CreateWireRoute.
	UpdateWireRoute(ctx context.Context, r WireRoute) error
	// DeleteWireRoute removes a rule; ErrNotFound.
	DeleteWireRoute(ctx context.Context, id int64) error
	// ReorderWireRoutes numbers the rules in the order of ids, which must
	// name every rule exactly once (ErrInvalid otherwise, or ErrConflict
	// when a rule was added or deleted meanwhile).
	ReorderWireRoutes(ctx context.Context, ids []int64) error
	// WireSourceSections returns the default section name of every source
	// that has one, by source id.
	WireSourceSections(ctx context.Context) (map[int64]string, error)
	// SetWireSourceSection sets the name of the section a source's items
	// go to when no rule matches; "" clears it. ErrInvalid when there is
	// no such source.
	SetWireSourceSection(ctx context.Context, sourceID int64, name string) error
}
