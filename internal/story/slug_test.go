package story

import (
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Shoigu visits Kim Jong Un", "shoigu-visits-kim-jong-un"},
		{"Türkiye", "turkiye"},
		{"İstanbul", "istanbul"},
		{"Işık", "isik"},
		{"ÇĞİÖŞÜ çğıöşü", "cgiosu-cgiosu"},
		{"Straße", "strasse"},
		{"Æsir and œuvre", "aesir-and-oeuvre"},
		{"Søren Łódź Đorđe Þór", "soren-lodz-dorde-thor"},
		{"Ça va? Ça va!", "ca-va-ca-va"},
		{"Kim's visit", "kims-visit"},
		{"Kim’s visit", "kims-visit"},
		{"Cafe\u0301 society", "cafe-society"},
		{"București, România", "bucuresti-romania"},
		{"Item 17: Russia’s offensive", "item-17-russias-offensive"},
		{"  --Hello, World!--  ", "hello-world"},
		{"C++ & Go 1.26", "c-go-1-26"},
		{"2 × 3 ÷ 4", "2-3-4"},
		{"قال وزير الدفاع الروسي", ""},
		{"عاجل: Breaking news", "breaking-news"},
		{"東京 Tokyo", "tokyo"},
		{"Москва", ""},
		{"", ""},
		{"!!!", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Slugify(tt.in, 80); got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSlugifyCut(t *testing.T) {
	headline := strings.Repeat("Russia and Ukraine trade blame ", 7) // ~217 characters
	full := Slugify(headline, 0)
	got := Slugify(headline, 80)
	if len(full) < 200 || len(got) > 80 || len(got) < 70 {
		t.Fatalf("Slugify = %q (%d), full %d", got, len(got), len(full))
	}
	if !strings.HasPrefix(full, got) || full[len(got)] != '-' {
		t.Errorf("Slugify = %q, not cut at a hyphen of %q", got, full)
	}
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"Item 17: Russia and the long war", 14, "item-17-russia"},
		{"Item 17: Russia and the long war", 15, "item-17-russia"},
		{"Item 17: Russia and the long war", 18, "item-17-russia-and"},
		{"Supercalifragilistic word", 5, "super"},
		{"abc def", 3, "abc"},
		{"abc def", 0, "abc-def"},
		{"abc def", -1, "abc-def"},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in, tt.max); got != tt.want {
			t.Errorf("Slugify(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestLatinTable(t *testing.T) {
	if len(latinTable) != 0x180-0xC0 {
		t.Fatalf("latinTable has %d entries, want %d", len(latinTable), 0x180-0xC0)
	}
	for r := rune(0xC0); r < 0x180; r++ {
		if r == '×' || r == '÷' {
			continue
		}
		if got := Slugify(string(r), 0); !ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q", r, got)
		}
	}
	spot := map[rune]string{'À': "a", 'Þ': "th", 'ß': "ss", 'ÿ': "y", 'Ā': "a", 'Đ': "d", 'İ': "i", 'ı': "i", 'Ĳ': "ij",
		'Ł': "l", 'ŉ': "n", 'Œ': "oe", 'Ş': "s", 'Ŧ': "t", 'Ű': "u", 'Ŵ': "w", 'Ÿ': "y", 'Ž': "z", 'ſ': "s"}
	for r, want := range spot {
		if got := Slugify(string(r), 0); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", r, got, want)
		}
	}
}

func TestValidSlug(t *testing.T) {
	tests := map[string]bool{
		"a": true, "world": true, "item-17-russia": true, "2024": true,
		"": false, "-a": false, "a-": false, "a--b": false, "A": false, "a_b": false, "a b": false, "türkiye": false, "a.b": false,
	}
	for s, want := range tests {
		t.Run(s, func(t *testing.T) {
			if got := ValidSlug(s); got != want {
				t.Errorf("ValidSlug(%q) = %v, want %v", s, got, want)
			}
		})
	}
}

func TestSplitSlugID(t *testing.T) {
	tests := []struct {
		in   string
		slug string
		id   int64
		ok   bool
	}{
		{"shoigu-visits-kim-1042", "shoigu-visits-kim", 1042, true},
		{"item-17-russia-2024-7", "item-17-russia-2024", 7, true},
		{"1042", "", 1042, true},
		{"old-Slug_form-5", "old-Slug_form", 5, true},
		{"9223372036854775807", "", 9223372036854775807, true},
		{"9223372036854775808", "", 0, false},
		{"a-99999999999999999999", "", 0, false},
		{"shoigu-visits-kim", "", 0, false},
		{"kim-01042", "", 0, false},
		{"kim-0", "", 0, false},
		{"0", "", 0, false},
		{"kim-", "", 0, false},
		{"-1042", "", 0, false},
		{"kim-+12", "", 0, false},
		{"kim-12a", "", 0, false},
		{"kim-١٢", "", 0, false},
		{"", "", 0, false},
		{"rss.xml", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			slug, id, ok := SplitSlugID(tt.in)
			if slug != tt.slug || id != tt.id || ok != tt.ok {
				t.Errorf("SplitSlugID(%q) = %q, %d, %v; want %q, %d, %v", tt.in, slug, id, ok, tt.slug, tt.id, tt.ok)
			}
		})
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Shoigu visits Kim", "Türkiye İstanbul Işık", "Item 17: Russia…", "قال", "a--b", "-", "ß", "e\u0301", "\xff\xfe", strings.Repeat("word ", 40)} {
		for _, max := range []int{0, 1, 5, 80} {
			f.Add(s, max)
		}
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		got := Slugify(s, max)
		if got != "" && !ValidSlug(got) {
			t.Errorf("Slugify(%q, %d) = %q, not a valid slug", s, max, got)
		}
		if max > 0 && len(got) > max {
			t.Errorf("Slugify(%q, %d) = %q, longer than %d", s, max, got, max)
		}
		if full := Slugify(s, 0); !strings.HasPrefix(full, got) {
			t.Errorf("Slugify(%q, %d) = %q, not a prefix of %q", s, max, got, full)
		}
	})
}
