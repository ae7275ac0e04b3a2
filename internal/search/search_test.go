package search

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func TestFoldAndTerms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Türkiye", []string{"turkiye"}},
		{"TÜRKİYE", []string{"turkiye"}},
		{"ISTANBUL İstanbul ıstanbul istanbul", []string{"istanbul", "istanbul", "istanbul", "istanbul"}},
		{"Fenerbahçe Şişli Gölü'nde", []string{"fenerbahce", "sisli", "golu", "nde"}},
		{"Straße Ærø Łódź", []string{"strasse", "aero", "lodz"}},
		{"cafe\u0301 naïve", []string{"cafe", "naive"}}, // a combining accent, then a precomposed one
		{"Ελλάδα Ёлка", []string{"ελλαδα", "елка"}},
		// Arabic: tashkeel and tatweel vanish, alef forms and ta marbuta unify, light stemming.
		{"مَدْرَسَة", []string{"مدرس"}},
		{"المـغـرب والمغرب بالمغرب", []string{"مغرب", "مغرب", "مغرب"}},
		{"إعادة أعادة اعاده", []string{"اعاد", "اعاد", "اعاد"}},
		{"مستشفى مستشفي", []string{"مستشف", "مستشف"}},
		{"٢٠٢٣ 2023", []string{"2023", "2023"}},
		{"e-commerce, 3,000 (AI)", []string{"e", "commerce", "3", "000", "ai"}},
		{"\xff\xfeabc\xffdef", []string{"abc", "def"}},
		{"", nil},
		{`"*()-^:`, nil},
	} {
		if got := Terms(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Terms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := IndexText("  Van  Gölü'nde\nsu "); got != "van golu nde su" {
		t.Errorf("IndexText = %q", got)
	}
	long := strings.Repeat("ğ", 100)
	if got := Terms(long); len(got) != 1 || len(got[0]) > maxTermBytes {
		t.Errorf("a long word gives %d terms of %d bytes", len(got), len(got[0]))
	}
}

func TestTokensOffsets(t *testing.T) {
	text := "Ayşe Demir, in İzmir."
	var words []string
	for _, tok := range Tokens(text) {
		words = append(words, text[tok.Start:tok.End])
	}
	if want := []string{"Ayşe", "Demir", "in", "İzmir"}; !reflect.DeepEqual(words, want) {
		t.Errorf("words %q, want %q", words, want)
	}
}

func TestParseAndMatch(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"climate", `"climate"`},
		{"Climate change", `"climate" AND "change"`},
		{"the oil", `"oil"`},
		{"the", `"the"`},
		{`"sea level" rise`, `"sea level" AND "rise"`},
		{`“sea level”`, `"sea level"`},
		{"expor*", `"expor"`},
		{`"export data"*`, `"export data"`},
		{`export data*`, `"export" AND "data"`},
		{`e-com*`, `"e com"*`},
		{"ex*", `"ex"`},
		{"e-commerce", `"e commerce"`},
		{"oil -gas", `("oil") NOT ("gas")`},
		{`oil -"natural gas"`, `("oil") NOT ("natural gas")`},
		{"-gas", ``},
		{"Ankara'da", `"ankara"`},
		{"O'Brien", `"o brien"`},
		{"O'BRIEN", `"o brien"`},
		{"İSTANBUL'DAKİ", `"istanbul"`},
		{`NEAR(a b) OR "`, `"near a"`},
		{`"`, ``},
		{`*`, ``},
		{"\xff\xfe", ``},
		{"a", `"a"`},
		{"oil oil OIL", `"oil"`},
		{"İSTANBUL", `"istanbul"`},
		{"المغرب", `"مغرب"`},
	} {
		if got := Parse(tc.in).Match(false); got != tc.want {
			t.Errorf("Parse(%q).Match = %s, want %s", tc.in, got, tc.want)
		}
	}
	if got := Parse("oil gas").Match(true); got != `"oil" OR "gas"` {
		t.Errorf("relaxed match %s", got)
	}
}

func TestExpand(t *testing.T) {
	q := Parse("floods companies oil -floodgate expo*")
	if got := fmt.Sprint(q.Bases()); got != "[{flood false} {compan false} {expo true}]" {
		t.Fatalf("bases %s", got)
	}
	q = q.Expand(map[string][]string{"flood": {"flood", "floods", "flooding"}})
	if got := q.Match(false); got != `(("floods" OR "flood" OR "flooding") AND "companies" AND "oil" AND "expo") NOT ("floodgate")` {
		t.Errorf("expanded: %s", got)
	}
	if got := render(q.Highlight("Flooding and floods, not floodgates")); got != "[Flooding] and [floods], not floodgates" {
		t.Errorf("highlight of the forms: %s", got)
	}
	if got := render(Parse("expor*").Highlight("Exporters export")); got != "[Exporters] [export]" {
		t.Errorf("highlight of a prefix: %s", got)
	}
}

