package api

// The ninjs documents the API serves. The types follow the IPTC ninjs 3.1
// schema (ninjs-schema_3.1.json, the current generation) and use only
// properties it defines; ninjs 2.2 names the same properties in lower case
// (pubStatus → pubstatus), which is how version 2 output is made (see
// ninjs2.go). Every document is checked against both official schemas in
// the tests.

// Standard versions and schema URIs written in each document's "standard".
const (
	ninjs3Version = "3.1"
	ninjs3Schema  = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"
	ninjs2Version = "2.2"
	ninjs2Schema  = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
)

// Document is a ninjs news object: a story, its lead picture, or the
// tombstone of a story taken down (uri, pubStatus and versionCreated only).
type Document struct {
	URI                string      `json:"uri"`
	Standard           *Standard   `json:"standard,omitempty"`
	Type               string      `json:"type,omitempty"`
	RepresentationType string      `json:"representationType,omitempty"`
	Version            string      `json:"version,omitempty"`
	FirstCreated       string      `json:"firstCreated,omitempty"`
	VersionCreated     string      `json:"versionCreated,omitempty"`
	ContentCreated     string      `json:"contentCreated,omitempty"`
	PubStatus          string      `json:"pubStatus,omitempty"`
	CopyrightHolder    string      `json:"copyrightHolder,omitempty"`
	EdNote             string      `json:"edNote,omitempty"`
	Language           string      `json:"language,omitempty"`
	Headlines          []Text      `json:"headlines,omitempty"`
	Descriptions       []Text      `json:"descriptions,omitempty"`
	Bodies             []Body      `json:"bodies,omitempty"`
	By                 string      `json:"by,omitempty"`
	People             []Entity    `json:"people,omitempty"`
	Subjects           []Entity    `json:"subjects,omitempty"`
	Genres             []Entity    `json:"genres,omitempty"`
	InfoSources        []Entity    `json:"infoSources,omitempty"`
	AltIDs             []AltID     `json:"altIds,omitempty"`
	Renditions         []Rendition `json:"renditions,omitempty"`
	Associations       []Associate `json:"associations,omitempty"`
}

// Standard names the standard, version and schema a document follows.
type Standard struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Schema  string `json:"schema"`
}

// Text is a headline or a description.
type Text struct {
	Role        string `json:"role,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Value       string `json:"value"`
}

// Body is one rendering of the story's body.
type Body struct {
	Role        string `json:"role,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	CharCount   int    `json:"charCount"`
	WordCount   int    `json:"wordCount"`
	Value       string `json:"value"`
}

// Entity is a person, subject, genre or info source. Role is used by info
// sources only, Rel by the others (the schemas differ there).
type Entity struct {
	Name    string `json:"name,omitempty"`
	Role    string `json:"role,omitempty"`
	Rel     string `json:"rel,omitempty"`
	URI     string `json:"uri,omitempty"`
	Literal string `json:"literal,omitempty"`
}

// AltID is another identifier of the story: its web page, the agency's id.
type AltID struct {
	Role  string `json:"role"`
	Value string `json:"value"`
}

// Rendition is one stored size of a picture.
type Rendition struct {
	Name        string `json:"name"`
	Href        string `json:"href"`
	ContentType string `json:"contentType"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
}

// Associate is an associated news object (the lead picture) with its name.
type Associate struct {
	Name string `json:"name"`
	Document
}
