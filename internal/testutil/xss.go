package testutil

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// XSSPayloads returns the cross-site scripting corpus of the shared test
// data (all_payloads_dedup.txt and XSS_Polyglots.txt), one payload each.
func XSSPayloads() ([]string, error) {
	var out []string
	for _, name := range []string{"all_payloads_dedup.txt", "XSS_Polyglots.txt"} {
		dir, err := testdataDir()
		if err != nil {
			return nil, err
		}
		f, err := os.Open(filepath.Join(dir, "xss", name))
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if line := sc.Text(); strings.TrimSpace(line) != "" {
				out = append(out, line)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return out, nil
}

// EventHandlerNames returns the on… attribute names of the shared test
// data, which no output may ever carry.
func EventHandlerNames() ([]string, error) {
	dir, err := testdataDir()
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "xss", "event_handler_names_portswigger.txt"))
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(b)), nil
}

// forbiddenTags never appear in Dateline's pages: a payload that makes one
// has broken out of the text or attribute it was put in.
var forbiddenTags = map[string]bool{
	"iframe": true, "frame": true, "frameset": true, "object": true, "embed": true, "applet": true,
	"svg": true, "math": true, "base": true, "style": true, "xss": true, "xml": true, "bgsound": true,
	"layer": true, "ilayer": true, "isindex": true, "marquee": true, "video": true, "audio": true,
}

// UnsafeHTML parses an HTML page and lists what in it could run a script:
// an on… attribute, a forbidden element, a script that is neither one of
// the site's own files under /static/ nor a JSON-LD data block holding
// valid JSON, an inline style, a meta refresh, or a link, source or form
// target whose scheme is javascript:, vbscript: or data: (data: only for
// images). An empty result means the page is structurally safe whatever
// text it shows.
func UnsafeHTML(page string) []string {
	var bad []string
	z := html.NewTokenizer(strings.NewReader(page))
	inJSONLD := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return bad
		case html.TextToken:
			if inJSONLD && !json.Valid(z.Text()) {
				bad = append(bad, "a JSON-LD block that is not valid JSON: "+clip(string(z.Text())))
			}
		case html.EndTagToken:
			inJSONLD = false
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			name := tok.Data
			if forbiddenTags[name] {
				bad = append(bad, "element <"+name+">")
			}
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				key := strings.ToLower(a.Key)
				attrs[key] = a.Val
				if strings.HasPrefix(key, "on") {
					bad = append(bad, fmt.Sprintf("attribute %s on <%s>", key, name))
				}
				if key == "style" {
					bad = append(bad, "inline style on <"+name+">")
				}
				switch key {
				case "href", "src", "action", "formaction", "srcset", "poster", "background", "xlink:href", "data":
					if scheme := urlScheme(a.Val); scheme == "javascript" || scheme == "vbscript" ||
						(scheme == "data" && !(name == "img" && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "data:image/"))) {
						bad = append(bad, fmt.Sprintf("%s=%q on <%s>", key, clip(a.Val), name))
					}
				}
			}
			switch name {
			case "script":
				// Dateline's only scripts are its own files under /static/
				// and JSON-LD data blocks.
				if src, ok := attrs["src"]; ok && strings.HasPrefix(src, "/static/") && !strings.Contains(src, "..") {
					break
				}
				if attrs["type"] != "application/ld+json" {
					bad = append(bad, "a <script> that is neither a file under /static/ nor a JSON-LD data block")
				}
				inJSONLD = tt == html.StartTagToken
			case "meta":
				if strings.EqualFold(attrs["http-equiv"], "refresh") {
					bad = append(bad, "meta refresh")
				}
			}
		}
	}
}

// urlScheme returns the lower-case scheme of a URL as a browser reads it:
// leading spaces and control characters and embedded tabs and newlines
// are ignored.
func urlScheme(u string) string {
	var b strings.Builder
	for _, r := range strings.TrimLeft(u, " \t\n\r\f\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b") {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			continue
		case r == ':':
			return strings.ToLower(b.String())
		case r == '/' || r == '?' || r == '#':
			return ""
		}
		b.WriteRune(r)
	}
	return ""
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// SQLMeta are SQL metacharacters and classic injections. Every store
// query is parameterised; these prove it from outside.
var SQLMeta = []string{
	"'", `"`, ";", "--", "/*", "*/", "%", "_", `\`, "\x00", "`",
	"' OR '1'='1", "world' OR '1'='1", "world' --", `world" OR "1"="1`,
	"1; DROP TABLE stories", "1; DROP TABLE stories; --", "1 OR 1=1", "0x1f", "1e3",
	"en%", "e_", "%-%", "world%", "w_rld", `\%`, "' UNION SELECT id, headline FROM stories --",
	"1)) OR ((1=1", "$1", "?", ":id", "@id",
}

// InjectionValues is the whole corpus for a field or parameter: the XSS
// payloads, each event handler name as an attribute that would run it,
// and the SQL metacharacters.
func InjectionValues() ([]string, error) {
	xss, err := XSSPayloads()
	if err != nil {
		return nil, fmt.Errorf("the XSS corpus of the shared test data: %w", err)
	}
	events, err := EventHandlerNames()
	if err != nil {
		return nil, err
	}
	if len(xss) < 362 || len(events) < 114 {
		return nil, fmt.Errorf("only %d payloads and %d event handler names read", len(xss), len(events))
	}
	out := slices.Clone(xss)
	for _, e := range events {
		out = append(out, `"><img src=x `+e+`=alert(1)>`)
	}
	return append(out, SQLMeta...), nil
}