func TestParseCutsLongQueries(t *testing.T) {
	q := Parse(strings.Repeat("ab ", 300))
	if !q.Truncated || len([]rune(q.Text)) > MaxQueryRunes {
		t.Errorf("truncated %v, %d runes", q.Truncated, len([]rune(q.Text)))
	}
	q = Parse(strings.Repeat("word", 10))
	if q.Truncated {
		t.Error("a short query was cut")
	}
	many := Parse("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho")
	if n := len(many.Terms); n != maxPositive {
		t.Errorf("%d terms kept, want %d", n, maxPositive)
	}
}

func TestSearchable(t *testing.T) {
	for in, want := range map[string]bool{"": false, "a": false, "  ": false, "!!!": false, "-war": false, "ab": true, "un": true, "ا": false, "5g": true} {
		if got := Parse(in).Searchable(); got != want {
			t.Errorf("Parse(%q).Searchable() = %v, want %v", in, got, want)
		}
	}
}

func render(fs []Fragment) string {
	var b strings.Builder
	for _, f := range fs {
		if f.Hit {
			b.WriteString("[" + f.Text + "]")
		} else {
			b.WriteString(f.Text)
		}
	}
	return b.String()
}

func TestHighlightAndSnippet(t *testing.T) {
	q := Parse("istanbul earthquake").Expand(map[string][]string{"earthquake": {"earthquake", "earthquakes"}})
	if got := render(q.Highlight("Istanbul stages its largest Earthquake drill")); got != "[Istanbul] stages its largest [Earthquake] drill" {
		t.Errorf("highlight: %s", got)
	}
	if got := render(Parse("türkiye").Highlight("TÜRKİYE'nin <b>ekonomisi</b>")); got != "[TÜRKİYE]'nin <b>ekonomisi</b>" {
		t.Errorf("highlight keeps the text as it is: %s", got)
	}
	body := strings.Repeat("filler words here. ", 40) + "The earthquakes near Istanbul were small. " + strings.Repeat("more filler. ", 40)
	got := render(q.Snippet(body, 12))
	if !strings.HasPrefix(got, Ellipsis) || !strings.HasSuffix(got, Ellipsis) || !strings.Contains(got, "[earthquakes] near [Istanbul]") {
		t.Errorf("snippet: %s", got)
	}
	if got := render(q.Snippet("No match in this text at all.", 4)); got != "No match in this"+Ellipsis {
		t.Errorf("snippet without a match: %s", got)
	}
	if got := render(q.Snippet("Istanbul.", 30)); got != "[Istanbul]." {
		t.Errorf("short text: %s", got)
	}
	if got := q.Snippet("", 30); got != nil {
		t.Errorf("empty text: %v", got)
	}
	ar := Parse("الزلزال")
	if got := render(ar.Highlight("ضرب زلزالٌ قوي")); got != "ضرب [زلزالٌ] قوي" {
		t.Errorf("arabic highlight: %s", got)
	}
}

func TestDistanceAndCorrect(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"istanbul", "istambul", 1},
		{"fenerbahce", "fenerbachce", 1},
		{"earthquake", "eartquake", 1},
		{"ab", "ba", 1},
		{"kitten", "sitting", 3},
		{"", "abc", 3},
	} {
		if got := Distance([]rune(tc.a), []rune(tc.b), 5); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	cands := []Candidate{{"istanbul", 20}, {"istanbuls", 1}, {"instant", 3}, {"stanbul", 0}}
	if got, ok := Correct("istambul", cands); !ok || got != "istanbul" {
		t.Errorf("Correct = %q %v", got, ok)
	}
	if _, ok := Correct("oil", []Candidate{{"oik", 9}}); ok {
		t.Error("a three-letter word was corrected")
	}
	if _, ok := Correct("zzzzzzzz", cands); ok {
		t.Error("a word far from every term was corrected")
	}
}

func TestSignature(t *testing.T) {
	ones := func(p Profile) []int {
		df := make([]int, len(p.Terms))
		for i := range df {
			df[i] = 1
		}
		return df
	}
	sig := func(p Profile, keys ...Key) []Weighted { return Signature(p, ones(p), keys, 1000) }
	a := sig(NewProfile("Floods in Nairobi", "Rivers burst their banks in Nairobi.", "Heavy rain flooded the city."),
		Key{TagKey("climate"), 3}, Key{TagKey("africa"), 5})
	b := sig(NewProfile("Nairobi counts the cost of floods", "", "Rain again."), Key{TagKey("africa"), 5})
	c := sig(NewProfile("Chip makers post record profit", "", "Memory demand."), Key{TagKey("technology"), 9})
	var norm float64
	for _, w := range a {
		norm += w.Weight * w.Weight
	}
	if math.Abs(norm-1) > 1e-9 {
		t.Errorf("signature norm %f, want 1", norm)
	}
	ab, ac := Similarity(a, b), Similarity(a, c)
	if ab <= ac || ac != 0 {
		t.Errorf("similarity a~b %f, a~c %f", ab, ac)
	}
	if Similarity(a, b) != Similarity(b, a) {
		t.Error("similarity is not symmetric")
	}
	p := NewProfile("", "", "The minister met Erdoğan in Ankara. Ankara said so.")
	if !p.IsName("erdogan") || !p.IsName("ankara") || p.IsName("minister") || p.IsName("the") {
		t.Errorf("names %v %v", p.Terms, p.Name)
	}
	common := make([]int, len(p.Terms))
	for i := range common {
		common[i] = 900
	}
	if s := Signature(p, common, []Key{{LangKey("en-GB"), 950}}, 1000); s != nil {
		t.Errorf("terms in most stories relate nothing: %v", s)
	}
	if s := Signature(Profile{}, nil, []Key{{LangKey("ar-EG"), 3}}, 1000); len(s) != 1 || s[0].Term != "@ar" || s[0].Weight != 1 {
		t.Errorf("a rare language is a key: %v", s)
	}
}

