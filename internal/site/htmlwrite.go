package site

import (
	"bytes"
	"strconv"
	"strings"
)

// htmlWriter writes markup outside html/template for the pages that are
// rendered most (story_page.go). It escapes exactly as html/template
// does in the contexts those pages use, so the page is the same to the
// byte as the templates it replaced (the oracle test holds it to that):
//
//   - text and quoted attribute values: esc, html/template's htmlEscaper;
//   - a URL attribute that the value starts: url, its urlFilter (only
//     http, https, mailto and scheme-less URLs pass) then urlNormalizer;
//   - a value inside a URL's path: path, its urlNormalizer;
//   - a value inside a URL's query: query, its urlEscaper.
//
// Markup itself is only ever a constant of the calling code (raw).
type htmlWriter struct {
	b *bytes.Buffer
}

func (w *htmlWriter) raw(parts ...string) {
	for _, p := range parts {
		w.b.WriteString(p)
	}
}

func (w *htmlWriter) int(n int) { w.b.WriteString(strconv.Itoa(n)) }

// esc writes s escaped for element content or a quoted attribute, as
// html/template's htmlEscaper does: the ASCII specials become references
// (NUL becomes U+FFFD) and every other byte, valid UTF-8 or not, is
// copied as it is. A special is always a byte of its own in any UTF-8,
// so no rune is decoded.
func (w *htmlWriter) esc(s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		repl := escRepl[s[i]]
		if repl == "" {
			continue
		}
		w.b.WriteString(s[written:i])
		w.b.WriteString(repl)
		written = i + 1
	}
	w.b.WriteString(s[written:])
}

// escRepl is what esc writes for each byte: "" for the byte itself.
var escRepl = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// escIn writes s escaped between the markup before and after it: an
// element's text or an attribute's value with the rest of the tag.
func (w *htmlWriter) escIn(before, s, after string) {
	w.b.WriteString(before)
	w.esc(s)
	w.b.WriteString(after)
}

// urlIn writes s as a URL attribute's value between before and after.
func (w *htmlWriter) urlIn(before, s, after string) {
	w.b.WriteString(before)
	w.url(s)
	w.b.WriteString(after)
}

// url writes s as a whole URL attribute value: one with a scheme other
// than http, https or mailto becomes html/template's "#ZgotmplZ".
func (w *htmlWriter) url(s string) {
	if !safeURL(s) {
		w.b.WriteString("#ZgotmplZ")
		return
	}
	w.path(s)
}

// path writes s, a part of a URL before its query, percent-encoding what
// a URL may not hold (valid escapes stay) and then escaping for HTML.
func (w *htmlWriter) path(s string) { w.urlBytes(s, true) }

// query writes s as a part of a URL's query: everything but unreserved
// characters percent-encoded.
func (w *htmlWriter) query(s string) { w.urlBytes(s, false) }

func (w *htmlWriter) urlBytes(s string, norm bool) {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~':
			continue
		case norm && strings.IndexByte("!#$*,/:;=?@[]", c) >= 0:
			continue
		case norm && (c == '&' || c == '+'):
			// Kept in the URL, escaped for the attribute.
			w.b.WriteString(s[written:i])
			if c == '&' {
				w.b.WriteString("&amp;")
			} else {
				w.b.WriteString("&#43;")
			}
			written = i + 1
			continue
		case norm && c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		w.b.WriteString(s[written:i])
		w.b.WriteByte('%')
		w.b.WriteByte("0123456789abcdef"[c>>4])
		w.b.WriteByte("0123456789abcdef"[c&15])
		written = i + 1
	}
	w.b.WriteString(s[written:])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// safeURL is html/template's isSafeURL.
func safeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		return strings.EqualFold(protocol, "http") || strings.EqualFold(protocol, "https") || strings.EqualFold(protocol, "mailto")
	}
	return true
}

// srcset writes a srcset attribute's value as html/template's
// srcsetFilterAndEscaper does: each comma-separated candidate's URL
// normalized, or the candidate replaced by "#ZgotmplZ" when its URL is
// unsafe or its descriptor holds more than spaces, letters and digits.
func (w *htmlWriter) srcset(s string) {
	for first := true; ; first = false {
		cand, rest, more := strings.Cut(s, ",")
		if !first {
			w.b.WriteByte(',')
		}
		w.srcsetCandidate(cand)
		if !more {
			return
		}
		s = rest
	}
}

func (w *htmlWriter) srcsetCandidate(s string) {
	start := 0
	for start < len(s) && isHTMLSpace(s[start]) {
		start++
	}
	end := len(s)
	for i := start; i < len(s); i++ {
		if isHTMLSpace(s[i]) {
			end = i
			break
		}
	}
	if u := s[start:end]; safeURL(u) {
		ok := true
		for i := end; i < len(s); i++ {
			c := s[i]
			if !isHTMLSpace(c) && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
				ok = false
				break
			}
		}
		if ok {
			w.b.WriteString(s[:start])
			w.path(u)
			w.b.WriteString(s[end:])
			return
		}
	}
	w.b.WriteString("#ZgotmplZ")
}

// isHTMLSpace is true for ASCII whitespace as HTML defines it.
func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }
