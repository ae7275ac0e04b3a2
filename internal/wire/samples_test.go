package wire_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"dateline/internal/bodyhtml"
	"dateline/internal/story"
	"dateline/internal/testutil"
	"dateline/internal/wire"
)

// ownSamples returns this package's sample files by name.
func ownSamples(tb testing.TB) map[string][]byte {
	tb.Helper()
	names, err := filepath.Glob("testdata/*.*")
	if err != nil || len(names) < 8 {
		tb.Fatalf("own samples: %v (%d)", err, len(names))
	}
	out := map[string][]byte{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			tb.Fatal(err)
		}
		out[n] = data
	}
	return out
}

func TestParseOwnSamples(t *testing.T) {
	v1 := news(t, "testdata/g2_harbour_v1.xml", 1)[0]
	if v1.Version != 1 || v1.Headline != "Harbour workers strike in Rotterdam" || v1.Subheadline != "Container traffic halted for a day" ||
		v1.Dateline != "ROTTERDAM, Jan 1 (DTW) -" || v1.Provider != "Dateline Test Wire" || v1.Urgency != 3 ||
		strings.Join(v1.Subjects, ";") != "Business;ports" || len(v1.Body) != 2 {
		t.Errorf("harbour v1 = %+v", v1)
	}
	v2 := news(t, "testdata/g2_harbour_v2_update.xml", 1)[0]
	if v2.GUID != v1.GUID || v2.Version != 2 || len(v2.Body) != 3 || strings.Join(v2.Signals, ",") != "update" {
		t.Errorf("harbour v2 = %+v", v2)
	}
	kill := news(t, "testdata/g2_harbour_v3_kill.xml", 1)[0]
	if kill.GUID != v1.GUID || kill.Version != 3 || kill.PubStatus != wire.Canceled {
		t.Errorf("harbour kill = %+v", kill)
	}
	if w := news(t, "testdata/g2_court_v2_withheld.xml", 1)[0]; w.PubStatus != wire.Withheld || w.Version != 2 {
		t.Errorf("withheld = %+v", w)
	}
	if e := news(t, "testdata/g2_budget_embargoed.xml", 1)[0]; !e.Embargo.Equal(time.Date(2099, 1, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("embargo = %v", e.Embargo)
	}
	if l := news(t, "testdata/g2_latin1.xml", 1)[0]; l.Headline != "Grüße aus München" || text(l.Body) != "Schönes Wetter in München." {
		t.Errorf("ISO-8859-1 item = %q / %q", l.Headline, text(l.Body))
	}
	pic := news(t, "testdata/ninjs3_picture.json", 1)[0]
	want := wire.Picture{URL: "https://images.example.org/ferry-large.jpg", Caption: "Rescued passengers arrive at Kabataş pier.",
		Credit: "Dateline Test Wire / Deniz Kaya", Alt: "People in life jackets walk along a pier", Width: 2048, Height: 1365}
	if pic.Version != 4 || pic.Language != "tr" || pic.Urgency != 2 || len(pic.Pictures) != 1 || pic.Pictures[0] != want {
		t.Errorf("ninjs 3 picture item = %+v", pic)
	}
	if pic.Body[1].Type != story.BlockHeading || !pic.Body[0].Spans[1].Bold || pic.Subheadline != "All 212 people on board were brought ashore." {
		t.Errorf("ninjs 3 body = %+v", pic.Body)
	}
}

func TestParseXSSSample(t *testing.T) {
	it := news(t, "testdata/ninjs2_xss.json", 1)[0]
	if it.Headline != "Council meets" {
		t.Errorf("headline = %q, want the script dropped", it.Headline)
	}
	got := story.FormatBody(it.Body)
	want := "Safe bad link and [good link](https://example.org/x).\n\nxyz\n\ncell one · cell two\n\n> Quoted words\n> — A Speaker\n\n- first\n- **second**"
	if got != want {
		t.Errorf("body =\n%s\nwant\n%s", got, want)
	}
	if q := it.Body[3]; q.Type != story.BlockQuote || q.Attribution != "A Speaker" {
		t.Errorf("quote = %+v", q)
	}
}

// TestHTMLToBlocksPayloads runs every XSS payload of the shared list
// through the converter and the feed renderer: no script, no event
// handler, no javascript: or data: link may come out.
func TestHTMLToBlocksPayloads(t *testing.T) {
	dir := filepath.Join(testutil.SharedTestdata(t), "xss")
	var lines []string
	for _, f := range []string{"all_payloads_dedup.txt", "XSS_Polyglots.txt"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(data), "\n")...)
	}
	if len(lines) < 300 {
		t.Fatalf("%d payloads, want the whole list", len(lines))
	}
	for _, p := range lines {
		blocks := wire.HTMLToBlocks("<p>before</p>" + p + "<p>after</p>")
		checkSafe(t, p, blocks)
		checkRendered(t, p, bodyhtml.Render(blocks, bodyhtml.Options{BaseURL: "https://site.example"}))
	}
}

// checkRendered reads rendered HTML back with a tokenizer: only the
// elements of the allow-list may appear, with no attribute but a safe
// href.
func checkRendered(t *testing.T, payload, out string) {
	t.Helper()
	allowed := map[string]bool{"p": true, "h2": true, "h3": true, "blockquote": true, "ul": true, "ol": true, "li": true,
		"a": true, "strong": true, "em": true, "code": true, "footer": true, "cite": true}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if !allowed[tok.Data] {
			t.Errorf("payload %q renders a <%s>: %s", payload, tok.Data, out)
		}
		for _, a := range tok.Attr {
			if a.Key != "href" || !(strings.HasPrefix(a.Val, "https://") || strings.HasPrefix(a.Val, "http://") || strings.HasPrefix(a.Val, "mailto:")) {
				t.Errorf("payload %q renders attribute %s=%q", payload, a.Key, a.Val)
			}
		}
	}
}

func TestHTMLToBlocksDeepNesting(t *testing.T) {
	// Deeper than the HTML parser accepts: the text is recovered by the
	// tokenizer, one paragraph per block.
	deep := strings.Repeat("<div>", 100000) + "deep<script>x()</script>" + strings.Repeat("</div>", 100000)
	if got := story.FormatBody(wire.HTMLToBlocks("<p>top</p>" + deep)); got != "top\n\ndeep" {
		t.Errorf("very deep nesting gave %q", got)
	}
	// Deeper than the converter follows: what lies below is dropped.
	deep = strings.Repeat("<div>", 300) + "deep" + strings.Repeat("</div>", 300)
	if got := story.FormatBody(wire.HTMLToBlocks("<p>top</p>" + deep)); got != "top" {
		t.Errorf("deep nesting gave %q", got)
	}
}

func TestParseRefusesHostileXML(t *testing.T) {
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` +
		`<newsItem guid="x" version="1"><contentMeta><headline>&lol2;</headline></contentMeta></newsItem>`
	if _, err := wire.Parse([]byte(laughs)); err == nil {
		t.Error("entity expansion accepted")
	}
	external := `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
		`<newsItem guid="x" version="1"><contentMeta><headline>&xxe;</headline></contentMeta></newsItem>`
	if _, err := wire.Parse([]byte(external)); err == nil {
		t.Error("external entity accepted")
	}
	big := make([]byte, wire.MaxFileSize+1)
	if _, err := wire.Parse(big); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("oversized file: %v", err)
	}
}
