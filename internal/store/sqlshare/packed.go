package sqlshare

import (
	"errors"
	"strconv"
	"strings"

	"dateline/internal/story"
)

// A story page used to read its story's children, and the bylines of the
// stories Explore shows, with statements of their own: four statements a
// page, where each one (a call through database/sql into SQLite, a
// prepared statement taken from the cache, the rows stepped one by one)
// costs more than the rows it returns. The packed columns below fold
// them into the row they belong to: a correlated subquery, run only for
// the rows the statement returns, that aggregates a story's children
// into one string. Both stores spell it alike (string_agg with ORDER BY
// is PostgreSQL's and, since 3.44, SQLite's).
//
// A packed string is a run of records, each field after the first one or
// two being length-prefixed in bytes ("5:hello"), so any text (commas,
// colons, newlines) comes back as it went in without escaping:
//
//	byline:  <author id>,<len>:<author slug><len>:<name>
//	child:   <kind><ref>,<at>,<len>:<slug><len>:<name>
//
// where kind is b (byline), t (tag), r (related id) or n (note), as in
// addChild.

// packedBylines is a column of the bylines of the story whose id is the
// SQL expression id, in order, packed as above (” when it has none).
func packedBylines(id string) string {
	return `coalesce((SELECT string_agg(coalesce(b.author_id, 0) || ',' ||
		octet_length(coalesce(a.slug, '')) || ':' || coalesce(a.slug, '') ||
		octet_length(b.name) || ':' || b.name, '' ORDER BY b.position)
		FROM story_bylines b LEFT JOIN authors a ON a.id = b.author_id WHERE b.story_id = ` + id + `), '')`
}

// packedChildren is a column of the bylines, tags, related ids and notes
// of the story whose id is the SQL expression id, packed as above, in the
// order loadChildren reads them.
func packedChildren(id string) string {
	return `coalesce((SELECT string_agg(c.k || c.ref || ',' || c.at || ',' ||
		octet_length(c.slug) || ':' || c.slug || octet_length(c.name) || ':' || c.name, '' ORDER BY c.k, c.pos) FROM (
		SELECT 'b' AS k, b.position AS pos, coalesce(b.author_id, 0) AS ref, coalesce(a.slug, '') AS slug, b.name AS name, 0 AS at
			FROM story_bylines b LEFT JOIN authors a ON a.id = b.author_id WHERE b.story_id = ` + id + `
		UNION ALL SELECT 't', st.position, t.id, t.slug, t.name, 0
			FROM story_tags st JOIN tags t ON t.id = st.tag_id WHERE st.story_id = ` + id + `
		UNION ALL SELECT 'r', r.position, r.related_id, '', '', 0 FROM story_related r WHERE r.story_id = ` + id + `
		UNION ALL SELECT 'n', n.id, 0, n.kind, n.text, n.at FROM story_notes n WHERE n.story_id = ` + id + `) c), '')`
}

var errPacked = errors.New("malformed packed children")

// packReader takes a packed string apart.
type packReader struct{ s string }

// int reads a decimal integer up to and including the byte end.
func (p *packReader) int(end byte) (int64, error) {
	i := strings.IndexByte(p.s, end)
	if i < 0 {
		return 0, errPacked
	}
	n, err := strconv.ParseInt(p.s[:i], 10, 64)
	if err != nil {
		return 0, errPacked
	}
	p.s = p.s[i+1:]
	return n, nil
}

// text reads a length-prefixed text.
func (p *packReader) text() (string, error) {
	n, err := p.int(':')
	if err != nil || n < 0 || n > int64(len(p.s)) {
		return "", errPacked
	}
	v := p.s[:n]
	p.s = p.s[n:]
	return v, nil
}

// unpackBylines reads a packedBylines column.
func unpackBylines(s string) ([]story.Byline, error) {
	if s == "" {
		return nil, nil
	}
	out := make([]story.Byline, 0, 2)
	p := packReader{s}
	for p.s != "" {
		var b story.Byline
		var err error
		if b.AuthorID, err = p.int(','); err != nil {
			return nil, err
		}
		if b.AuthorSlug, err = p.text(); err != nil {
			return nil, err
		}
		if b.Name, err = p.text(); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// unpackChildren reads a packedChildren column into st.
func unpackChildren(st *story.Story, s string) error {
	p := packReader{s}
	for p.s != "" {
		kind := p.s[:1]
		p.s = p.s[1:]
		ref, err := p.int(',')
		if err != nil {
			return err
		}
		at, err := p.int(',')
		if err != nil {
			return err
		}
		slug, err := p.text()
		if err != nil {
			return err
		}
		name, err := p.text()
		if err != nil {
			return err
		}
		if !strings.Contains("btrn", kind) {
			return errPacked
		}
		addChild(st, kind, ref, slug, name, at)
	}
	return nil
}
