package search

import (
	"strings"
	"unicode/utf8"
)

// Stop words of the languages the newsroom publishes in. They stay in the
// index (a quoted phrase needs them) but are left out of a query that has
// other words, and out of related-story signatures, where they only add
// cost and noise.
const (
	stopEN = `a about above after again against all also am an and any are as at be because been before being
		below between both but by can could did do does doing down during each few for from further had has
		have having he her here hers herself him himself his how i if in into is it its itself just me more
		most my myself no nor not now of off on once only or other our ours ourselves out over own said same
		says she should so some such than that the their theirs them themselves then there these they this
		those through to too under until up very was we were what when where which while who whom why will
		with would you your yours yourself yourselves`
	// noiseEN are words too common in news copy to say what a story is
	// about; signatures skip them, queries keep them.
	noiseEN = `said says new one two three four five year years like last first told also percent per cent
		people would could time times week weeks month months day days since still many much well make made
		according including around more than another next`
	stopTR = `acaba ama ancak artık aslında az bana bazı belki ben beni benim bile bir biri birkaç birşey biz
		bize bizi bu buna bunda bundan bunu bunun çok çünkü da daha de defa diye en gibi hem hep hepsi her
		hiç için ile ise kadar ki kim mı mi mu mü nasıl ne neden nerede niçin o olan olarak oldu olduğu
		olmak olan on ona ondan onlar onu onun sonra şey şu şuna şunu tüm ve veya ya yani yıl`
	stopAR = `في من على إلى عن مع هذا هذه ذلك تلك التي الذي الذين أن إن كان كانت قد لا ما لم لن هو هي هم
		كما أو ثم بعد قبل حتى عند بين كل أي وقد وفي ومن وهو وهي إلا فيها منها عليه عليها لها له به بها
		وقال قال يكون تكون غير أيضا حيث إنه أنه`
)

var (
	stopWords  = buildStopWords(stopEN, stopTR, stopAR)
	noiseWords = buildStopWords(stopEN, stopTR, stopAR, noiseEN)
)

func buildStopWords(lists ...string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			for _, t := range Terms(w) {
				m[t] = true
			}
		}
	}
	return m
}

// IsStopWord reports whether a folded term is a stop word.
func IsStopWord(term string) bool { return stopWords[term] }

// isNoise reports whether a folded term says nothing about what a story
// is about: a stop word, a news commonplace, a number or one letter.
func isNoise(term string) bool {
	if noiseWords[term] || len(term) < 2 {
		return true
	}
	for i := 0; i < len(term); i++ {
		if term[i] < '0' || term[i] > '9' {
			return utf8.RuneCountInString(term) < 3
		}
	}
	return true
}
