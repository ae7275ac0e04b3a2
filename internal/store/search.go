package store

import (
	"context"
	"time"

	"dateline/internal/search"
	"dateline/internal/story"
)

// Searcher is the search part of the store: full-text search, related
// stories, the Explore list and view counts. Text is folded and matched
// by package search, the same in every implementation. Methods fail only
// when the database does: no query text, filter or id is an error.
type Searcher interface {
	// Search returns published stories matching what a reader typed, best
	// first. Any input is safe: it is never parsed as query syntax. It is
	// SearchStories without filters or snippets, for pickers and tests.
	Search(ctx context.Context, q string, limit int) ([]story.Summary, error)
	// SearchStories runs a reader's or an editor's search: any text, with
	// filters, a page at a time. A word also matches the commonest longer
	// forms of it that published stories hold (flood: floods, flooding).
	// When no story has every word, typing slips are corrected against
	// the words of published stories (Corrected), and failing that
	// stories with some of the words are listed (Relaxed). A word in very
	// many stories has only its newest matches ranked (More).
	SearchStories(ctx context.Context, q SearchQuery) (SearchResult, error)

	// Related returns up to n published stories related to the story with
	// that id: the editor's own choices first, in their order, then the
	// precomputed ones (shared tags, names and words), best first. Never
	// the story itself, never an unpublished one; empty, not an error, for
	// a story that has none.
	Related(ctx context.Context, storyID int64, n int) ([]story.Summary, error)
	// RebuildRelated recomputes the related stories of every published
	// story and returns how many it did. Publishing, updating and killing
	// keep the table current one story at a time; a rebuild also refreshes
	// word weights as the archive grows, and follows a migration or import.
	RebuildRelated(ctx context.Context) (int, error)
	// RelatedStale reports whether a rebuild is due: a migration asked for
	// one, or a large archive has doubled since the last. The server checks
	// it at start and now and then, and rebuilds in the background.
	RelatedStale(ctx context.Context) (bool, error)

	// Explore returns, in one round trip, what a story page links to: the
	// editor's chosen stories (Editor, as given), the precomputed related
	// stories, the newest and the most-read ones.
	Explore(ctx context.Context, q ExploreQuery) (ExploreResult, error)

	// CountView counts one reader's view of a story now. Implementations
	// may write at once; ViewBuffer wraps a store so that page views only
	// touch memory and are written in batches.
	CountView(ctx context.Context, storyID int64) error
	// AddViews adds view counts (per story and hour) in one transaction.
	AddViews(ctx context.Context, views []ViewCount) error
	// MostRead returns the published stories with the most views since
	// q.Since, most first, without bylines (the list shows headlines).
	MostRead(ctx context.Context, q MostReadQuery) ([]story.Summary, error)
	// Languages returns the languages of published stories, sorted.
	Languages(ctx context.Context) ([]string, error)
}

// SearchQuery is a search with its filters. Zero values mean "any".
type SearchQuery struct {
	Text      string
	SectionID int64
	Language  string    // a story language such as "en" or "tr"
	From, To  time.Time // first published in [From, To)
	// Statuses limits the stories searched; empty means published only.
	// The newsroom passes every status to find drafts and wire items.
	Statuses []story.Status
	After    SearchCursor
	Limit    int
}

// SearchCursor is a position in a list of results: the score and id of
// the last hit seen, and the reference time the scores were computed at,
// so the next page ranks exactly like the first.
type SearchCursor struct {
	Ref   time.Time
	Score float64
	ID    int64
	// Relaxed and Corrected carry the first page's fallbacks over.
	Relaxed, Corrected bool
}

// IsZero reports whether c is the start of the results.
func (c SearchCursor) IsZero() bool { return c.ID == 0 }

// SearchHit is one result: the story, its status (for the newsroom), and
// its headline and a passage of its text with the matching words marked.
type SearchHit struct {
	story.Summary
	Status   story.Status
	Score    float64
	Headline []search.Fragment
	Snippet  []search.Fragment
}

// SearchResult is a page of results.
type SearchResult struct {
	Hits  []SearchHit
	Total int // stories matching, over every page
	// More is set when the words are in so many stories that only the
	// newest were ranked: Total counts those.
	More bool
	Next SearchCursor // zero when this is the last page
	// Query is the query as parsed and run (after any correction).
	Query search.Query
	// Relaxed is set when no story had every word, so stories with any
	// of them were listed.
	Relaxed bool
	// Corrected is set when the words as typed found nothing and the
	// query was run with typing slips corrected; Query is then the
	// corrected query.
	Corrected bool
}

// ExploreQuery asks for the stories a story page leads on to. Each list
// leaves out StoryID and Exclude; it is up to the page to mix them.
type ExploreQuery struct {
	StoryID  int64
	Editor   []int64 // the editor's related stories, returned in this order
	Related  int     // how many precomputed related stories
	Fresh    int     // how many of the newest stories
	MostRead int     // how many most-read stories since Since
	Since    time.Time
	Exclude  []int64
}

// ExploreResult holds the lists an ExploreQuery asked for; an editor's
// story that is not published is left out.
type ExploreResult struct {
	Editor, Related, Fresh, MostRead []story.Summary
}

// ViewCount is the number of views of a story in one hour.
type ViewCount struct {
	StoryID int64
	Hour    time.Time // truncated to the hour, UTC
	Views   int
}

// MostReadQuery selects the most-read list.
type MostReadQuery struct {
	SectionID int64 // 0 for the whole site
	Since     time.Time
	Exclude   []int64
	Limit     int
}
