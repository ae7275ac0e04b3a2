package auth

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: the OWASP baseline (19 MiB, 2 passes, 1 lane),
// about 30 ms a hash on this class of machine: slow for an attacker with
// the database, cheap enough for a login form.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLen and MaxPasswordLen bound passwords, in characters
// (NIST SP 800-63B: at least 8, we ask 12; allow long passphrases).
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

//go:embed common_passwords.txt
var commonList string

var common = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonList, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToLower(l)] = true
		}
	}
	return m
}()

// ErrWeakPassword wraps every reason CheckPassword refuses a password.
var ErrWeakPassword = errors.New("password refused")

// CheckPassword applies the policy of NIST SP 800-63B: long enough, no
// composition rules, and not a password that is common or trivially
// guessable (one repeated character, a keyboard run, the site's name).
func CheckPassword(pw string, context ...string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return fmt.Errorf("%w: use at least %d characters (a few words make a good one)", ErrWeakPassword, MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Errorf("%w: use at most %d characters", ErrWeakPassword, MaxPasswordLen)
	case !utf8.ValidString(pw):
		return fmt.Errorf("%w: it is not valid text", ErrWeakPassword)
	}
	lower := strings.ToLower(pw)
	if common[lower] || common[strings.TrimRight(lower, "0123456789!.")] || repetitive(lower) {
		return fmt.Errorf("%w: it is on a list of common or easily guessed passwords", ErrWeakPassword)
	}
	for _, c := range context {
		if c = strings.ToLower(strings.TrimSpace(c)); len(c) >= 4 && strings.Contains(lower, c) && len(lower)-len(c) < 8 {
			return fmt.Errorf("%w: it is too close to your name, email or the site's name", ErrWeakPassword)
		}
	}
	return nil
}

// repetitive catches "aaaaaaaaaaaa", "abcabcabcabc" and keyboard runs.
func repetitive(s string) bool {
	for period := 1; period <= 4; period++ {
		if len(s) >= 2*period && strings.Repeat(s[:period], len(s)/period+1)[:len(s)] == s {
			return true
		}
	}
	for _, run := range []string{"abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "01234567890", "09876543210"} {
		if strings.Contains(run, s) {
			return true
		}
	}
	return false
}

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the hash, in constant time.
// It reads the parameters from the hash, so they can be raised later.
func VerifyPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<21 || t > 10 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when an account does not exist, so a
// wrong email costs the same time as a wrong password.
var dummyHash, _ = HashPassword("dateline-no-such-account")

// VerifyNoAccount spends the time of a password check and fails.
func VerifyNoAccount(pw string) bool {
	VerifyPassword(dummyHash, pw)
	return false
}

// GeneratePassword makes a random password that passes the policy: five
// words' worth of entropy in 20 base-32 characters, grouped for reading.
func GeneratePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 20)
	rand.Read(b)
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return sb.String()
}
