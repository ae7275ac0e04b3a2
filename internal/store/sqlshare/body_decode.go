package sqlshare

import (
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"dateline/internal/story"
)

// DecodeBody reads a stored body_json. Reading a story decodes its body
// on every uncached page, and encoding/json's reflective decoder was a
// quarter of Story's cost. The stored text is always json.Marshal's
// output for []story.Block, so a decoder of exactly that shape reads
// it directly, its strings without escapes shared with the column's
// text; anything else it meets (a null, a duplicate or differently
// spelled key, a number with a fraction, a surrogate escape, bytes that
// are not UTF-8, white space) sends the whole text to json.Unmarshal,
// whose result is the reference: FuzzDecodeBody holds the two equal.
func DecodeBody(text string) ([]story.Block, error) {
	d := bodyDecoder{s: text}
	if blocks, ok := d.blocks(); ok && d.i == len(d.s) {
		return blocks, nil
	}
	var blocks []story.Block
	if err := json.Unmarshal([]byte(text), &blocks); err != nil {
		return nil, err
	}
	return blocks, nil
}

// bodyDecoder walks s from i; each method reports false on anything it
// does not know, and the caller then falls back.
type bodyDecoder struct {
	s string
	i int
}

func (d *bodyDecoder) eat(c byte) bool {
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// list reads a JSON array, calling item for each element.
func (d *bodyDecoder) list(item func() bool) bool {
	if !d.eat('[') {
		return false
	}
	if d.eat(']') {
		return true
	}
	for {
		if !item() {
			return false
		}
		if d.eat(']') {
			return true
		}
		if !d.eat(',') {
			return false
		}
	}
}

// object reads a JSON object, calling field for each key with the seen
// bits of the keys so far (a key seen twice is refused: encoding/json
// would merge it).
func (d *bodyDecoder) object(field func(key string) (bit uint, ok bool)) bool {
	if !d.eat('{') {
		return false
	}
	if d.eat('}') {
		return true
	}
	var seen uint
	for {
		key, ok := d.str()
		if !ok || !d.eat(':') {
			return false
		}
		bit, ok := field(key)
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		if d.eat('}') {
			return true
		}
		if !d.eat(',') {
			return false
		}
	}
}

func (d *bodyDecoder) blocks() ([]story.Block, bool) {
	out := []story.Block{}
	ok := d.list(func() bool {
		var b story.Block
		if !d.object(func(key string) (uint, bool) { return d.blockField(&b, key) }) {
			return false
		}
		out = append(out, b)
		return true
	})
	return out, ok
}

func (d *bodyDecoder) blockField(b *story.Block, key string) (uint, bool) {
	var ok bool
	switch key {
	case "type":
		var t string
		t, ok = d.str()
		b.Type = story.BlockType(t)
		return 1, ok
	case "level":
		var n int64
		n, ok = d.int()
		b.Level = int(n)
		return 2, ok && n == int64(b.Level)
	case "spans":
		b.Spans, ok = d.spans()
		return 4, ok
	case "attribution":
		b.Attribution, ok = d.str()
		return 8, ok
	case "ordered":
		b.Ordered, ok = d.bool()
		return 16, ok
	case "items":
		b.Items = [][]story.Span{}
		ok = d.list(func() bool {
			item, ok := d.spans()
			b.Items = append(b.Items, item)
			return ok
		})
		return 32, ok
	case "image":
		b.Image = &story.Image{}
		return 64, d.object(func(key string) (uint, bool) { return d.imageField(b.Image, key) })
	case "story_id":
		b.StoryID, ok = d.int()
		return 128, ok
	case "url":
		b.URL, ok = d.str()
		return 256, ok
	}
	return 0, false
}

func (d *bodyDecoder) imageField(im *story.Image, key string) (uint, bool) {
	var ok bool
	var n int64
	switch key {
	case "media_id":
		im.MediaID, ok = d.int()
		return 1, ok
	case "hash":
		im.Hash, ok = d.str()
		return 2, ok
	case "w":
		n, ok = d.int()
		im.Width = int(n)
		return 4, ok && n == int64(im.Width)
	case "h":
		n, ok = d.int()
		im.Height = int(n)
		return 8, ok && n == int64(im.Height)
	case "caption":
		im.Caption, ok = d.str()
		return 16, ok
	case "credit":
		im.Credit, ok = d.str()
		return 32, ok
	case "alt":
		im.Alt, ok = d.str()
		return 64, ok
	}
	return 0, false
}

func (d *bodyDecoder) spans() ([]story.Span, bool) {
	out := []story.Span{}
	ok := d.list(func() bool {
		var sp story.Span
		if !d.object(func(key string) (uint, bool) { return d.spanField(&sp, key) }) {
			return false
		}
		out = append(out, sp)
		return true
	})
	return out, ok
}

func (d *bodyDecoder) spanField(sp *story.Span, key string) (uint, bool) {
	var ok bool
	switch key {
	case "text":
		sp.Text, ok = d.str()
		return 1, ok
	case "b":
		sp.Bold, ok = d.bool()
		return 2, ok
	case "i":
		sp.Italic, ok = d.bool()
		return 4, ok
	case "code":
		sp.Code, ok = d.bool()
		return 8, ok
	case "href":
		sp.Href, ok = d.str()
		return 16, ok
	}
	return 0, false
}

func (d *bodyDecoder) bool() (bool, bool) {
	switch {
	case len(d.s)-d.i >= 4 && d.s[d.i:d.i+4] == "true":
		d.i += 4
		return true, true
	case len(d.s)-d.i >= 5 && d.s[d.i:d.i+5] == "false":
		d.i += 5
		return false, true
	}
	return false, false
}

// int reads an integer as json.Marshal writes one: an optional minus,
// then 0 or digits without a leading zero, and no fraction or exponent.
func (d *bodyDecoder) int() (int64, bool) {
	start := d.i
	d.eat('-')
	digits := d.i
	for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
		d.i++
	}
	if d.i == digits || d.s[digits] == '0' && d.i-digits > 1 {
		return 0, false
	}
	if d.i < len(d.s) && (d.s[d.i] == '.' || d.s[d.i] == 'e' || d.s[d.i] == 'E') {
		return 0, false
	}
	n, err := strconv.ParseInt(d.s[start:d.i], 10, 64)
	return n, err == nil
}

// str reads a string. Without escapes it is a slice of s; escapes are
// the ones json.Marshal writes (\" \\ \/ \b \f \n \r \t and \u of a
// character that is not a surrogate).
func (d *bodyDecoder) str() (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	for d.i < len(d.s) {
		switch c := d.s[d.i]; {
		case c == '"':
			v := d.s[start:d.i]
			d.i++
			return v, utf8.ValidString(v)
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			return "", false
		default:
			d.i++
		}
	}
	return "", false
}

// escaped finishes a string begun at start that holds an escape at i.
func (d *bodyDecoder) escaped(start int) (string, bool) {
	buf := make([]byte, 0, d.i-start+32)
	buf = append(buf, d.s[start:d.i]...)
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			return string(buf), utf8.Valid(buf)
		case c < 0x20:
			return "", false
		case c != '\\':
			buf = append(buf, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.s) {
			return "", false
		}
		e := d.s[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			if d.i+4 > len(d.s) {
				return "", false
			}
			r, err := strconv.ParseUint(d.s[d.i:d.i+4], 16, 32)
			if err != nil || utf16.IsSurrogate(rune(r)) || d.s[d.i] == '+' || d.s[d.i] == '-' {
				return "", false
			}
			d.i += 4
			buf = utf8.AppendRune(buf, rune(r))
		default:
			return "", false
		}
	}
	return "", false
}
