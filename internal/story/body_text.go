package story

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// wordsPerMinute is the reading speed of DESIGN.md.
const wordsPerMinute = 230

// FormatBody writes blocks back in the editors' syntax, so a body that came
// from the wire can be edited like one typed in the newsroom. For any body
// ParseBody produced, ParseBody(FormatBody(b)) gives b again.
func FormatBody(blocks []Block) string {
	var parts []string
	for _, b := range blocks {
		if s := formatBlock(b); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\n\n")
}

func formatBlock(b Block) string {
	switch b.Type {
	case BlockParagraph:
		return formatParagraph(b.Spans)
	case BlockHeading:
		return formatHeading(b)
	case BlockQuote:
		return formatQuote(b)
	case BlockImage:
		return formatImage(b.Image)
	case BlockList:
		return formatList(b)
	case BlockRelated:
		return formatRelated(b)
	case BlockEmbed:
		if isEmbedURL(b.URL) {
			return b.URL
		}
		return formatParagraph([]Span{{Text: b.URL}})
	case BlockDivider:
		return "---"
	}
	return ""
}

// formatParagraph escapes the start of a paragraph that would otherwise
// read as another block: "# 1 seed", "1. Not a list", a lone URL.
func formatParagraph(spans []Span) string {
	s := formatSpans(spans)
	if s == "" {
		return ""
	}
	switch l := classify(s); {
	case l.kind == lineList && l.ordered:
		n := len(s) - len(strings.TrimLeft(s, "0123456789"))
		return s[:n] + `\` + s[n:]
	case l.kind != lineText:
		return `\` + s
	case isEmbedURL(s):
		i := strings.IndexByte(s, ':')
		return s[:i] + `\` + s[i:]
	}
	return s
}

func formatHeading(b Block) string {
	s := formatSpans(b.Spans)
	switch {
	case s == "":
		return ""
	case b.Level >= 3:
		return "### " + s
	}
	return "## " + s
}

func formatQuote(b Block) string {
	s := formatSpans(b.Spans)
	attr := appendEscaped(nil, strings.TrimSpace(cleanText(b.Attribution)))
	switch {
	case s == "" && len(attr) == 0:
		return ""
	case len(attr) == 0:
		return "> " + s
	}
	return "> " + s + "\n> — " + string(attr)
}

func formatList(b Block) string {
	var lines []string
	for _, item := range b.Items {
		s := formatSpans(item)
		if s == "" {
			continue
		}
		marker := "- "
		if b.Ordered {
			marker = strconv.Itoa(len(lines)+1) + ". "
		}
		lines = append(lines, marker+s)
	}
	return strings.Join(lines, "\n")
}

func formatImage(img *Image) string {
	if img == nil {
		return ""
	}
	ref := strings.TrimPrefix(img.Hash, "name:")
	switch {
	case img.MediaID > 0:
		ref = strconv.FormatInt(img.MediaID, 10)
	case ref == img.Hash || !validRefName(ref):
		return ""
	}
	alt := strings.TrimSpace(cleanText(img.Alt))
	alt = strings.NewReplacer(`\`, `\\`, `]`, `\]`).Replace(alt)
	caption, credit := strings.TrimSpace(cleanText(img.Caption)), strings.TrimSpace(cleanText(img.Credit))
	title := caption
	switch {
	case credit != "":
		title = strings.TrimSpace(caption + " | " + strings.ReplaceAll(credit, "|", "/"))
	case strings.Contains(caption, "|"):
		title = caption + " |" // the last bar splits, so an empty credit must be written
	}
	if title != "" {
		title = ` "` + title + `"`
	}
	return "![" + alt + "](media:" + ref + title + ")"
}

func formatRelated(b Block) string {
	switch key, ok := strings.CutPrefix(b.URL, "key:"); {
	case b.StoryID > 0:
		return "[[related:" + strconv.FormatInt(b.StoryID, 10) + "]]"
	case ok && validRefName(key):
		return "[[related:" + key + "]]"
	}
	return ""
}

// cleanText makes text from outside (the wire) fit on one line of the
// syntax; text ParseBody produced passes unchanged.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r':
			return ' '
		case r == '\t':
			return r
		case isControl(r) || r == '\uFEFF':
			return -1
		}
		return r
	}, s)
}

// PlainText is the text of spans without their marks.
func PlainText(spans []Span) string {
	var b strings.Builder
	for _, sp := range spans {
		b.WriteString(sp.Text)
	}
	return b.String()
}

// BodyText is the words of a body as the search index and descriptions see
// them: blocks separated by blank lines, an image by its caption, and
// related stories, embeds and dividers, which carry no words, left out.
func BodyText(blocks []Block) string {
	var parts []string
	for _, b := range blocks {
		if s := blockText(b); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\n\n")
}

func blockText(b Block) string {
	switch b.Type {
	case BlockParagraph, BlockHeading:
		return PlainText(b.Spans)
	case BlockQuote:
		if b.Attribution == "" {
			return PlainText(b.Spans)
		}
		return PlainText(b.Spans) + "\n— " + b.Attribution
	case BlockList:
		items := make([]string, 0, len(b.Items))
		for _, it := range b.Items {
			items = append(items, PlainText(it))
		}
		return strings.Join(items, "\n")
	case BlockImage:
		if b.Image != nil {
			return b.Image.Caption
		}
	}
	return ""
}

// WordCount counts the words a reader reads in the body's text; captions
// are glanced at, not read, so images do not count.
func WordCount(blocks []Block) int {
	n := 0
	for _, b := range blocks {
		switch b.Type {
		case BlockParagraph, BlockHeading, BlockList:
			n += countWords(blockText(b))
		case BlockQuote:
			n += countWords(PlainText(b.Spans)) + countWords(b.Attribution)
		}
	}
	return n
}

// countWords counts maximal runs of letters, digits and combining marks
// (Arabic vowel signs are marks). An apostrophe or hyphen between two such
// runs joins them ("don't", "Türkiye'nin", "well-known" are one word), and
// so does a separator inside a number ("3,000", "2.5").
func countWords(s string) int {
	n, in := 0, false
	prev := ' '
	for i, r := range s {
		next := runeAt(s, i+utf8.RuneLen(r))
		switch {
		case isWordPart(r):
			if !in {
				n++
			}
			in = true
		case in && isJoiner(r, prev, next):
		default:
			in = false
		}
		prev = r
	}
	return n
}

func isWordPart(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

func isJoiner(r, prev, next rune) bool {
	switch r {
	case '\'', '’', 'ʼ', '-', '‐', '‑', '\u200c', '\u200d':
		return isWordPart(next)
	case '.', ',', '٫', '٬':
		return unicode.IsDigit(prev) && unicode.IsDigit(next)
	}
	return false
}

// ReadingMinutes is the "N MIN READ" figure: words at 230 a minute, rounded
// up, and never 0, since a story with no words still takes a look.
func ReadingMinutes(blocks []Block) int {
	return MinutesForWords(WordCount(blocks))
}

// MinutesForWords is ReadingMinutes for a word count already stored, so
// lists need not load and count every body.
func MinutesForWords(words int) int {
	return max(1, (words+wordsPerMinute-1)/wordsPerMinute)
}

// Excerpt shortens text for a teaser or meta description to at most max
// runes, "…" included, cutting between words when there is a space to cut
// at. Runs of whitespace, blank lines included, become single spaces.
func Excerpt(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	if max <= 0 {
		return ""
	}
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	cut := text[:runeOffset(text, max-1)]
	if text[len(cut)] != ' ' {
		if i := strings.LastIndexByte(cut, ' '); i > 0 {
			cut = cut[:i]
		}
	}
	return strings.TrimRight(cut, " ,;:.—–-") + "…"
}

// runeOffset is the byte offset of the n-th rune of s.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}
