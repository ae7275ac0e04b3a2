package wire

import (
	"errors"
	"strings"
	"time"

	"dateline/internal/story"
)

// ErrFormat means the bytes are not in any format this package reads, or
// are too broken to read (for example JSON that does not parse).
var ErrFormat = errors.New("unreadable wire file")

// PubStatus is an item's publishing status as its agency declares it.
type PubStatus string

// The IPTC publishing statuses (stat:usable, stat:withheld, stat:canceled).
const (
	Usable   PubStatus = "usable"
	Withheld PubStatus = "withheld"
	Canceled PubStatus = "canceled"
)

// Kind is what an item carries. Only text becomes a story; every other
// kind is skipped with a reason.
type Kind string

// Item kinds, after the IPTC NewsML-G2 item classes and ninjs types.
const (
	KindText     Kind = "text"
	KindPicture  Kind = "picture"
	KindGraphic  Kind = "graphic"
	KindVideo    Kind = "video"
	KindAudio    Kind = "audio"
	KindPackage  Kind = "package"
	KindPlanning Kind = "planning"
	KindEvent    Kind = "event"
	KindConcept  Kind = "concept"
	KindCatalog  Kind = "catalog"
	KindOther    Kind = "other"
)

// Picture is a picture an item refers to by URL, with the words that go
// with it.
type Picture struct {
	URL     string
	Caption string
	Credit  string
	Alt     string
	Width   int
	Height  int
}

// Item is one agency item, normalised from whichever format it came in.
type Item struct {
	Format      string // "newsml-g2", "ninjs", "rss", "atom", "json"...
	Kind        Kind
	GUID        string // the agency's id: NewsML-G2 guid, ninjs uri/guid, feed guid/id/link
	Version     int    // 1 when the format has none
	PubStatus   PubStatus
	Headline    string
	Subheadline string // standfirst
	Body        []story.Block
	Bylines     []string
	Creditline  string
	Provider    string
	Subjects    []string // subject names and keywords, in order, without duplicates
	Located     string
	Dateline    string
	Urgency     int // 1 (most urgent) to 9, 0 when not given
	Language    string
	// SubjectCodes are the subjects' codes as qcodes, in order, without
	// duplicates: "medtop:11000000", "subj:04000000", "dpacat:pl"; IPTC
	// NewsCodes URIs become qcodes (…/newscodes/mediatopic/X → medtop:X),
	// other URIs are kept. The broader concepts a subject names count too.
	SubjectCodes []string
	Keywords     []string // the item's own keywords, a feed item's categories (also in Subjects)
	Signals      []string // signals such as "update", "correction" (NewsML-G2 sig:, producers' ninjs)
	// EdNote is the agency's note on a correction, when the item carries
	// one it does not restrict to the receiver (pubconstraint nonpublic):
	// a NewsML-G2 edNote whose role names a correction, else one with no
	// role; a ninjs ednote. "" when none.
	EdNote string

	FirstCreated   time.Time
	ContentCreated time.Time
	VersionCreated time.Time
	Embargo        time.Time // zero when not embargoed
	Link           string    // the item's web page, for feed items

	Pictures []Picture
}

// SkipReason says why an item cannot become a story, or "" when it can.
func (it *Item) SkipReason() string {
	switch {
	case it.Kind != KindText:
		return string(it.Kind) + " item, not a text story"
	case it.GUID == "":
		return "no guid or uri to recognise later versions by"
	case it.Headline == "":
		return "no headline"
	}
	return ""
}

// Corrected reports whether the agency flags this version as a
// correction of an earlier one.
func (it Item) Corrected() bool {
	for _, s := range it.Signals {
		if strings.EqualFold(s, "correction") || strings.EqualFold(s, "corrected") {
			return true
		}
	}
	return false
}

// Batch is what one file holds.
type Batch struct {
	Format string
	Items  []*Item
	Skip   string // set when the file is readable but is not news copy at all (a schema)
}
