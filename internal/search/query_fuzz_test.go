package search

import (
	"database/sql"
	"strings"
	"testing"
	"unicode/utf8"

	_ "modernc.org/sqlite"
)

// FuzzParse feeds the parser any bytes: it never panics, keeps within its
// limits, and every expression it makes is accepted by SQLite's FTS5 (the
// index the store uses) in both strict and relaxed form. Highlighting
// gives back the text it was given.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"climate", `"sea level" rise`, "oil -gas", `-"natural gas" oil`, "expor*", "NEAR(a b)", `"`, `""`, "*",
		"a OR b AND c NOT d", "^x", "((", "))", "-", "- -", `-""`, "\xff\xfe", "İstanbul'da", "المغرب", "مَدْرَسَة",
		"col:umn", "{a b}:c", "x + y", "“curly” «quotes»", strings.Repeat("ab ", 100), "\x00\x01", "e-commerce*",
	} {
		f.Add(seed)
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		f.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	defer db.Close()
	if _, err := db.Exec(`CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize = 'ascii');
		INSERT INTO t VALUES ('sea level rise', 'oil gas expor exporters');`); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Parse(s)
		if !utf8.ValidString(q.Text) || utf8.RuneCountInString(q.Text) > MaxQueryRunes {
			t.Fatalf("text %q", q.Text)
		}
		if len(q.Terms) > maxPositive+maxNegative {
			t.Fatalf("%d terms", len(q.Terms))
		}
		for _, relaxed := range []bool{false, true} {
			m := q.Match(relaxed)
			if m == "" {
				continue
			}
			var n int
			if err := db.QueryRow("SELECT count(*) FROM t WHERE t MATCH ?", m).Scan(&n); err != nil {
				t.Fatalf("Parse(%q).Match(%v) = %s: %v", s, relaxed, m, err)
			}
		}
		text := strings.Join(strings.Fields(strings.ToValidUTF8(s, " ")), " ")
		var b strings.Builder
		for _, fr := range q.Highlight(text) {
			b.WriteString(fr.Text)
		}
		if b.String() != text {
			t.Fatalf("highlight changed %q into %q", text, b.String())
		}
		q.Snippet(s, 5)
	})
}
