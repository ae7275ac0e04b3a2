package api

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// Cursor kinds: a cursor from one kind of list is refused by another, so
// a client mixing them up gets a 400 rather than a silently wrong page.
const (
	cursorPublished = "p" // by first_published_at, newest first
	cursorStatus    = "s" // by first_published_at or created_at (keyed status lists)
	cursorChanges   = "c" // by modified_at, oldest first (?updated_since=)
)

// encodeCursor writes a position as kind, time and id, the latter two in
// base 36 like the site's ?after= (internal/site/cursor.go): short, opaque
// enough, and strictly checked when read back.
func encodeCursor(kind string, at time.Time, id int64) string {
	return kind + strconv.FormatInt(at.UnixMicro(), 36) + "." + strconv.FormatInt(id, 36)
}

// decodeCursor reads ?cursor= for a list of the given kind.
func decodeCursor(v, kind string) (store.Cursor, error) {
	if v == "" {
		return store.Cursor{}, nil
	}
	bad := badParam("cursor", "bad_cursor", "not a cursor this list returned; pass next_cursor back unchanged")
	if len(v) > 40 || len(v) < 4 {
		return store.Cursor{}, bad
	}
	if v[:1] != kind {
		return store.Cursor{}, badParam("cursor", "bad_cursor", "this cursor belongs to another kind of list (with or without updated_since or status)")
	}
	a, b, ok := strings.Cut(v[1:], ".")
	if !ok {
		return store.Cursor{}, bad
	}
	at, err1 := strconv.ParseInt(a, 36, 64)
	id, err2 := strconv.ParseInt(b, 36, 64)
	if err1 != nil || err2 != nil || at < 0 || id <= 0 {
		return store.Cursor{}, bad
	}
	return store.Cursor{At: time.UnixMicro(at).UTC(), ID: id}, nil
}

// encodeTagCursor and decodeTagCursor page the tag list by slug.
func encodeTagCursor(slug string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("t:" + slug))
}

func decodeTagCursor(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	slug, ok := strings.CutPrefix(string(b), "t:")
	if err != nil || !ok || !story.ValidSlug(slug) {
		return "", badParam("cursor", "bad_cursor", "not a cursor this list returned; pass next_cursor back unchanged")
	}
	return slug, nil
}
