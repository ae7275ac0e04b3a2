package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQueryRunes is the longest query used; the rest is cut off and the
// reader told so.
const MaxQueryRunes = 200

// Limits on the parts of one query: enough for any real search, and a cap
// on the work a pasted paragraph can cause.
const (
	maxPositive = 12
	maxNegative = 4
)

// Term is one part of a query: a word, or a phrase of several words.
type Term struct {
	Words  []string // folded terms, in order
	Prefix bool     // typed with *: the last word matches words it starts
	Not    bool     // leave out stories that have it (-word)
	Quoted bool     // typed in quotes: an exact word or phrase
	// Base is set on a plain word of four letters or more, and on a
	// single word typed with *: the start (the word, or its singular)
	// that longer forms share. The store looks the commonest of them up
	// in its vocabulary (Expand), so a search never has the index merge
	// every word that starts the same way.
	Base string
	Alts []string // other forms that match too, from Expand
}

// Phrase reports whether the term is several words in a row.
func (t Term) Phrase() bool { return len(t.Words) > 1 }

// Query is what a reader typed, parsed. Whatever the bytes, parsing never
// fails and Match never yields invalid index syntax: every word is quoted,
// so NEAR, AND, OR, parentheses, stars and carets are only words.
type Query struct {
	Text      string // the text as used: valid UTF-8, spaces collapsed, cut
	Terms     []Term
	Truncated bool // the text was longer than MaxQueryRunes
}

// quoteMarks are the characters read as a double quote: typographic
// quotes from phones and word processors, and guillemets.
var quoteMarks = strings.NewReplacer("“", `"`, "”", `"`, "„", `"`, "«", `"`, "»", `"`, "″", `"`)