func TestCountsAsView(t *testing.T) {
	const chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
	for _, tc := range []struct {
		method, ua string
		header     map[string]string
		want       bool
	}{
		{"GET", chrome, nil, true},
		{"HEAD", chrome, nil, false},
		{"GET", "", nil, false},
		{"GET", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", nil, false},
		{"GET", "facebookexternalhit/1.1", nil, false},
		{"GET", "curl/8.5.0", nil, false},
		{"GET", chrome, map[string]string{"Sec-Purpose": "prefetch"}, false},
		{"GET", chrome, map[string]string{"Sec-Purpose": "prefetch;prerender"}, false},
		{"GET", chrome, map[string]string{"Purpose": "prefetch"}, false},
		{"GET", chrome, map[string]string{"X-Moz": "prefetch"}, false},
	} {
		r := httptest.NewRequest(tc.method, "/world/x-1", nil)
		r.Header.Set("User-Agent", tc.ua)
		for k, v := range tc.header {
			r.Header.Set(k, v)
		}
		if got := CountsAsView(r); got != tc.want {
			t.Errorf("%s %q %v: %v, want %v", tc.method, tc.ua, tc.header, got, tc.want)
		}
	}
	_ = http.MethodGet
}

// IsBot lower-cases only ASCII; it agrees with lower-casing the whole
// User-Agent on real and odd ones.
func TestIsBotAgreesWithToLower(t *testing.T) {
	slow := func(ua string) bool {
		l := strings.ToLower(ua)
		if strings.TrimSpace(l) == "" {
			return true
		}
		for _, m := range botMarks {
			if strings.Contains(l, m) {
				return true
			}
		}
		return false
	}
	for _, ua := range []string{
		"", " ", "\t\n", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
		"Mozilla/5.0 (compatible; GoogleBot/2.1)", "FACEBOOKEXTERNALHIT/1.1", "Python-urllib/3.12", "Go-http-client/1.1",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
		"Ünïcödé Browser/1.0", "ÜBERBOT/2", "Lighthouse", strings.Repeat("Mozilla ", 100) + "Crawl", strings.Repeat("A", 600),
	} {
		for range 2 { // checked, then from memory
			if got, want := IsBot(ua), slow(ua); got != want {
				t.Errorf("IsBot(%.40q) = %v, want %v", ua, got, want)
			}
		}
	}
}

func BenchmarkIsBot(b *testing.B) {
	const chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
	for _, c := range []struct {
		name  string
		isBot func(string) bool
	}{{"remembered", IsBot}, {"checked", isBot}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if c.isBot(chrome) {
					b.Fatal("a browser taken for a robot")
				}
			}
		})
	}
}

// The memory of IsBot never holds more than maxMemo User-Agents, nor very
// long ones; it answers the same either way.
func TestIsBotMemoryIsBounded(t *testing.T) {
	long := "Mozilla/5.0 " + strings.Repeat("x", maxMemoUA) + " Googlebot"
	for range 2 { // checked each time: it is not remembered
		if !IsBot(long) {
			t.Errorf("a long robot's User-Agent passed for a browser")
		}
	}
	botMemo.RLock()
	_, keptLong := botMemo.m[long]
	botMemo.RUnlock()
	if keptLong {
		t.Errorf("a User-Agent over %d bytes was remembered", maxMemoUA)
	}
	for i := range maxMemo + 100 {
		ua := fmt.Sprintf("Mozilla/5.0 Browser/%d", i)
		if IsBot(ua) {
			t.Fatalf("IsBot(%q) = true", ua)
		}
	}
	botMemo.RLock()
	n := len(botMemo.m)
	botMemo.RUnlock()
	if n > maxMemo {
		t.Errorf("%d User-Agents remembered, want at most %d", n, maxMemo)
	}
	if !IsBot("Mozilla/5.0 (compatible; bingbot/2.0)") {
		t.Errorf("after the memory filled, a robot passed for a browser")
	}
}
