package story

import (
	"strconv"
	"strings"
	"unicode"
)

// latinTable transliterates U+00C0–U+017F (Latin-1 Supplement letters and
// Latin Extended-A) to lower-case ASCII, sixteen code points a row; "-"
// marks the two signs in that range (× ÷) that are not letters. A table by
// hand rather than golang.org/x/text: Turkish needs ı and İ both to be i,
// which Unicode decomposition alone does not give.
var latinTable = strings.Fields(`
	a a a a a a ae c e e e e i i i i
	d n o o o o o - o u u u u y th ss
	a a a a a a ae c e e e e i i i i
	d n o o o o o - o u u u u y th y
	a a a a a a c c c c c c c c d d
	d d e e e e e e e e e e g g g g
	g g g g h h h h i i i i i i i i
	i i ij ij j j k k k l l l l l l l
	l l l n n n n n n n n n o o o o
	o o oe oe r r r r r r s s s s s s
	s s t t t t t t u u u u u u u u
	u u u u w w y y y z z z z z z s
`)

// latinExtra covers letters past Latin Extended-A that headlines meet:
// Romanian comma-below ș ț, Azerbaijani ə, pinyin tones, Vietnamese ơ ư.
var latinExtra = map[rune]string{
	'Ș': "s", 'ș': "s", 'Ț': "t", 'ț': "t", 'Ə': "e", 'ə': "e", 'ƒ': "f",
	'Ǎ': "a", 'ǎ': "a", 'Ǐ': "i", 'ǐ': "i", 'Ǒ': "o", 'ǒ': "o", 'Ǔ': "u", 'ǔ': "u",
	'Ǖ': "u", 'ǖ': "u", 'Ǘ': "u", 'ǘ': "u", 'Ǚ': "u", 'ǚ': "u", 'Ǜ': "u", 'ǜ': "u",
	'Ơ': "o", 'ơ': "o", 'Ư': "u", 'ư': "u",
}

// Slugify makes the slug of DESIGN.md from a headline or name: lower-case
// ASCII letters and digits, Latin letters with diacritics transliterated,
// every other run of characters one "-", cut at a hyphen to at most max
// bytes (max <= 0: no limit). Apostrophes vanish ("Kim's" → "kims") and
// scripts with no Latin transliteration are dropped, so an Arabic headline
// gives "" and its story URL is /{section}/{id}.
func Slugify(s string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		t := transliterate(r)
		switch {
		case t != "":
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteString(t)
		case isApostrophe(r) || unicode.Is(unicode.Mn, r):
			// A combining accent belongs to the letter before it.
		default:
			dash = true
		}
	}
	return cutSlug(b.String(), max)
}

var asciiSlug [128]string

func init() {
	for c := '0'; c <= '9'; c++ {
		asciiSlug[c] = string(c)
	}
	for c := 'a'; c <= 'z'; c++ {
		asciiSlug[c], asciiSlug[c-'a'+'A'] = string(c), string(c)
	}
}

func transliterate(r rune) string {
	switch {
	case r < 128:
		return asciiSlug[r]
	case r >= 0xC0 && r < 0x180:
		if t := latinTable[r-0xC0]; t != "-" {
			return t
		}
		return ""
	}
	return latinExtra[r]
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// cutSlug cuts at the last hyphen that keeps the slug within max, so no
// word is cut in half unless the first word alone is too long.
func cutSlug(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	if i := strings.LastIndexByte(s[:max+1], '-'); i > 0 {
		return s[:i]
	}
	return s[:max]
}

// ValidSlug reports whether s is [a-z0-9]+(-[a-z0-9]+)*, the form of every
// section, tag, author and story slug.
func ValidSlug(s string) bool {
	if s == "" {
		return false
	}
	dash := true // no leading hyphen
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			dash = false
		case c == '-' && !dash:
			dash = true
		default:
			return false
		}
	}
	return !dash
}

// SplitSlugID splits the last path segment of a story URL into its slug and
// id: "shoigu-visits-kim-1042" gives ("shoigu-visits-kim", 1042), "1042"
// gives ("", 1042). The id must be a positive decimal without a leading
// zero, so each story has one URL; the slug is returned as it is, for the
// caller to redirect when it is not the current one.
func SplitSlugID(s string) (slug string, id int64, ok bool) {
	num := s
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		slug, num = s[:i], s[i+1:]
		if slug == "" {
			return "", 0, false
		}
	}
	if num == "" || num[0] == '0' || strings.TrimLeft(num, "0123456789") != "" {
		return "", 0, false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return "", 0, false
	}
	return slug, id, true
}
