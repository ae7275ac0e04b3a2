package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word of a text: the term it folds to and where it stands.
type Token struct {
	Term       string
	Start, End int  // byte offsets of the word in the text
	Upper      bool // the word starts with a capital letter
}

// eachToken calls fn for every word of s with its term (valid only during
// the call) and byte offsets. A word is a run of letters, digits and
// combining marks; anything else, invalid UTF-8 included, separates words.
func eachToken(s string, fn func(term []byte, start, end int, upper bool)) {
	var buf []byte
	start := -1
	upper := false
	flush := func(end int) {
		if start >= 0 && len(buf) > 0 {
			fn(stem(capTerm(buf)), start, end, upper)
		}
		start, buf = -1, buf[:0]
	}
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if isWordRune(r) && !(r == utf8.RuneError && size == 1) {
			if start < 0 {
				start, upper = i, unicode.IsUpper(r)
			}
			buf = appendFold(buf, r)
		} else {
			flush(i)
		}
		i += size
	}
	flush(len(s))
}

// capTerm cuts a term to maxTermBytes at a rune boundary.
func capTerm(b []byte) []byte {
	if len(b) <= maxTermBytes {
		return b
	}
	n := maxTermBytes
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return b[:n]
}

// Tokens splits s into its words.
func Tokens(s string) []Token {
	var out []Token
	eachToken(s, func(term []byte, start, end int, upper bool) {
		out = append(out, Token{Term: string(term), Start: start, End: end, Upper: upper})
	})
	return out
}

// Terms returns the terms of s in order, repeats included.
func Terms(s string) []string {
	var out []string
	eachToken(s, func(term []byte, _, _ int, _ bool) { out = append(out, string(term)) })
	return out
}

// IndexText is s as the full-text index stores it: its terms separated by
// single spaces. The index's own tokenizer then only splits on spaces, so
// the index holds exactly the terms this package makes, and a query built
// by Parse meets them folded the same way.
func IndexText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	eachToken(s, func(term []byte, _, _ int, _ bool) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.Write(term)
	})
	return b.String()
}

// Arabic light stemming (Larkey's light10, as Lucene does it): the
// conjunction wa-, the article al- with the prepositions fused to it, and
// common suffixes come off, so "والمغرب" and "المغرب" both become "مغرب".
// The forms are already folded (ة is ه, ى is ي).
var (
	arPrefixes = [][]rune{[]rune("ال"), []rune("وال"), []rune("بال"), []rune("كال"), []rune("فال"), []rune("لل")}
	arSuffixes = [][]rune{[]rune("ها"), []rune("ان"), []rune("ات"), []rune("ون"), []rune("ين"), []rune("يه"), []rune("ه"), []rune("ي")}
)

// stem applies Arabic light stemming to a folded term that starts with an
// Arabic letter; other terms come back as they are.
func stem(term []byte) []byte {
	if len(term) < 2 || term[0] != 0xD8 && term[0] != 0xD9 {
		return term
	}
	r, _ := utf8.DecodeRune(term)
	if r < 0x0621 || r > 0x064A {
		return term
	}
	w := []rune(string(term))
	if len(w) > 3 && w[0] == 'و' {
		w = w[1:]
	}
	for _, p := range arPrefixes {
		if len(w)-len(p) > 1 && hasPrefix(w, p) {
			w = w[len(p):]
			break
		}
	}
	for _, s := range arSuffixes {
		if len(w)-len(s) > 1 && hasSuffix(w, s) {
			w = w[:len(w)-len(s)]
		}
	}
	return append(term[:0], string(w)...)
}

func hasPrefix(w, p []rune) bool {
	if len(w) < len(p) {
		return false
	}
	for i := range p {
		if w[i] != p[i] {
			return false
		}
	}
	return true
}

func hasSuffix(w, s []rune) bool {
	if len(w) < len(s) {
		return false
	}
	off := len(w) - len(s)
	for i := range s {
		if w[off+i] != s[i] {
			return false
		}
	}
	return true
}