// Parse reads a query: words (all must match), "quoted phrases", word*
// for a prefix, -word to leave a word out. A plain word of four letters or
// more may also match its longer forms (see Expand; an English plural its
// singular's), and a Turkish suffix after an apostrophe is dropped
// ("Ankara'da" searches "Ankara"). Stop words are left out when the query
// has other words.
func Parse(s string) Query {
	s = strings.ToValidUTF8(s, " ")
	var q Query
	if utf8.RuneCountInString(s) > MaxQueryRunes {
		n := 0
		for i := range s {
			if n == MaxQueryRunes {
				s = s[:i]
				break
			}
			n++
		}
		q.Truncated = true
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	q.Text = s
	s = quoteMarks.Replace(s)
	not := false
	for i, seg := range strings.Split(s, `"`) {
		if i%2 == 1 {
			if words := Terms(seg); len(words) > 0 {
				q.Terms = append(q.Terms, Term{Words: words, Not: not, Quoted: true})
			}
			not = false
			continue
		}
		not = false
		for _, chunk := range strings.Fields(seg) {
			if chunk == "-" || chunk == "−" {
				not = true // applies to a quoted phrase right after it
				continue
			}
			not = false
			if t, ok := parseChunk(chunk); ok {
				q.Terms = append(q.Terms, t)
			}
		}
		// "-" only negates a phrase when it touches the quote: -"a b".
		if !strings.HasSuffix(seg, "-") && !strings.HasSuffix(seg, "−") {
			not = false
		}
	}
	q.Terms = tidy(q.Terms)
	return q
}

// parseChunk reads one space-separated chunk outside quotes.
func parseChunk(chunk string) (Term, bool) {
	var t Term
	if rest, ok := strings.CutPrefix(chunk, "-"); ok && rest != "" {
		t.Not, chunk = true, rest
	} else if rest, ok := strings.CutPrefix(chunk, "−"); ok && rest != "" {
		t.Not, chunk = true, rest
	}
	chunk = strings.TrimLeft(chunk, "+")
	explicit := strings.HasSuffix(strings.TrimRightFunc(chunk, func(r rune) bool { return !isWordRune(r) && r != '*' }), "*")
	chunk = cutSuffixAfterApostrophe(chunk)
	words := Terms(chunk)
	if len(words) == 0 {
		return t, false
	}
	t.Words = words
	last := words[len(words)-1]
	switch {
	case t.Not:
	case explicit && len(words) == 1 && utf8.RuneCountInString(last) >= minPrefixRunes:
		t.Prefix, t.Base = true, last
	case explicit && utf8.RuneCountInString(last) >= minPrefixRunes:
		t.Prefix = true
	case len(words) == 1 && utf8.RuneCountInString(last) >= minExpandRunes:
		t.Base = singular(last)
		if utf8.RuneCountInString(t.Base) < minExpandRunes {
			t.Base = last // "arts" must not match "article"
		}
	}
	return t, true
}

// A prefix typed with * scans every indexed word it starts, so it needs
// a few letters; the forms of a plain word are looked up from four.
const (
	minPrefixRunes = 3
	minExpandRunes = 4
)

// cutSuffixAfterApostrophe drops a short lower-case ending after an
// apostrophe: Turkish case suffixes on names (İstanbul'da, Türkiye'nin)
// and English possessives (Kim's), in capitals too. "O'Brien" keeps its
// capital half.
func cutSuffixAfterApostrophe(s string) string {
	i := strings.IndexAny(s, "'’ʼ‘`")
	if i <= 0 {
		return s
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	rest := strings.TrimRightFunc(s[i+size:], func(r rune) bool { return !isWordRune(r) })
	first, _ := utf8.DecodeRuneInString(rest)
	shouting := strings.ToUpper(s) == s // İSTANBUL'DAKİ
	if rest == "" || utf8.RuneCountInString(rest) > 5 || utf8.RuneCountInString(s[:i]) < 2 || !unicode.IsLower(first) && !shouting {
		return s
	}
	for _, r := range rest {
		if !unicode.IsLetter(r) {
			return s
		}
	}
	return s[:i]
}

// singular returns the start an English plural shares with its singular
// ("floods" → "flood", "companies" → "compan"), or w itself.
func singular(w string) string {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return w
		}
	}
	switch {
	case len(w) >= 5 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3]
	case len(w) >= 5 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// tidy drops repeated terms, stop words and one-letter words when the
// query has better words, and caps the number of terms.
func tidy(terms []Term) []Term {
	useful := false
	for _, t := range terms {
		if !t.Not && (t.Phrase() || t.Quoted || !IsStopWord(t.Words[0]) && utf8.RuneCountInString(t.Words[0]) > 1) {
			useful = true
		}
	}
	seen := map[string]bool{}
	out := terms[:0]
	pos, neg := 0, 0
	for _, t := range terms {
		key := strings.Join(t.Words, " ")
		if t.Not {
			key = "-" + key
		}
		if seen[key] {
			continue
		}
		if useful && !t.Not && !t.Phrase() && !t.Quoted && (IsStopWord(t.Words[0]) || utf8.RuneCountInString(t.Words[0]) < 2) {
			continue
		}
		if t.Not && neg >= maxNegative || !t.Not && pos >= maxPositive {
			continue
		}
		seen[key] = true
		if t.Not {
			neg++
		} else {
			pos++
		}
		out = append(out, t)
	}
	return out
}

// Searchable reports whether the query has something worth searching
// for: a word of at least two letters that is not left out.
func (q Query) Searchable() bool {
	for _, t := range q.Terms {
		if t.Not {
			continue
		}
		for _, w := range t.Words {
			if utf8.RuneCountInString(w) >= 2 {
				return true
			}
		}
	}
	return false
}

// Match returns the full-text expression for the query: every term
// required, or with anyTerm at least one. Empty when there is nothing to
// search for. Each word is quoted, so the expression is always valid.
func (q Query) Match(anyTerm bool) string {
	var pos, neg []string
	for _, t := range q.Terms {
		if t.Not {
			neg = append(neg, `"`+strings.Join(t.Words, " ")+`"`)
		} else {
			pos = append(pos, t.expr())
		}
	}
	if len(pos) == 0 {
		return ""
	}
	sep := " AND "
	if anyTerm {
		sep = " OR "
	}
	m := strings.Join(pos, sep)
	if len(neg) > 0 {
		m = "(" + m + ") NOT (" + strings.Join(neg, " OR ") + ")"
	}
	return m
}

// expr is one positive term as an index expression: a phrase, a prefix of
// a phrase, or a word with the other forms of it the index holds.
func (t Term) expr() string {
	phrase := `"` + strings.Join(t.Words, " ") + `"`
	switch {
	case t.Prefix && t.Base == "":
		return phrase + "*"
	case len(t.Alts) == 0:
		return phrase
	}
	parts := []string{phrase}
	for _, a := range t.Alts {
		if a != t.Words[0] {
			parts = append(parts, `"`+a+`"`)
		}
	}
	if len(parts) == 1 {
		return phrase
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// Base is a start of words whose forms a query wants looked up: any word
// it starts for a prefix (word*), inflections only for a plain word.
type Base struct {
	Start  string
	Prefix bool
}

// Bases returns the starts of the terms that want their forms looked up.
func (q Query) Bases() []Base {
	var out []Base
	for _, t := range q.Terms {
		if t.Base != "" && !t.Not {
			out = append(out, Base{t.Base, t.Prefix})
		}
	}
	return out
}

// Expand returns a copy of q whose words match the forms given for their
// bases too: the store's vocabulary says which words start with each base
// ("flood" → flood, floods, flooded, flooding). A prefix with no forms
// matches its word exactly.
func (q Query) Expand(forms map[string][]string) Query {
	terms := make([]Term, len(q.Terms))
	copy(terms, q.Terms)
	for i, t := range terms {
		if t.Base != "" && len(forms[t.Base]) > 0 {
			terms[i].Alts = forms[t.Base]
		}
	}
	q.Terms = terms
	return q
}

// Positive returns the terms that stories must (or, relaxed, may) have.
func (q Query) Positive() []Term {
	var out []Term
	for _, t := range q.Terms {
		if !t.Not {
			out = append(out, t)
		}
	}
	return out
}

// Replace returns a copy of q with the single word of term i replaced,
// as a typo correction does.
func (q Query) Replace(i int, word string) Query {
	terms := make([]Term, len(q.Terms))
	copy(terms, q.Terms)
	terms[i] = Term{Words: []string{word}, Not: terms[i].Not}
	q.Terms = terms
	return q
}

// String writes the query back from its terms, as it was searched.
func (q Query) String() string {
	parts := make([]string, 0, len(q.Terms))
	for _, t := range q.Terms {
		s := strings.Join(t.Words, " ")
		if t.Phrase() || t.Quoted {
			s = `"` + s + `"`
		}
		if t.Prefix {
			s += "*"
		}
		if t.Not {
			s = "-" + s
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}
