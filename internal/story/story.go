package story

import (
	"time"
)

// Status is a story's workflow state.
type Status string

// Workflow states. Only Published is visible to readers; Unpublished and
// Killed answer 410 Gone, Withheld answers 404 until released.
const (
	StatusDraft       Status = "draft"
	StatusSubmitted   Status = "submitted"
	StatusScheduled   Status = "scheduled"
	StatusPublished   Status = "published"
	StatusUnpublished Status = "unpublished"
	StatusKilled      Status = "killed"
	StatusWithheld    Status = "withheld"
	StatusSpiked      Status = "spiked"
)

// Gone reports whether a story in this state was public once and has been
// taken down for good, so its URL answers 410 rather than 404.
func (s Status) Gone() bool { return s == StatusUnpublished || s == StatusKilled }

// Type is a story's article type, shown as a label on opinion and analysis.
type Type string

// Article types.
const (
	TypeNews     Type = "news"
	TypeOpinion  Type = "opinion"
	TypeAnalysis Type = "analysis"
)

// Valid reports whether t is a known article type.
func (t Type) Valid() bool { return t == TypeNews || t == TypeOpinion || t == TypeAnalysis }

// Story is a complete story as stored.
type Story struct {
	ID          int64
	Slug        string
	Language    string // BCP 47
	Type        Type
	Status      Status
	Section     Section
	Headline    string
	Standfirst  string
	Lead        *Image // nil when the story has no lead image
	Bylines     []Byline
	Source      *Source // wire agency, nil for staff copy
	Tags        []Tag
	Body        []Block
	BodySource  string // the editor's Markdown-like text the body was parsed from
	WordCount   int    // WordCount(Body), set by the store when it reads or writes the story
	Related     []int64
	SEOTitle    string
	SEODesc     string
	Notes       []Note
	WireID      string // the agency's own item id (GUID/URI)
	WireVersion int
	Version     int // optimistic locking

	FirstPublishedAt time.Time // zero until first made public; orders every list
	PublishedAt      time.Time
	UpdatedAt        time.Time // last non-minor change visible to readers
	CreatedAt        time.Time
	ModifiedAt       time.Time // any change, for caches and sitemaps
}

// Summary is the part of a story that lists and teasers show.
type Summary struct {
	ID               int64
	Slug             string
	Language         string
	Type             Type
	Section          Section
	Headline         string
	Standfirst       string
	Lead             *Image
	Bylines          []Byline
	Source           *Source
	FirstPublishedAt time.Time
	UpdatedAt        time.Time
	ReadingMinutes   int
}

// Path is the story's canonical URL path, /{section}/{slug}-{id}, or
// /{section}/{id} when the headline has no Latin transliteration.
func Path(sectionSlug, slug string, id int64) string {
	if slug == "" {
		return "/" + sectionSlug + "/" + itoa(id)
	}
	return "/" + sectionSlug + "/" + slug + "-" + itoa(id)
}

// Path is the story's canonical URL path.
func (s *Story) Path() string { return Path(s.Section.Slug, s.Slug, s.ID) }

// Path is the story's canonical URL path.
func (s *Summary) Path() string { return Path(s.Section.Slug, s.Slug, s.ID) }

// Summary returns the list view of the story.
func (s *Story) Summary() Summary {
	return Summary{
		ID: s.ID, Slug: s.Slug, Language: s.Language, Type: s.Type, Section: s.Section,
		Headline: s.Headline, Standfirst: s.Standfirst, Lead: s.Lead, Bylines: s.Bylines,
		Source: s.Source, FirstPublishedAt: s.FirstPublishedAt, UpdatedAt: s.UpdatedAt,
		ReadingMinutes: ReadingMinutes(s.Body),
	}
}

// Updated reports whether the story changed visibly after it was first published.
func (s *Story) Updated() bool {
	return !s.FirstPublishedAt.IsZero() && s.UpdatedAt.Sub(s.FirstPublishedAt) > time.Minute
}

// Section is a part of the site with its own front page, such as World.
type Section struct {
	ID          int64
	Slug        string
	Name        string
	Description string
	Position    int
}

// Author is a staff profile with a public page.
type Author struct {
	ID       int64
	Slug     string
	Name     string
	Role     string // job title shown under the name, e.g. "Diplomatic correspondent"
	Bio      string
	Portrait *Image
}

// Byline is one credited name on a story: a staff profile (AuthorID > 0)
// or a free-text name for a contributor or agency reporter.
type Byline struct {
	AuthorID   int64 // 0 for free text
	AuthorSlug string
	Name       string
}

// Source is a wire agency whose copy the site carries, such as AA.
type Source struct {
	ID    int64
	Slug  string
	Name  string // "Anadolu Agency"
	Label string // attribution shown on the page: "AA"
	URL   string // the agency's website, optional
}

// Tag is a keyword that groups stories across sections.
type Tag struct {
	ID   int64
	Slug string
	Name string
}

// Note is a correction or update note shown on the story page.
type Note struct {
	Kind string // "correction" or "update"
	Text string
	At   time.Time
}

// Image is a reference to a stored picture with the words that go with it.
type Image struct {
	MediaID int64  `json:"media_id"`
	Hash    string `json:"hash"` // content checksum; names the files of every width
	Width   int    `json:"w"`    // of the original
	Height  int    `json:"h"`
	Caption string `json:"caption,omitempty"`
	Credit  string `json:"credit,omitempty"`
	Alt     string `json:"alt,omitempty"`
}

// Media is a stored picture in the library.
type Media struct {
	ID      int64
	Hash    string
	Mime    string
	Width   int
	Height  int
	Bytes   int64
	Caption string
	Credit  string
	Alt     string
	FocalX  float64 // 0..1, the point crops keep in view
	FocalY  float64
	Created time.Time
}

// Image returns a reference to m with its default caption, credit and alt text.
func (m *Media) Image() *Image {
	return &Image{MediaID: m.ID, Hash: m.Hash, Width: m.Width, Height: m.Height,
		Caption: m.Caption, Credit: m.Credit, Alt: m.Alt}
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
