package sqlshare

import (
	"encoding/json"
	"reflect"
	"testing"

	"dateline/internal/story"
)

// bodySeeds are bodies as the store writes them (json.Marshal of parsed
// bodies with every block type, escapes and non-ASCII text) and texts
// the fast path must leave to encoding/json.
func bodySeeds(tb testing.TB) []string {
	tb.Helper()
	bodies := [][]story.Block{
		nil, {},
		story.ParseBody("## Heading\n\nText with **bold**, *italic*, `code` and a [link](https://example.com/?a=1&b=<2>).\n\n" +
			"> \"Quoted\" \\ text.\n> — Çağrı Öztürk\n\n- one\n- two\n\n1. first\n2. second\n\n![Alt text](media:12 \"A caption | A credit\")\n\n" +
			"[[related:42]]\n\nhttps://example.com/embed\n\n---\n\nTabs\tand\u2028separators\u2029and \u0001 control."),
		{{Type: story.BlockImage, Image: &story.Image{MediaID: 3, Hash: "abc", Width: -1, Height: 0}}, {Type: story.BlockHeading, Level: 3},
			{Type: story.BlockList, Items: [][]story.Span{{}, {{Text: ""}}}}, {Type: story.BlockParagraph, Spans: []story.Span{}}},
	}
	var out []string
	for _, b := range bodies {
		j, err := json.Marshal(b)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, string(j))
	}
	return append(out, `null`, ` []`, `[{"type":"paragraph","Type":"x"}]`, `[{"type":"a","type":"b"}]`,
		`[{"level":2.0}]`, `[{"level":02}]`, `[{"story_id":99999999999999999999}]`, `[{"spans":[{"text":"\ud83d\ude00"}]}]`,
		`[{"spans":[{"text":"a\u00e9\/"}]}]`, "[{\"url\":\"\xff\"}]", `[{"image":null}]`, `[{"ordered":tru}]`, `[{"url":"x"}`, `[{"x":1}]`,
		`[{"spans":[{"text":"ok","b":true,"i":false,"code":true,"href":"h"}]}]`, `[{"items":[[{"text":"a"}],[]]}]`, `[] x`, ``)
}

// checkDecodeBody holds DecodeBody to json.Unmarshal's result and error.
func checkDecodeBody(t *testing.T, text string) {
	got, err := DecodeBody(text)
	var want []story.Block
	wantErr := json.Unmarshal([]byte(text), &want)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%q: error %v, encoding/json's %v", text, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %#v\nwant %#v", text, got, want)
	}
}

func TestDecodeBody(t *testing.T) {
	for _, s := range bodySeeds(t) {
		checkDecodeBody(t, s)
	}
	// The store's own text takes the fast path.
	d := bodyDecoder{s: bodySeeds(t)[2]}
	if _, ok := d.blocks(); !ok || d.i != len(d.s) {
		t.Errorf("a marshalled body left the fast path at byte %d", d.i)
	}
}

func FuzzDecodeBody(f *testing.F) {
	for _, s := range bodySeeds(f) {
		f.Add(s)
	}
	f.Fuzz(checkDecodeBody)
}

func BenchmarkDecodeBody(b *testing.B) {
	text := bodySeeds(b)[2]
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			if _, err := DecodeBody(text); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			var v []story.Block
			if err := json.Unmarshal([]byte(text), &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
