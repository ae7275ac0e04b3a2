package site

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"dateline/internal/story"
)

// FuzzDecodeCursor feeds ?after= any text. Invariants: a cursor is
// either refused with a 400 (never another error), or it is a position
// (time not negative, id positive) that encodes back to a cursor naming
// the same position. And every position a list writes reads back as
// itself.
func FuzzDecodeCursor(f *testing.F) {
	for _, seed := range []string{"", "a.b", "lzx9k3.1a", "0.1", "0.0", "-1.1", "1.-1", ".", "1.", ".1", "zzzzzzzzzzzzz.zzzzzzzzzzzzz",
		"1e3.1", "+1.1", "１.1", "1.1.1", "1%2E1", "\x00.\x00", "7fffffffffff.1", "1y2p0ij32e8e7.1y2p0ij32e8e7"} {
		f.Add(seed, int64(0), int64(1))
	}
	f.Add("", int64(1764426000000000), int64(1042))
	f.Add("", int64(-5), int64(0))
	f.Fuzz(func(t *testing.T, after string, micros, id int64) {
		r := httptest.NewRequest(http.MethodGet, "/world?after="+url.QueryEscape(after), nil)
		c, err := decodeCursor(r)
		if err != nil {
			var he *httpError
			if !errors.As(err, &he) || he.status != http.StatusBadRequest {
				t.Fatalf("after=%q: %v, want a 400", after, err)
			}
		} else if after != "" {
			if c.At.UnixMicro() < 0 || c.ID <= 0 {
				t.Fatalf("after=%q gave the position %v/%d", after, c.At, c.ID)
			}
			again := encodeCursor(story.Summary{ID: c.ID, FirstPublishedAt: c.At})
			c2, err := decodeCursor(httptest.NewRequest(http.MethodGet, "/world?after="+again, nil))
			if err != nil || !c2.At.Equal(c.At) || c2.ID != c.ID {
				t.Fatalf("after=%q read as %v/%d, written as %q, read back as %v/%d (%v)", after, c.At, c.ID, again, c2.At, c2.ID, err)
			}
		}
		// Positions a list can hold: published after 1970, id positive.
		if micros < 0 || id <= 0 {
			return
		}
		at := time.UnixMicro(micros).UTC()
		enc := encodeCursor(story.Summary{ID: id, FirstPublishedAt: at})
		back, err := decodeCursor(httptest.NewRequest(http.MethodGet, "/world?after="+url.QueryEscape(enc), nil))
		if err != nil || !back.At.Equal(at) || back.ID != id {
			t.Fatalf("position %d/%d written as %q read back as %v/%d (%v)", micros, id, enc, back.At, back.ID, err)
		}
	})
}
