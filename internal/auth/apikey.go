package auth

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"
)

// APIKeyPrefix starts every content API key, so a key pasted in the wrong
// place (a log, a repository) is recognisable and can be searched for.
const APIKeyPrefix = "dl_"

// NewAPIKey reads 32 random bytes from rnd (crypto/rand.Reader outside
// tests) and returns the key to show once and the hash to store.
func NewAPIKey(rnd io.Reader) (key, hash string, err error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(rnd, b); err != nil {
		return "", "", fmt.Errorf("make api key: %w", err)
	}
	key = APIKeyPrefix + base64.RawURLEncoding.EncodeToString(b)
	return key, APIKeyHash(key), nil
}

// APIKeyHash is the stored form of a key: its SHA-256 in hex. A key is
// random and long, so a fast hash is enough (no password stretching).
func APIKeyHash(key string) string { return TokenID(key) }

// LooksLikeAPIKey reports whether s has the shape of a key NewAPIKey
// makes, so a malformed header is refused without a database lookup.
func LooksLikeAPIKey(s string) bool {
	rest, ok := strings.CutPrefix(s, APIKeyPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}
