package store

import (
	"context"
	"time"

	"dateline/internal/story"
)

// SitemapStory is a published story as a sitemap lists it: just what its
// URL, dates and picture need, read from an index rather than the row.
type SitemapStory struct {
	ID               int64
	Slug             string
	SectionSlug      string
	Language         string
	Headline         string // set by EachNewsStory only
	FirstPublishedAt time.Time
	UpdatedAt        time.Time
	Lead             *story.Image // Hash and Width only; nil without a lead image
}

// Path is the story's canonical URL path.
func (e *SitemapStory) Path() string { return story.Path(e.SectionSlug, e.Slug, e.ID) }

// LastMod is the time of the story's last significant change: UpdatedAt,
// which minor edits (typos) leave alone, or the first publication when
// it was never updated. Crawlers are asked to recrawl for changes readers
// are told about, and it agrees with the page's dateModified; ModifiedAt
// moves on workflow bookkeeping that changes nothing on the page.
func (e *SitemapStory) LastMod() time.Time {
	if e.UpdatedAt.After(e.FirstPublishedAt) {
		return e.UpdatedAt
	}
	return e.FirstPublishedAt
}

// SitemapBlock is one non-empty block of a sitemap split by id ranges:
// block N (from 1) holds the ids in ((N-1)·size, N·size]. LastMod is the
// newest LastMod of what it lists, zero when unknown.
type SitemapBlock struct {
	N       int
	LastMod time.Time
}

// SitemapPage is a list page a sitemap points to (a section, tag, author
// or source page) with the first publication of its newest story, zero
// when it has none.
type SitemapPage struct {
	ID      int64
	Slug    string
	LastMod time.Time
}

// Sitemaps streams what sitemaps list (sitemap.go). Each method reads by
// an index; the Each methods call fn row by row in small batches and stop
// at fn's first error, which they return unwrapped.
type Sitemaps interface {
	// EachSitemapStory calls fn for every published story with an id in
	// (after, upto], by id ascending; upto 0 sets no upper bound.
	EachSitemapStory(ctx context.Context, after, upto int64, fn func(SitemapStory) error) error
	// SitemapStoryBlocks returns the blocks of size ids that hold a
	// published story, in order, with the newest LastMod in each.
	SitemapStoryBlocks(ctx context.Context, size int) ([]SitemapBlock, error)
	// EachNewsStory calls fn for up to limit published stories first
	// published at or after since, newest first, with their headlines.
	EachNewsStory(ctx context.Context, since time.Time, limit int, fn func(SitemapStory) error) error
	// EachSitemapTag calls fn for every tag with an id in (after, upto]
	// that has a published story, by id; upto 0 sets no upper bound.
	// LastMod is the first publication of its published story with the
	// highest id: exact unless an older draft was published after a newer
	// one, and one index probe a tag.
	EachSitemapTag(ctx context.Context, after, upto int64, fn func(SitemapPage) error) error
	// SitemapTagBlocks is SitemapStoryBlocks for tags with published stories.
	SitemapTagBlocks(ctx context.Context, size int) ([]SitemapBlock, error)
	// SitemapSections returns every section in display order.
	SitemapSections(ctx context.Context) ([]SitemapPage, error)
	// SitemapAuthors returns every staff author, by slug; LastMod as for tags.
	SitemapAuthors(ctx context.Context) ([]SitemapPage, error)
	// SitemapSources returns the wire sources that have a published
	// story, by slug.
	SitemapSources(ctx context.Context) ([]SitemapPage, error)
}
