package story

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestScratchRandom(t *testing.T) {
	alpha := []string{"*", "**", "***", "_", "__", "`", "``", "[", "]", "(", ")", "](/x)", "](/y)", "](javascript:x)", " ", " ", "a", "b", "\\", "!", "\n", "> ", "- ", "1. ", "#", "\t", "\u00a0", "é", "— ", "|", "\"", "![", "](media:1 \"", "[[related:", "]]", "http://x.co", ":"}
	r := rand.New(rand.NewPCG(1, 2))
	fails := 0
	for n := 0; n < 300000 && fails < 5; n++ {
		var b strings.Builder
		k := 1 + r.IntN(14)
		for i := 0; i < k; i++ {
			b.WriteString(alpha[r.IntN(len(alpha))])
		}
		src := b.String()
		blocks := ParseBody(src)
		out := FormatBody(blocks)
		again := ParseBody(out)
		if !reflect.DeepEqual(again, blocks) {
			fails++
			t.Errorf("src %q\nfmt %q\n got %s\nwant %s", src, out, dump(again), dump(blocks))
		}
	}
}
