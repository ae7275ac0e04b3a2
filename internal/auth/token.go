package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// Session lifetimes: a session ends after IdleTimeout without activity,
// and after AbsoluteTimeout whatever happens.
const (
	IdleTimeout     = 12 * time.Hour
	AbsoluteTimeout = 7 * 24 * time.Hour
)

// Login throttling: at most this many failures in the window, per account
// and per client address; past it, login is refused with a clear message.
const (
	MaxFailuresPerAccount = 5
	MaxFailuresPerIP      = 20
	FailureWindow         = 15 * time.Minute
)

// NewToken returns a random session token for the cookie and its id, the
// SHA-256 the database keeps.
func NewToken() (token, id string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, TokenID(token)
}

// TokenID is the stored id of a token.
func TokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Expired reports whether a session created and last seen at these times
// has ended at now.
func Expired(created, lastSeen, now time.Time) bool {
	return now.Sub(lastSeen) > IdleTimeout || now.Sub(created) > AbsoluteTimeout
}
