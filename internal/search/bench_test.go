package search

import (
	"strings"
	"testing"
)

// The text engine's own costs, per call; the archive benchmarks (search,
// publish, rebuild over 100,000 stories) are in store/sqlite.

var benchBody = strings.Repeat("Pilots, vessel traffic controllers and tug crews work around the clock to guide tankers "+
	"and cargo ships through a narrow waterway in the middle of İstanbul, a city of millions. ", 40)

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Parse(`Istanbul "vessel traffic" tankers -ferry expo* Türkiye'nin`).Match(false)
	}
}

func BenchmarkIndexText(b *testing.B) {
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	for b.Loop() {
		IndexText(benchBody)
	}
}

func BenchmarkSnippet(b *testing.B) {
	q := Parse("istanbul tankers")
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	for b.Loop() {
		q.Snippet(benchBody, 32)
	}
}

func BenchmarkProfileAndSignature(b *testing.B) {
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	for b.Loop() {
		p := NewProfile("Night traffic on the Bosphorus", "Pilots guide tankers.", benchBody)
		df := make([]int, len(p.Terms))
		for i := range df {
			df[i] = i%40 + 1
		}
		Signature(p, df, []Key{{TagKey("istanbul"), 30}, {TagKey("shipping"), 12}}, 10000)
	}
}
