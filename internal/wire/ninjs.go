package wire

import (
	"fmt"
	"sort"
	"strings"
)

// parseNinjs reads one ninjs document, or an array of them. Keys are
// compared without regard to case, which covers ninjs 3's camelCase
// (versionCreated) beside 1.x and 2.x's lower case (versioncreated).
func parseNinjs(v any) (*Batch, error) {
	b := &Batch{Format: "ninjs"}
	switch v := lowerKeys(v).(type) {
	case map[string]any:
		b.Items = append(b.Items, ninjsItem(v))
	case []any:
		for i, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%w: element %d of the JSON array is not a ninjs object", ErrFormat, i)
			}
			b.Items = append(b.Items, ninjsItem(m))
		}
	default:
		return nil, fmt.Errorf("%w: JSON that is not a ninjs object", ErrFormat)
	}
	return b, nil
}

func lowerKeys(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[strings.ToLower(k)] = lowerKeys(e)
		}
		return out
	case []any:
		for i := range v {
			v[i] = lowerKeys(v[i])
		}
	}
	return v
}

func ninjsItem(m map[string]any) *Item {
	it := &Item{Format: "ninjs", Kind: ninjsKind(str(m["type"])), Version: 1}
	it.GUID = firstOf(str(m["uri"]), str(m["guid"]), str(m["id"]))
	if n, ok := number(m["version"]); ok && n > 0 {
		it.Version = n
	}
	it.PubStatus = g2Status(str(m["pubstatus"]))
	it.Headline = collapse(firstOf(str(m["headline"]), role(m["headlines"], "main", "simple", ""), str(m["headline_main"]),
		prefixed(m, "headline_"), str(m["title"])))
	it.Subheadline = collapse(firstOf(str(m["description_text"]), str(m["description_summary"]),
		role(m["descriptions"], "summary", "description", "teaser", "abstract", "")))
	if h := firstOf(str(m["body_html"]), str(m["body_xhtml"]), str(m["body_richtext"]), bodyOf(m["bodies"], true)); h != "" {
		it.Body = HTMLToBlocks(h)
	} else {
		it.Body = TextToBlocks(firstOf(str(m["body_text"]), str(m["body_main"]), str(m["body"]), bodyOf(m["bodies"], false), prefixed(m, "body_")))
	}
	if len(it.Body) == 0 {
		// NTB and others send short items as a description only.
		if d := firstOf(str(m["description_text"]), role(m["descriptions"], "text", "body", "")); d != "" {
			it.Body, it.Subheadline = TextToBlocks(d), ""
		}
	}
	for _, by := range []string{str(m["byline"]), str(m["by"])} {
		if by = collapse(by); by != "" {
			it.Bylines = []string{by}
			break
		}
	}
	it.Creditline = collapse(str(m["creditline"]))
	it.Provider = collapse(firstOf(name(m["infosource"]), name(first(m["infosources"])), name(m["provider"]), str(m["copyrightholder"])))
	for _, key := range []string{"subject", "subjects", "keywords"} {
		for _, s := range list(m[key]) {
			it.Subjects = appendUnique(it.Subjects, collapse(firstOf(name(s), str(s))))
			if key == "keywords" {
				it.Keywords = appendUnique(it.Keywords, collapse(str(s)))
			} else if c, ok := s.(map[string]any); ok {
				it.SubjectCodes = appendUnique(it.SubjectCodes, ninjsCode(c))
			}
		}
	}
	it.Signals = ninjsSignals(m)
	// ninjs has one ednote (edNote in 3.x); it is the agency's word on a
	// correction only when the item signals one (ingest checks).
	it.EdNote = clip(collapse(str(m["ednote"])), maxEdNote)
	it.Located = collapse(firstOf(str(m["located"]), name(m["located"])))
	it.Urgency, _ = number(m["urgency"])
	it.Language = str(m["language"])
	it.FirstCreated = parseTime(str(m["firstcreated"]))
	it.VersionCreated = parseTime(str(m["versioncreated"]))
	it.ContentCreated = parseTime(str(m["contentcreated"]))
	it.Embargo = parseTime(str(m["embargoed"]))
	it.Pictures = ninjsPictures(m["associations"])
	return it
}

func ninjsKind(t string) Kind {
	switch strings.ToLower(t) {
	case "", "text":
		return KindText
	case "picture":
		return KindPicture
	case "graphic":
		return KindGraphic
	case "video":
		return KindVideo
	case "audio":
		return KindAudio
	case "composite":
		return KindPackage
	case "event":
		return KindEvent
	case "planning":
		return KindPlanning
	case "concept":
		return KindConcept
	}
	return KindOther
}

// ninjsPictures reads picture and graphic associations: an object keyed
// by name (1.x, 2.x) or an array (3.x).
func ninjsPictures(v any) []Picture {
	var assocs []map[string]any
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if a, ok := v[k].(map[string]any); ok {
				assocs = append(assocs, a)
			}
		}
	case []any:
		for _, e := range v {
			if a, ok := e.(map[string]any); ok {
				assocs = append(assocs, a)
			}
		}
	}
	var out []Picture
	for _, a := range assocs {
		if k := ninjsKind(str(a["type"])); k != KindPicture && k != KindGraphic {
			continue
		}
		p := bestRendition(a["renditions"])
		if p.URL == "" && isImageURL(str(a["uri"])) {
			p.URL = str(a["uri"])
		}
		if p.URL == "" {
			continue
		}
		p.Caption = collapse(firstOf(str(a["description_text"]), role(a["descriptions"], "caption", "text", "summary", ""), str(a["headline"]), role(a["headlines"], "main", "")))
		p.Credit = collapse(firstOf(str(a["creditline"]), str(a["byline"]), str(a["by"]), str(a["copyrightholder"])))
		p.Alt = collapse(role(a["descriptions"], "alt", "alternative"))
		out = append(out, p)
	}
	return out
}

// bestRendition picks the widest rendition with an http(s) address.
func bestRendition(v any) Picture {
	var rs []any
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			rs = append(rs, v[k])
		}
	case []any:
		rs = v
	}
	var best Picture
	for _, r := range rs {
		m, ok := r.(map[string]any)
		if !ok {
			continue
		}
		href := str(m["href"])
		if !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") {
			continue
		}
		w, _ := number(m["width"])
		h, _ := number(m["height"])
		if best.URL == "" || w > best.Width {
			best = Picture{URL: href, Width: w, Height: h}
		}
	}
	return best
}

func isImageURL(u string) bool {
	l := strings.ToLower(u)
	if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
		return false
	}
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".gif", ".webp"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}
