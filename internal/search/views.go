package search

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
)

// botMarks are pieces of the User-Agent of crawlers, link previewers,
// monitors and scripts, lower case. A view is counted only for a browser.
var botMarks = []string{
	"bot", "crawl", "spider", "slurp", "archiver", "fetcher", "preview", "scan", "monitor", "checker",
	"curl", "wget", "python", "go-http-client", "java/", "okhttp", "httpclient", "libwww", "http_request",
	"headless", "lighthouse", "pagespeed", "facebookexternalhit", "embedly", "whatsapp", "skypeuripreview",
	"discord", "slack", "feed", "rss", "validator", "phantomjs", "puppeteer", "playwright", "axios", "node-fetch",
}

// IsBot reports whether a User-Agent is a robot's. An empty one counts as
// a robot: every browser sends one. It is asked on every story page a
// reader gets, from the page cache too, and a site's readers use a few
// hundred browsers: the answer for a User-Agent seen before comes from
// memory (botMemo).
func IsBot(userAgent string) bool {
	botMemo.RLock()
	bot, ok := botMemo.m[userAgent]
	botMemo.RUnlock()
	if ok {
		return bot
	}
	bot = isBot(userAgent)
	if len(userAgent) <= maxMemoUA {
		botMemo.Lock()
		if len(botMemo.m) >= maxMemo {
			clear(botMemo.m) // browsers' versions move on
		}
		botMemo.m[strings.Clone(userAgent)] = bot // not the request's memory
		botMemo.Unlock()
	}
	return bot
}

// botMemo holds IsBot's answers by User-Agent, up to maxMemo of them
// (User-Agents of up to maxMemoUA bytes), and starts again when full:
// made-up User-Agents cannot grow it past a few hundred KB.
var botMemo = struct {
	sync.RWMutex
	m map[string]bool
}{m: map[string]bool{}}

const (
	maxMemo   = 2048
	maxMemoUA = 256
)

// isBot is IsBot without the memory. It lower-cases the ASCII letters
// into a buffer on the stack rather than a new string (the marks are
// ASCII).
func isBot(userAgent string) bool {
	if strings.TrimSpace(userAgent) == "" {
		return true
	}
	var buf [512]byte
	ua := buf[:0]
	if len(userAgent) > len(buf) {
		ua = make([]byte, 0, len(userAgent))
	}
	for i := 0; i < len(userAgent); i++ {
		c := userAgent[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		ua = append(ua, c)
	}
	for _, m := range botMarkBytes {
		if bytes.Contains(ua, m) {
			return true
		}
	}
	return false
}

var botMarkBytes = func() [][]byte {
	b := make([][]byte, len(botMarks))
	for i, m := range botMarks {
		b[i] = []byte(m)
	}
	return b
}()

// IsPrefetch reports whether a request was made ahead of a click (link
// prefetch or prerender), which may never be read.
func IsPrefetch(h http.Header) bool {
	for _, k := range []string{"Sec-Purpose", "Purpose", "X-Purpose", "X-Moz"} {
		v := strings.ToLower(h.Get(k))
		if strings.Contains(v, "prefetch") || strings.Contains(v, "prerender") || strings.Contains(v, "preview") {
			return true
		}
	}
	return false
}

// CountsAsView reports whether a request for a story page is a reader's
// view: a GET from a browser, not a prefetch.
func CountsAsView(r *http.Request) bool {
	return r.Method == http.MethodGet && !IsBot(r.UserAgent()) && !IsPrefetch(r.Header)
}
