package story

import (
	"hash/fnv"
	"strconv"
	"strings"
)

// rtl lists the base languages written right to left.
var rtl = map[string]bool{"ar": true, "he": true, "fa": true, "ur": true, "ps": true, "dv": true, "yi": true, "ckb": true, "sd": true, "ug": true}

// Dir returns "rtl" for languages written right to left and "ltr" for the
// rest, from a BCP 47 tag such as "ar" or "ar-EG".
func Dir(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if rtl[base] {
		return "rtl"
	}
	return "ltr"
}

// TagSlug is the URL slug of a tag name: its transliteration, or for a
// name in a script with none (Arabic), a short stable hash of the name.
func TagSlug(name string) string {
	if s := Slugify(name, 60); s != "" {
		return s
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(name)))
	return "t-" + strconv.FormatUint(uint64(h.Sum32()), 36)
}
