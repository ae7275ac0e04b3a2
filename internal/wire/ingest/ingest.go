package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"dateline/internal/i18n"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/wire"
)

// Options configure an Importer.
type Options struct {
	Store store.Store
	// Source is the agency label (--source). When empty, each item is
	// attributed to its own creditline or provider, else "Wire".
	Source string
	// Publish publishes new items at once (embargoed ones are scheduled
	// for their embargo time), whatever the routing rules say (dateline
	// ingest --publish). Without it a matching rule decides, and
	// PublishUnrouted decides for the items no rule matches.
	Publish bool
	// PublishUnrouted publishes new items no routing rule matches: the
	// source's "on arrival" setting for its folder, feed and push
	// endpoint. Without it they wait in the wire queue.
	PublishUnrouted bool
	// Section is the slug of the section for items no rule, no default
	// section of their source and none of their subjects place; empty
	// means the first section.
	Section string
	// DeferRelated leaves the related stories of what is published to
	// one rebuild in Finish, for bulk imports: computing them per story
	// is most of the cost of publishing one.
	DeferRelated bool
	// Language is used for items that declare none.
	Language string
	// Fetch stores a picture an item refers to by URL; nil leaves
	// pictures unfetched (the story goes out without them).
	Fetch func(ctx context.Context, p wire.Picture) (*story.Image, error)
	Now   func() time.Time
}

// Importer imports files into one store.
type Importer struct {
	o        Options
	sections []story.Section
	def      story.Section
	sources  map[string]story.Source
	routes   []store.WireRoute
	defaults map[int64]string // default section names by source id
	needText bool             // a rule looks for keywords
	deferred bool             // a story's related lists were left to Finish
}

// Result is what became of one item (or of a whole file with no items).
type Result struct {
	GUID       string
	Version    int
	Headline   string
	Outcome    string // a store.Wire* outcome
	Reason     string
	Section    string // the slug of the section it was routed to
	Rule       int64  // the routing rule that placed it, 0 when none did
	StoryID    int64
	Unfetched  int // pictures that were not fetched
	PictureErr string
	// DuplicateOf is the received item of another source with the same
	// copy, flagged for the wire desk, or 0.
	DuplicateOf int64
}

// New returns an Importer. The default section is --section, else the
// first section; a store without sections gets a "News" section, so wire
// copy always has a home.
func New(ctx context.Context, o Options) (*Importer, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Language == "" {
		o.Language = "en"
	}
	im := &Importer{o: o, sources: map[string]story.Source{}}
	secs, err := o.Store.Sections(ctx)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	if len(secs) == 0 {
		sec := story.Section{Slug: "news", Name: "News"}
		if sec.ID, err = o.Store.CreateSection(ctx, sec); err != nil {
			return nil, fmt.Errorf("ingest: create the News section: %w", err)
		}
		secs = []story.Section{sec}
	}
	im.sections, im.def = secs, secs[0]
	if o.Section != "" {
		sec, err := o.Store.SectionBySlug(ctx, o.Section)
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("ingest: --section %q: no such section", o.Section)
		}
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		im.def = sec
	}
	if err := im.loadRouting(ctx); err != nil {
		return nil, err
	}
	return im, nil
}

