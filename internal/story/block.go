package story

// BlockType names one kind of body block.
type BlockType string

// The body block types of DESIGN.md.
const (
	BlockParagraph BlockType = "paragraph"
	BlockHeading   BlockType = "heading"
	BlockQuote     BlockType = "quote"
	BlockImage     BlockType = "image"
	BlockList      BlockType = "list"
	BlockRelated   BlockType = "related"
	BlockEmbed     BlockType = "embed"
	BlockDivider   BlockType = "divider"
)

// Block is one element of a story body. Which fields are set depends on Type:
//
//	paragraph: Spans
//	heading:   Level (2 or 3), Spans
//	quote:     Spans, Attribution
//	image:     Image
//	list:      Ordered, Items
//	related:   StoryID
//	embed:     URL
//	divider:   nothing
//
// One flat struct rather than an interface keeps the JSON stored in the
// database plain and the template switch simple.
type Block struct {
	Type        BlockType `json:"type"`
	Level       int       `json:"level,omitempty"`
	Spans       []Span    `json:"spans,omitempty"`
	Attribution string    `json:"attribution,omitempty"`
	Ordered     bool      `json:"ordered,omitempty"`
	Items       [][]Span  `json:"items,omitempty"`
	Image       *Image    `json:"image,omitempty"`
	StoryID     int64     `json:"story_id,omitempty"`
	URL         string    `json:"url,omitempty"`
}

// Span is a run of inline text with its marks. A link is the run of
// consecutive spans sharing the same Href; marks nest inside it.
type Span struct {
	Text   string `json:"text"`
	Bold   bool   `json:"b,omitempty"`
	Italic bool   `json:"i,omitempty"`
	Code   bool   `json:"code,omitempty"`
	Href   string `json:"href,omitempty"`
}
