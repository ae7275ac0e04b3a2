package wire

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"dateline/internal/story"
)

// MaxFileSize is the largest file Parse reads; agency items are a few
// hundred kilobytes at most, so anything bigger is refused, not parsed.
const MaxFileSize = 16 << 20

// Parse detects the format of data from its content and reads its items.
// The error wraps ErrFormat when the data is in no known format or too
// broken to read; a readable file whose items are not news (a package,
// an event) still returns them, each with its Kind, for the caller to
// skip with Item.SkipReason.
func Parse(data []byte) (*Batch, error) {
	b, err := parse(data)
	if err != nil {
		return nil, err
	}
	for _, it := range b.Items {
		it.Language = normLang(it.Language)
		it.Headline, it.Subheadline = plainText(it.Headline), plainText(it.Subheadline)
		dropRepeats(it)
	}
	if len(b.Items) == 0 && b.Skip == "" {
		b.Skip = "no items in the " + b.Format + " document"
	}
	return b, nil
}

// normLang tidies a language tag into BCP 47 form: "en_US" and "EN-us"
// become "en-US".
func normLang(s string) string {
	parts := strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool { return r == '-' || r == '_' })
	for i, p := range parts {
		switch {
		case i == 0:
			parts[i] = strings.ToLower(p)
		case len(p) == 2:
			parts[i] = strings.ToUpper(p)
		case len(p) == 4:
			parts[i] = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		default:
			parts[i] = strings.ToLower(p)
		}
	}
	return strings.Join(parts, "-")
}

func parse(data []byte) (*Batch, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: %d bytes is more than the %d a wire file may have", ErrFormat, len(data), MaxFileSize)
	}
	data, err := toUTF8(data)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrFormat)
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		return parseJSON(trimmed)
	}
	if trimmed[0] != '<' {
		return nil, fmt.Errorf("%w: neither XML nor JSON", ErrFormat)
	}
	root, ns, err := rootElement(data)
	if err != nil {
		return nil, err
	}
	switch root {
	case "newsItem", "newsMessage", "packageItem", "planningItem", "conceptItem", "knowledgeItem", "catalog", "catalogItem":
		return parseNewsMLG2(data, root)
	case "rss", "RDF", "feed", "channel":
		return parseFeed(data)
	case "schema":
		return &Batch{Format: "xsd", Skip: "an XML Schema, not news copy"}, nil
	}
	if ns == g2Namespace || g2Fragments[root] {
		return &Batch{Format: "newsml-g2", Skip: "a NewsML-G2 fragment <" + root + ">, not a whole item"}, nil
	}
	return nil, fmt.Errorf("%w: unknown XML document <%s>", ErrFormat, root)
}

// parseJSON tells ninjs from JSON Feed and JSON Schema.
func parseJSON(data []byte) (*Batch, error) {
	var probe any
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%w: broken JSON: %v", ErrFormat, err)
	}
	if obj, ok := probe.(map[string]any); ok {
		if v, _ := obj["version"].(string); strings.Contains(v, "jsonfeed.org") {
			return parseFeed(data)
		}
		if isJSONSchema(obj) {
			return &Batch{Format: "json-schema", Skip: "a JSON Schema, not news copy"}, nil
		}
	}
	return parseNinjs(probe)
}

// isJSONSchema tells a schema (which has "$schema" and defines
// properties or types) from a ninjs item that names its schema in
// "$schema" too.
func isJSONSchema(obj map[string]any) bool {
	if _, ok := obj["$schema"]; !ok {
		return false
	}
	for _, k := range []string{"properties", "$defs", "definitions", "patternProperties"} {
		if _, ok := obj[k]; ok {
			return true
		}
	}
	return false
}

// toUTF8 strips a byte-order mark and re-encodes XML declared in another
// encoding (ISO-8859-1, Windows-1252...) to UTF-8, rewriting the
// declaration to match, so every reader after it sees UTF-8 only.
func toUTF8(data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		out, _, err := transform.Bytes(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder(), data)
		if err != nil {
			return nil, fmt.Errorf("%w: bad UTF-16: %v", ErrFormat, err)
		}
		data = out
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	m := xmlDecl.FindSubmatchIndex(data)
	if m == nil {
		return data, nil
	}
	enc := strings.ToLower(string(data[m[2]:m[3]]))
	if enc == "utf-8" || enc == "utf8" || enc == "us-ascii" || enc == "ascii" {
		return append(append(append([]byte{}, data[:m[2]]...), "UTF-8"...), data[m[3]:]...), nil
	}
	r, err := charset.NewReaderLabel(enc, bytes.NewReader(data[m[1]:]))
	if err != nil {
		return nil, fmt.Errorf("%w: unknown encoding %q", ErrFormat, enc)
	}
	rest, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: decode %s: %v", ErrFormat, enc, err)
	}
	out := append([]byte{}, data[:m[2]]...)
	out = append(out, "UTF-8"...)
	out = append(out, data[m[3]:m[1]]...)
	return append(out, rest...), nil
}

// xmlDecl finds the encoding in an XML declaration; group 1 is its value.
var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["'][^>]*\?>`)

func newXMLDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	// Named entities come only from HTML's fixed list: encoding/xml reads
	// no DTD, so neither "billion laughs" expansion nor external
	// entities can happen.
	d.Entity = xml.HTMLEntity
	return d
}

// g2Namespace is the XML namespace of NewsML-G2.
const g2Namespace = "http://iptc.org/std/nar/2006-10-01/"

// g2Fragments are NewsML-G2 elements that, as a document's root, make it
// an excerpt (the guidelines' listings) rather than an item.
var g2Fragments = map[string]bool{"contentSet": true, "contentMeta": true, "itemMeta": true,
	"groupSet": true, "partMeta": true, "assert": true, "inlineXML": true, "rightsInfo": true}

// rootElement returns the local name and namespace of the document element.
func rootElement(data []byte) (string, string, error) {
	d := newXMLDecoder(data)
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", "", fmt.Errorf("%w: XML without a document element", ErrFormat)
			}
			return "", "", fmt.Errorf("%w: broken XML: %v", ErrFormat, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local, se.Name.Space, nil
		}
	}
}

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04", "2006-01-02", time.RFC1123Z, time.RFC1123,
}

// parseTime reads the date-times wire formats use, or returns zero.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// dropRepeats removes what agencies repeat at the top of the body: the
// headline as a heading (TT, NITF) and the standfirst as a first
// paragraph (dpa's teaser).
func dropRepeats(it *Item) {
	for len(it.Body) > 0 {
		b := it.Body[0]
		text := story.PlainText(b.Spans)
		if (b.Type == story.BlockHeading && strings.EqualFold(text, it.Headline)) ||
			(b.Type == story.BlockParagraph && it.Subheadline != "" && text == it.Subheadline) {
			it.Body = it.Body[1:]
			continue
		}
		return
	}
}
