// Package i18n is the message catalogue: every word the site itself puts
// on a page (navigation, "MIN READ", "Related", "Explore", footer), keyed
// by language, and the date formats that go with them. Stories carry their
// own language; this package is only for the page around them.
package i18n

import (
	"fmt"
	"strings"
	"time"
)

// Catalog holds the words of one language, falling back to English.
type Catalog struct {
	Lang   string
	words  map[string]string
	months [12]string
}

// For returns the catalogue for a BCP 47 tag ("en", "tr", "ar", "en-GB"),
// falling back to English for unknown languages and missing keys.
func For(tag string) *Catalog {
	base := strings.ToLower(strings.SplitN(tag, "-", 2)[0])
	c := &Catalog{Lang: tag, words: map[string]string{}, months: monthsFor(base)}
	for k, v := range catalogs["en"] {
		c.words[k] = v
	}
	for k, v := range catalogs[base] {
		c.words[k] = v
	}
	return c
}

// T returns the words for key. An unknown key returns the key itself in
// brackets, so a typo shows on the page and the catalogue test catches it.
func (c *Catalog) T(key string) string {
	if v, ok := c.words[key]; ok {
		return v
	}
	return "[" + key + "]"
}

// Has reports whether key is in the catalogue.
func (c *Catalog) Has(key string) bool { _, ok := c.words[key]; return ok }

// Tf formats the words for key with args, as fmt.Sprintf does.
func (c *Catalog) Tf(key string, args ...any) string { return fmt.Sprintf(c.T(key), args...) }

// Date formats t as a reader expects a news date: "September 13, 2024".
func (c *Catalog) Date(t time.Time) string {
	if c.words["date_order"] == "dmy" {
		return fmt.Sprintf("%d %s %d", t.Day(), c.months[t.Month()-1], t.Year())
	}
	return fmt.Sprintf("%s %d, %d", c.months[t.Month()-1], t.Day(), t.Year())
}

// DateTime formats t with its time of day and zone: "September 13, 2024, 14:05 GMT+3".
func (c *Catalog) DateTime(t time.Time) string {
	return c.Date(t) + ", " + t.Format("15:04") + " " + zone(t)
}

func zone(t time.Time) string {
	name, off := t.Zone()
	if off == 0 {
		return "GMT"
	}
	if name != "" && !strings.ContainsAny(name, "+-0123456789") {
		return name
	}
	h, m := off/3600, (off%3600)/60
	if m < 0 {
		m = -m
	}
	if m != 0 {
		return fmt.Sprintf("GMT%+d:%02d", h, m)
	}
	return fmt.Sprintf("GMT%+d", h)
}

func monthsFor(lang string) [12]string {
	if m, ok := months[lang]; ok {
		return m
	}
	return months["en"]
}

var months = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"tr": {"Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık"},
}
