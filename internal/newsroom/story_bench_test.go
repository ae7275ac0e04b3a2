package newsroom_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// longBody is a 5,000-word body in the editors' syntax with the usual mix
// of paragraphs, marks, links, headings, quotes and lists.
func longBody() string {
	var b strings.Builder
	words := 0
	for p := 0; words < 5500; p++ {
		switch {
		case p%12 == 5:
			b.WriteString("## A heading for part " + strconv.Itoa(p) + "\n\n")
			words += 5
		case p%12 == 8:
			b.WriteString("> A quoted remark from someone who was there and saw it happen.\n> — A Witness\n\n")
			words += 14
		case p%12 == 10:
			b.WriteString("- first point of the list\n- second point of the list\n- third point\n\n")
			words += 13
		}
		b.WriteString("The minister said on **Tuesday** that the talks in *Geneva* would resume next week, according to [officials](https://example.org/talks) who asked not to be named because they were not authorised to speak. ")
		b.WriteString("Delegations from both sides arrived late in the evening and met until midnight, and a statement is expected in the morning.\n\n")
		words += 56
	}
	return b.String()
}

// BenchmarkEditor5000Words opens, previews and saves a 5,000-word story
// through the real handler. The budget is 100 ms of server time each.
func BenchmarkEditor5000Words(b *testing.B) {
	f := newEdFixture(b)
	ed := f.as(b, store.RoleEditor)
	body := longBody()
	id := ed.create(b, f.storyForm("A very long story", body))
	if n := story.WordCount(story.ParseBody(body)); n < 5000 {
		b.Fatalf("body has %d words, want 5,000", n)
	}
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			if res := ed.get(b, edPath(id, "")); res.status != 200 {
				b.Fatalf("open: %d", res.status)
			}
		}
		report(b)
	})
	b.Run("preview", func(b *testing.B) {
		form := f.storyForm("A very long story", body)
		for b.Loop() {
			if res := ed.post(b, edPath(id, "/preview"), form); res.status != 200 {
				b.Fatalf("preview: %d", res.status)
			}
		}
		report(b)
	})
	b.Run("save", func(b *testing.B) {
		form := f.storyForm("A very long story", body)
		for b.Loop() {
			form.Set("version", strconv.Itoa(f.story(b, id).Version))
			if res := ed.post(b, edPath(id, ""), form); res.status != http.StatusSeeOther {
				b.Fatalf("save: %d %s", res.status, edErrors(res.body))
			}
		}
		report(b)
	})
}

// report records milliseconds per operation; the 100 ms budget is
// compared in bench/RESULTS.md, not asserted, since timings on a shared
// machine are noise.
func report(b *testing.B) {
	per := b.Elapsed() / time.Duration(max(b.N, 1))
	b.ReportMetric(float64(per.Microseconds())/1000, "ms/op")
}
