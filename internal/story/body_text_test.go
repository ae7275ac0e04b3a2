package story

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFormatBody(t *testing.T) {
	tests := []struct {
		name   string
		blocks []Block
		want   string
	}{
		{"empty", nil, ""},
		{"paragraphs", []Block{para(txt("One.")), para(txt("Two."))}, "One.\n\nTwo."},
		{"marks", []Block{para(txt("a "), bold("b"), txt(" "), ital("c"), txt(" "), code("d"), txt(" "), lnk("e", "/x"))},
			"a **b** *c* `d` [e](/x)"},
		{"overlapping marks", []Block{para(bold("a "), Span{Text: "b", Bold: true, Italic: true}, ital(" c"))}, "**a *b** c*"},
		{"marks shared by a link go outside", []Block{para(Span{Text: "a ", Bold: true, Href: "/x"}, Span{Text: "b", Bold: true, Italic: true, Href: "/x"})},
			"**[a *b*](/x)**"},
		{"escapes", []Block{para(txt(`*a* _b_ [c] ` + "`d`" + ` \ snake_case 2 * 3`))}, `\*a\* \_b\_ \[c\] \` + "`d\\`" + ` \\ snake_case 2 * 3`},
		{"bang before link", []Block{para(txt("Wow!"), lnk("x", "/a"))}, `Wow\![x](/a)`},
		{"code with backticks", []Block{para(code("a`b"), txt(" "), code("`x`"), txt(" "), code(" y "))}, "``a`b`` `` `x` `` `  y  `"},
		{"paragraph that looks like a heading", []Block{para(txt("# 1 seed"))}, `\# 1 seed`},
		{"paragraph that looks like a quote", []Block{para(txt("> not quoted"))}, `\> not quoted`},
		{"paragraph that looks like a list", []Block{para(txt("- not listed")), para(txt("1. not numbered"))}, "\\- not listed\n\n1\\. not numbered"},
		{"paragraph that looks like a divider", []Block{para(txt("---"))}, `\---`},
		{"paragraph that is a URL", []Block{para(txt("https://example.com/"))}, `https\://example.com/`},
		{"hashtag needs no escape", []Block{para(txt("#breaking"))}, "#breaking"},
		{"headings", []Block{{Type: BlockHeading, Level: 2, Spans: []Span{txt("A")}}, {Type: BlockHeading, Level: 3, Spans: []Span{txt("B")}}},
			"## A\n\n### B"},
		{"quote", []Block{{Type: BlockQuote, Spans: []Span{txt("We will.")}, Attribution: "Jane *Doe*"}}, "> We will.\n> — Jane \\*Doe\\*"},
		{"lists", []Block{{Type: BlockList, Items: items("a", "b")}, {Type: BlockList, Ordered: true, Items: items("c", "d")}},
			"- a\n- b\n\n1. c\n2. d"},
		{"image", []Block{{Type: BlockImage, Image: &Image{MediaID: 4, Hash: "abc", Alt: "A [b]", Caption: "C", Credit: "AP"}}},
			`![A [b\]](media:4 "C | AP")`},
		{"image caption with bar", []Block{{Type: BlockImage, Image: &Image{MediaID: 4, Caption: "A | B"}}}, `![](media:4 "A | B |")`},
		{"image credit only", []Block{{Type: BlockImage, Image: &Image{MediaID: 4, Credit: "AP"}}}, `![](media:4 "| AP")`},
		{"image named", []Block{{Type: BlockImage, Image: &Image{Hash: "name:harbour"}}}, "![](media:harbour)"},
		{"image without reference dropped", []Block{{Type: BlockImage, Image: &Image{Hash: "abc"}}, {Type: BlockImage}}, ""},
		{"related", []Block{{Type: BlockRelated, StoryID: 9}, {Type: BlockRelated, URL: "key:k"}}, "[[related:9]]\n\n[[related:k]]"},
		{"embed and divider", []Block{{Type: BlockEmbed, URL: "https://x.com/v"}, {Type: BlockDivider}}, "https://x.com/v\n\n---"},
		{"wire: bad embed becomes text", []Block{{Type: BlockEmbed, URL: "javascript:alert(1)"}}, "javascript:alert(1)"},
		{"wire: unsafe link dropped", []Block{para(lnk("x", "javascript:alert(1)"))}, "x"},
		{"wire: newlines in text", []Block{para(txt("a\nb\r\nc\x00"))}, "a b  c"},
		{"wire: heading level 0", []Block{{Type: BlockHeading, Spans: []Span{txt("A")}}}, "## A"},
		{"wire: empty blocks skipped", []Block{para(), {Type: BlockList}, {Type: "video"}, para(txt("x"))}, "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatBody(tt.blocks); got != tt.want {
				t.Errorf("FormatBody = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFormatBodySplitsLink covers the one shape of spans that one pair of
// brackets cannot hold: two links to the same place, the second in italics
// that start at a space.
func TestFormatBodySplitsLink(t *testing.T) {
	blocks := ParseBody("[a](/x)*[ b](/x)*")
	want := []Block{para(lnk("a", "/x"), Span{Text: " b", Italic: true, Href: "/x"})}
	if dump(blocks) != dump(want) {
		t.Fatalf("ParseBody = %s, want %s", dump(blocks), dump(want))
	}
	if got, want := FormatBody(blocks), "[a](/x)*[ b](/x)*"; got != want {
		t.Errorf("FormatBody = %q, want %q", got, want)
	}
	checkRoundTrip(t, blocks)
}

func TestPlainTextAndBodyText(t *testing.T) {
	blocks := ParseBody(`## Head

First **bold** [link](/x).

> Quoted.
> — Jane

- one
- two

![alt](media:1 "Caption | AP")

[[related:3]]

https://example.com/v

---

Last.`)
	if got, want := PlainText(blocks[1].Spans), "First bold link."; got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
	want := "Head\n\nFirst bold link.\n\nQuoted.\n— Jane\n\none\ntwo\n\nCaption\n\nLast."
	if got := BodyText(blocks); got != want {
		t.Errorf("BodyText = %q, want %q", got, want)
	}
	if got := BodyText(nil); got != "" {
		t.Errorf("BodyText(nil) = %q", got)
	}
}

func TestWordCount(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want int
	}{
		{"empty", "", 0},
		{"simple", "The minister visited Pyongyang.", 4},
		{"apostrophes and hyphens", "Don't call it a well-known fact — it isn’t.", 8},
		{"numbers", "3,000 people and 2.5 percent, 1990-1995", 6},
		{"punctuation only", "— … !!", 0},
		{"Turkish", "Türkiye'nin başkenti Ankara'dır.", 3},
		{"Arabic", "قال وزير الدفاع الروسي إن بلاده", 6},
		{"Arabic with vowel marks", "مُحَمَّدٌ رَسُولُ", 2},
		{"Persian with joiner", "می\u200cخواهم بروم", 2},
		{"marks do not count twice", "**bold** *it* `code` [link](/x)", 4},
		{"heading, quote, attribution, list", "## Two words\n\n> Three more words\n> — Jane Doe\n\n- four\n- five six", 10},
		{"images, related, embeds, dividers do not count", "![alt text](media:1 \"A long caption\")\n\n[[related:2]]\n\nhttps://x.com\n\n---", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WordCount(ParseBody(tt.src)); got != tt.want {
				t.Errorf("WordCount(%q) = %d, want %d", tt.src, got, tt.want)
			}
		})
	}
}

func TestReadingMinutes(t *testing.T) {
	for _, tt := range []struct{ words, want int }{{0, 1}, {1, 1}, {230, 1}, {231, 2}, {460, 2}, {461, 3}, {2300, 10}} {
		body := ParseBody(strings.Repeat("word ", tt.words))
		if got := ReadingMinutes(body); got != tt.want {
			t.Errorf("ReadingMinutes(%d words) = %d, want %d", tt.words, got, tt.want)
		}
		if got := MinutesForWords(tt.words); got != tt.want {
			t.Errorf("MinutesForWords(%d) = %d, want %d", tt.words, got, tt.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name string
		text string
		max  int
		want string
	}{
		{"short", "Short text.", 160, "Short text."},
		{"exact", "12345", 5, "12345"},
		{"cut at a space", "The quick brown fox jumps", 12, "The quick…"},
		{"cut on a space", "The quick brown fox", 10, "The quick…"},
		{"punctuation dropped before the ellipsis", "Hello, world again", 8, "Hello…"},
		{"one long word cut hard", "Supercalifragilistic", 6, "Super…"},
		{"whitespace collapsed", "One\n\ntwo   three", 100, "One two three"},
		{"Arabic counts runes", "قال وزير الدفاع الروسي", 10, "قال وزير…"},
		{"zero", "text", 0, ""},
		{"one", "text", 1, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Excerpt(tt.text, tt.max)
			if got != tt.want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.text, tt.max, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > max(tt.max, 0) {
				t.Errorf("Excerpt(%q, %d) has %d runes", tt.text, tt.max, n)
			}
		})
	}
}
