package search

//go:generate sh -c "python3 gen/foldtable.py > fold_table.go && gofmt -w fold_table.go"

import (
	"unicode"
	"unicode/utf8"
)

// maxTermBytes caps one term: nothing a reader types or a story says is
// longer, and it keeps a pasted blob from becoming one giant index term.
const maxTermBytes = 64

// foldSpecial covers letters that fold to more than their base letter or
// that Unicode does not decompose (ß, æ, ø, ł…), and Greek final sigma.
var foldSpecial = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th",
	'ł': "l", 'Ł': "l", 'ħ': "h", 'Ħ': "h", 'ŀ': "l", 'Ŀ': "l", 'ı': "i", 'İ': "i",
	'ς': "σ", 'ŉ': "n", 'ĳ': "ij", 'Ĳ': "ij",
}

// appendFold appends the folded form of r: lower case, without
// diacritics, Turkish dotted and dotless i both "i", and Arabic letters in
// one form each. Combining marks and other vanishing characters append
// nothing.
func appendFold(dst []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, byte(r))
	case r >= 0x0600 && r <= 0x06FF:
		return appendArabic(dst, r)
	case vanishes(r):
		return dst
	}
	if s, ok := foldSpecial[r]; ok {
		return append(dst, s...)
	}
	if s, ok := foldTable[r]; ok {
		return append(dst, s...)
	}
	return utf8.AppendRune(dst, unicode.ToLower(r))
}

// vanishes reports whether r belongs inside a word but not in its term:
// combining marks (accents typed as separate characters), joiners and the
// soft hyphen.
func vanishes(r rune) bool {
	return unicode.Is(unicode.M, r) || r == 0x200C || r == 0x200D || r == 0x00AD
}

// isWordRune reports whether r is part of a word: letters, digits and the
// characters that vanish inside words.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r) || vanishes(r))
}

// appendArabic folds the Arabic block the way Arabic search engines do:
// short vowels, other diacritics and the tatweel vanish; the alef forms
// become bare alef, ta marbuta becomes ha, alef maqsura becomes ya; the
// Persian kaf and ya become the Arabic ones; Arabic-Indic digits become
// ASCII digits, so "٢٠٢٣" finds "2023".
func appendArabic(dst []byte, r rune) []byte {
	switch {
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640, r >= 0x06D6 && r <= 0x06ED:
		return dst
	case r == 0x0622, r == 0x0623, r == 0x0625, r == 0x0671, r == 0x0672, r == 0x0673:
		r = 0x0627 // alef
	case r == 0x0629:
		r = 0x0647 // ta marbuta → ha
	case r == 0x0649, r == 0x06CC:
		r = 0x064A // alef maqsura, Persian ya → ya
	case r == 0x06A9:
		r = 0x0643 // Persian kaf → kaf
	case r >= 0x0660 && r <= 0x0669:
		return append(dst, byte('0'+r-0x0660))
	case r >= 0x06F0 && r <= 0x06F9:
		return append(dst, byte('0'+r-0x06F0))
	}
	return utf8.AppendRune(dst, r)
}

// Fold returns s folded rune by rune, words and spaces alike. It is what
// the comparison of two words means in Dateline's search.
func Fold(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = appendFold(b, r)
	}
	return string(b)
}
