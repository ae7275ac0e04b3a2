package api

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"dateline/internal/story"
)

// FuzzDecodeCursor: any ?cursor= is either a 400 naming the parameter
// cursor, or a position of the asked kind that writes back as itself.
func FuzzDecodeCursor(f *testing.F) {
	for _, seed := range []string{"", "p", "plzx9k3.1a", "slzx9k3.1a", "clzx9k3.1a", "p0.1", "p0.0", "p-1.1", "p1.-1", "p.", "x1.1",
		"pzzzzzzzzzzzzz.zzzzzzzzzzzzzz", "p1.1.1", "P1.1", "p１.1", "\xffp1.1", "p+1.+1"} {
		f.Add(seed, cursorPublished)
		f.Add(seed, cursorChanges)
	}
	f.Fuzz(func(t *testing.T, v, kind string) {
		c, err := decodeCursor(v, kind)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Parameter != "cursor" || e.Code != "bad_cursor" {
				t.Fatalf("cursor %q: %#v, want a 400 bad_cursor naming the parameter", v, err)
			}
			return
		}
		if v == "" {
			return
		}
		if c.ID <= 0 || c.At.UnixMicro() < 0 {
			t.Fatalf("cursor %q gave %v/%d", v, c.At, c.ID)
		}
		again := encodeCursor(kind, c.At, c.ID)
		c2, err := decodeCursor(again, kind)
		if err != nil || !c2.At.Equal(c.At) || c2.ID != c.ID {
			t.Fatalf("cursor %q read as %v/%d, written %q, read back %v/%d (%v)", v, c.At, c.ID, again, c2.At, c2.ID, err)
		}
	})
}

// FuzzDecodeTagCursor: a tag cursor is a 400 or a valid slug that
// round-trips.
func FuzzDecodeTagCursor(f *testing.F) {
	for _, seed := range []string{"", encodeTagCursor("black-sea"), encodeTagCursor("a"), "dDo", "dDpBQkM", "!!", "dDpibGFjay1zZWE=", "dDpibGFj\nay1zZWE"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		slug, err := decodeTagCursor(v)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Parameter != "cursor" {
				t.Fatalf("tag cursor %q: %#v", v, err)
			}
			return
		}
		if v == "" {
			return
		}
		if !story.ValidSlug(slug) {
			t.Fatalf("tag cursor %q gave the slug %q", v, slug)
		}
		if back, err := decodeTagCursor(encodeTagCursor(slug)); err != nil || back != slug {
			t.Fatalf("slug %q does not round-trip: %q %v", slug, back, err)
		}
	})
}

// FuzzListParams feeds the story list's parameters any query string.
// Each is refused with a 400 naming a parameter, or gives values in range:
// a limit of 1 to 100, a known ninjs version, known statuses, and
// statuses other than published only with a key.
func FuzzListParams(f *testing.F) {
	for _, seed := range []string{"", "limit=1", "limit=100", "limit=101", "limit=0", "limit=-1", "limit=1e2", "limit=%20", "limit=0x10",
		"format=ninjs2", "format=NINJS2", "format=ninjs4", "status=draft", "status=published", "status=draft,published",
		"status=draft,,", "status=%00", "status=published&status=draft", "section=world&limit=5", "foo=bar", "limit=1&limit=2", "%zz"} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	known := []string{"limit", "cursor", "format", "status", "section", "tag", "author", "source", "language", "updated_since"}
	f.Fuzz(func(t *testing.T, raw string, keyed bool) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return // params answers bad_query before these run
		}
		named := func(err error) {
			t.Helper()
			var e *Error
			if !errors.As(err, &e) || e.Status/100 != 4 || e.Code == "" || e.Message == "" {
				t.Fatalf("%q: %#v, want a 4xx with a code and words", raw, err)
			}
			if e.Status == http.StatusBadRequest && (e.Parameter == "" || !slices.Contains(append(known, keysOf(q)...), e.Parameter)) {
				t.Fatalf("%q: 400 names the parameter %q", raw, e.Parameter)
			}
		}
		if err := checkParams(q, known...); err != nil {
			named(err)
		}
		if n, err := parseLimit(q); err != nil {
			named(err)
		} else if n < 1 || n > maxLimit {
			t.Fatalf("%q: limit %d", raw, n)
		}
		if v, err := ninjsVersion(q); err != nil {
			named(err)
		} else if v != 2 && v != 3 {
			t.Fatalf("%q: ninjs version %d", raw, v)
		}
		sts, err := parseStatuses(q, keyed)
		if err != nil {
			named(err)
			return
		}
		for _, st := range sts {
			if !slices.Contains(allStatuses, st) {
				t.Fatalf("%q: unknown status %q let through", raw, st)
			}
			if !keyed && st != story.StatusPublished {
				t.Fatalf("%q: status %q without a key", raw, st)
			}
		}
	})
}

func keysOf(q url.Values) []string {
	var out []string
	for k := range q {
		out = append(out, k)
	}
	return out
}
