package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"dateline/internal/story"
	"dateline/internal/wire"
)

// fingerprint identifies an item's copy whatever its case, punctuation
// and white space: the same story sent by two agencies (or by one under
// two sources) gets the same fingerprint, and the wire desk flags the
// second. An item without body text has none: a headline alone is too
// short to call two items the same.
func fingerprint(it *wire.Item) string {
	body := story.BodyText(it.Body)
	if strings.TrimSpace(body) == "" {
		return ""
	}
	h := sha256.New()
	var buf [4]byte
	for _, s := range []string{it.Headline, "\x00", body} {
		for _, r := range strings.ToLower(s) {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == 0 {
				n := copy(buf[:], string(r))
				h.Write(buf[:n])
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:8]) // 64 bits: no collision at any wire volume
}
