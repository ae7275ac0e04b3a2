package site

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"
)

// templateEsc is what html/template writes for s in element content.
func templateEsc(t testing.TB, s string) string {
	t.Helper()
	var b strings.Builder
	if err := escOracle.Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var escOracle = template.Must(template.New("").Parse(`{{.}}`))

func writerEsc(s string) string {
	w := &htmlWriter{b: new(bytes.Buffer)}
	w.esc(s)
	return w.b.String()
}

// escCases holds the strings on which esc has gone wrong or could: each
// special byte, each edge of the noncharacter ranges, U+FFFD itself,
// truncated and overlong sequences, and text in the site's scripts.
var escCases = []string{
	"", "plain", `<a href="x">Tom & Jerry's +1</a>`, "\x00", "a\x00b",
	"\uFDCF\uFDD0\uFDEF\uFDF0", "\uFFEF\uFFF0\uFFFD\uFFFF", "\U00010000\U0010FFFF",
	"\xef", "\xef\xbf", "\xef\xb7\x90", "ab\xefcd", "\xff\xfe", "\xc0\xaf", "\xed\xa0\x80",
	"caf\xc3\xa9 \xe2\x80\x94", "المغرب: «سيناريو» & <ب>", "İstanbul'da +5°C", "日本語 \"引用\"",
}

func TestEscMatchesTemplates(t *testing.T) {
	for _, s := range escCases {
		if got, want := writerEsc(s), templateEsc(t, s); got != want {
			t.Errorf("esc(%q) = %q, html/template writes %q", s, got, want)
		}
	}
	// Random strings from an alphabet of what matters: specials, the
	// bytes of noncharacters and of bad sequences, ASCII and Arabic.
	alphabet := []string{"a", " ", "<", ">", "&", "'", "\"", "+", "\x00", "\xef", "\xb7", "\xbf", "\x90", "\xbd", "\xc3", "\xa9", "ب", "\uFDD0", "\uFFFF", "\uFFFD", "\xff"}
	rng := rand.New(rand.NewPCG(7, 11))
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		if got, want := writerEsc(s), templateEsc(t, s); got != want {
			t.Fatalf("esc(%q) = %q, html/template writes %q", s, got, want)
		}
	}
}

func FuzzEsc(f *testing.F) {
	for _, s := range escCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := writerEsc(s), templateEsc(t, s); got != want {
			t.Errorf("esc(%q) = %q, html/template writes %q", s, got, want)
		}
	})
}

// BenchmarkEsc escapes a paragraph of English and one of Arabic.
func BenchmarkEsc(b *testing.B) {
	for _, c := range []struct{ name, text string }{
		{"en", strings.Repeat(`The minister said the "plan" would cost 4.2bn & take years. `, 8)},
		{"ar", strings.Repeat("قال الوزير إن الخطة ستكلف ملياري دولار وتستغرق سنوات. ", 8)},
	} {
		b.Run(c.name, func(b *testing.B) {
			w := &htmlWriter{b: new(bytes.Buffer)}
			b.SetBytes(int64(len(c.text)))
			for b.Loop() {
				w.b.Reset()
				w.esc(c.text)
			}
		})
	}
}