// Import reads one file and applies its items. The error wraps
// wire.ErrFormat when the file cannot be read at all; a store error
// stops the file where it happened (items before it are kept, each
// having been applied in its own transaction).
func (im *Importer) Import(ctx context.Context, data []byte) ([]Result, error) {
	b, err := wire.Parse(data)
	if err != nil {
		return nil, err
	}
	if b.Skip != "" {
		return []Result{{Outcome: store.WireSkipped, Reason: b.Skip}}, nil
	}
	var out []Result
	for _, it := range b.Items {
		r := Result{GUID: it.GUID, Version: it.Version, Headline: it.Headline}
		if why := it.SkipReason(); why != "" {
			r.Outcome, r.Reason = store.WireSkipped, why
			out = append(out, r)
			continue
		}
		if err := im.apply(ctx, it, &r); err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (im *Importer) apply(ctx context.Context, it *wire.Item, r *Result) error {
	src, err := im.source(ctx, it)
	if err != nil {
		return err
	}
	rt, err := im.route(ctx, it, src)
	if err != nil {
		return err
	}
	r.Section, r.Rule = rt.section.Slug, rt.rule
	st := im.toStory(it, src, rt.section)
	if rt.publish {
		// Copy that goes out on its own is the agency's: attributed to
		// the source ("SOURCE: AA"), with no byline, as on an agency
		// story of a news site. The reporter's name stays in the item,
		// and a draft an editor makes from it ("use") starts with it.
		st.Bylines = nil
	}
	note := ""
	fresh := false
	if len(it.Pictures) > 0 && im.o.Fetch != nil {
		if fresh, err = im.fresh(ctx, src.ID, it); err != nil {
			return err
		}
	}
	if len(it.Pictures) > 0 {
		var lead *story.Image
		if fresh {
			lead, err = im.fetch(ctx, it.Pictures[0])
		}
		switch {
		case lead != nil:
			st.Lead = lead
			r.Unfetched = len(it.Pictures) - 1
		case err != nil:
			r.Unfetched, r.PictureErr = len(it.Pictures), err.Error()
		default:
			r.Unfetched = len(it.Pictures)
		}
		if r.Unfetched > 0 {
			note = fmt.Sprintf("%d picture(s) not fetched", r.Unfetched)
			if r.PictureErr != "" {
				note += ": " + r.PictureErr
			}
		}
	}
	now := im.o.Now()
	var notes []story.Note
	if it.Corrected() {
		notes = []story.Note{{Kind: "correction", Text: correctionText(it, src, st.Language), At: now}}
	}
	raw, err := json.Marshal(it)
	if err != nil {
		return fmt.Errorf("ingest %s: %w", it.GUID, err)
	}
	res, err := im.o.Store.ApplyWire(ctx, store.WireApply{
		Item: store.WireItem{SourceID: src.ID, GUID: it.GUID, Version: it.Version, PubStatus: string(it.PubStatus),
			Headline: it.Headline, SectionID: st.Section.ID, Urgency: it.Urgency, Language: st.Language,
			EmbargoAt: it.Embargo, VersionCreatedAt: it.VersionCreated, Note: note, Fingerprint: fingerprint(it), Item: raw},
		Story: st, Publish: rt.publish, Notes: notes, Now: now, DeferRelated: im.o.DeferRelated,
	})
	if err != nil {
		return fmt.Errorf("ingest %s v%d: %w", it.GUID, it.Version, err)
	}
	r.Outcome, r.Reason, r.StoryID, r.DuplicateOf = res.Outcome, res.Reason, res.StoryID, res.DuplicateOf
	im.deferred = im.deferred || res.RelatedDeferred
	if res.Outcome == store.WireSkipped {
		r.Unfetched = 0
	}
	return nil
}

// Finish ends an import: with DeferRelated, it rebuilds the related
// stories once for everything published since New, or left stale by an
// earlier run that stopped before its end (so a re-run after a crash
// still ends with them current). It returns how many published stories
// the rebuild covered (0 when none was needed).
func (im *Importer) Finish(ctx context.Context) (int, error) {
	if !im.o.DeferRelated {
		return 0, nil
	}
	if !im.deferred {
		stale, err := im.o.Store.RelatedStale(ctx)
		if err != nil || !stale {
			return 0, err
		}
	}
	n, err := im.o.Store.RebuildRelated(ctx)
	if err != nil {
		return 0, fmt.Errorf("ingest: related stories: %w", err)
	}
	im.deferred = false
	return n, nil
}

// fresh reports whether no version as high as it's was received yet, so
// that a repeat costs no picture download.
func (im *Importer) fresh(ctx context.Context, sourceID int64, it *wire.Item) (bool, error) {
	seen, err := im.o.Store.WireItems(ctx, store.WireQuery{SourceID: sourceID, GUID: it.GUID, Limit: 500})
	if err != nil {
		return false, fmt.Errorf("ingest %s: %w", it.GUID, err)
	}
	for _, w := range seen {
		if w.Version >= it.Version {
			return false, nil
		}
	}
	return true, nil
}

func (im *Importer) fetch(ctx context.Context, p wire.Picture) (*story.Image, error) {
	if im.o.Fetch == nil {
		return nil, nil
	}
	return im.o.Fetch(ctx, p)
}

// source returns the store's source for an item: --source, else the
// item's own credit or provider.
func (im *Importer) source(ctx context.Context, it *wire.Item) (story.Source, error) {
	label := im.o.Source
	if label == "" {
		label = firstOf(it.Creditline, it.Provider, "Wire")
		if utf8.RuneCountInString(label) > 40 {
			label = "Wire"
		}
	}
	if src, ok := im.sources[label]; ok {
		return src, nil
	}
	src, err := im.o.Store.EnsureSource(ctx, story.Source{Label: label, Name: label})
	if err != nil && im.o.Source == "" {
		// A credit with no letters or digits cannot name a source.
		src, err = im.o.Store.EnsureSource(ctx, story.Source{Label: "Wire", Name: "Wire"})
	}
	if err != nil {
		return src, fmt.Errorf("ingest: source %q: %w", label, err)
	}
	im.sources[label] = src
	return src, nil
}

// correctionText is the public note a correction version adds to its
// story: the agency's own note on what it corrected, else a line saying
// the agency corrected the story, in the story's language.
func correctionText(it *wire.Item, src story.Source, lang string) string {
	if it.EdNote != "" {
		return it.EdNote
	}
	return i18n.For(lang).Tf("wire_corrected", src.Label)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}
