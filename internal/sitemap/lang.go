package sitemap

import "strings"

// NewsLanguage turns a BCP 47 language tag into the form Google News
// sitemaps want: the ISO 639 code in lower case ("en", "ar", "tr"),
// except Chinese, written zh-cn for the simplified script and zh-tw for
// the traditional one. Regions and scripts of other languages are dropped
// ("pt-BR" is "pt"). A bare "zh" is taken as simplified, the usual case.
func NewsLanguage(tag string) string {
	tag = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	primary, rest, _ := strings.Cut(tag, "-")
	if primary != "zh" {
		return primary
	}
	for _, sub := range strings.Split(rest, "-") {
		switch sub {
		case "hant", "tw", "hk", "mo":
			return "zh-tw"
		}
	}
	return "zh-cn"
}
