package site_test

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"dateline/internal/i18n"
	"dateline/internal/media"
	"dateline/internal/site"
	"dateline/internal/story"
	"dateline/internal/testutil"
)

// The story body used to be rendered by these templates. They are kept
// here as the oracle for the Go writer that replaced them (body.go):
// html/template escapes by context, so whatever the writer produces must
// mean the same to a browser, block for block, on every demo story and
// on the XSS corpus.
const oracleBody = `{{define "body"}}{{range .}}{{template "block" .}}{{end}}{{end}}
{{define "block"}}
{{- if eq .Type "paragraph"}}<p>{{template "inline" .Inline}}</p>
{{else if eq .Type "heading"}}{{if eq .Level 3}}<h3>{{template "inline" .Inline}}</h3>{{else}}<h2>{{template "inline" .Inline}}</h2>{{end}}
{{else if eq .Type "quote"}}<blockquote><p>{{template "inline" .Inline}}</p>{{with .Attribution}}<footer>— <cite>{{.}}</cite></footer>{{end}}</blockquote>
{{else if eq .Type "list"}}{{if .Ordered}}<ol>{{range .ListItems}}<li>{{template "inline" .}}</li>{{end}}</ol>{{else}}<ul>{{range .ListItems}}<li>{{template "inline" .}}</li>{{end}}</ul>{{end}}
{{else if eq .Type "image"}}{{with .Image}}{{if .Hash}}<figure class="body-pic"><img src="{{src . 960}}" srcset="{{srcset .}}" sizes="(min-width: 64em) 44rem, 100vw" width="{{.Width}}" height="{{.Height}}" alt="{{.Alt}}" loading="lazy" decoding="async">{{if or .Caption .Credit}}<figcaption>{{.Caption}}{{if and .Caption .Credit}} / {{end}}{{with .Credit}}<span class="credit">{{.}}</span>{{end}}</figcaption>{{end}}</figure>{{end}}{{end}}
{{else if eq .Type "related"}}{{with .RelatedStory}}<aside class="related-inline" aria-label="{{t "related"}}"><span class="related-label">{{t "related"}}</span> <a href="{{.Path}}" lang="{{.Language}}" dir="{{dir .Language}}">{{.Headline}}</a></aside>{{end}}
{{else if eq .Type "embed"}}<p class="embed-card"><a href="{{.URL}}" rel="noopener nofollow"><span class="embed-host">{{.Host}}</span> <span class="embed-url">{{.URL}}</span></a></p>
{{else if eq .Type "divider"}}<hr>
{{end}}{{end}}
{{define "inline"}}{{range .}}{{if .Href}}<a href="{{.Href}}">{{range .Spans}}{{template "span" .}}{{end}}</a>{{else}}{{range .Spans}}{{template "span" .}}{{end}}{{end}}{{end}}{{end}}
{{define "span"}}{{if .Code}}<code>{{.Text}}</code>{{else if and .Bold .Italic}}<strong><em>{{.Text}}</em></strong>{{else if .Bold}}<strong>{{.Text}}</strong>{{else if .Italic}}<em>{{.Text}}</em>{{else}}{{.Text}}{{end}}{{end}}`

type oracleBlock struct {
	story.Block
	Inline       []oracleRun
	ListItems    [][]oracleRun
	RelatedStory *story.Summary
	Host         string
}

type oracleRun struct {
	Href  string
	Spans []story.Span
}

func oracleRuns(spans []story.Span) []oracleRun {
	var out []oracleRun
	for _, sp := range spans {
		if n := len(out); n > 0 && out[n-1].Href == sp.Href {
			out[n-1].Spans = append(out[n-1].Spans, sp)
			continue
		}
		out = append(out, oracleRun{Href: sp.Href, Spans: []story.Span{sp}})
	}
	return out
}

func oracleRender(t *testing.T, blocks []story.Block, related map[int64]story.Summary) string {
	t.Helper()
	cat := i18n.For("en")
	tmpl := template.Must(template.New("body").Funcs(template.FuncMap{
		"t": cat.T, "dir": story.Dir,
		"src":    func(img *story.Image, want int) string { return media.Src(img, want) },
		"srcset": media.Srcset,
	}).Parse(oracleBody))
	var in []oracleBlock
	for _, b := range blocks {
		v := oracleBlock{Block: b}
		switch b.Type {
		case story.BlockParagraph, story.BlockHeading, story.BlockQuote:
			v.Inline = oracleRuns(b.Spans)
		case story.BlockList:
			for _, it := range b.Items {
				v.ListItems = append(v.ListItems, oracleRuns(it))
			}
		case story.BlockRelated:
			sum, ok := related[b.StoryID]
			if !ok {
				continue
			}
			v.RelatedStory = &sum
		case story.BlockEmbed:
			u, err := url.Parse(b.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				continue
			}
			v.Host = strings.TrimPrefix(u.Hostname(), "www.")
		}
		in = append(in, v)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "body", in); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// meaning is what a browser makes of a fragment: its tokens with entity
// references decoded, attributes in order of name, URLs unescaped, and
// adjacent texts joined. An attribute html/template refused ("#ZgotmplZ")
// and a link the writer left out both mean "no link here", so links are
// compared by where they go when they go somewhere safe.
func meaning(fragment string) []string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(fragment))
	text := ""
	flush := func() {
		if text != "" {
			out = append(out, "text:"+text)
			text = ""
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return out
		case html.TextToken:
			text += string(z.Text())
		default:
			tok := z.Token()
			if tok.Data == "a" && tt == html.StartTagToken && attr(tok, "href") == "#ZgotmplZ" {
				out = append(out, "unsafe link")
				continue
			}
			flush()
			var attrs []string
			for _, a := range tok.Attr {
				v := a.Val
				if a.Key == "href" || a.Key == "src" || a.Key == "srcset" {
					if u, err := url.PathUnescape(v); err == nil {
						v = u
					}
				}
				attrs = append(attrs, a.Key+"="+v)
			}
			slices.Sort(attrs)
			out = append(out, fmt.Sprintf("%s:%s%v", tt, tok.Data, attrs))
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestStoryBodyMatchesTemplates renders every demo story's body, and
// bodies made of the XSS corpus, with the writer and with the templates
// it replaced, and finds the same meaning in both.
func TestStoryBodyMatchesTemplates(t *testing.T) {
	related := map[int64]story.Summary{}
	var bodies [][]story.Block
	for _, st := range stories(t) {
		bodies = append(bodies, st.Body)
		related[st.ID] = st.Summary()
	}
	payloads, err := testutil.XSSPayloads()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(payloads); i += 13 {
		p := payloads[i]
		bodies = append(bodies, story.ParseBody(p+"\n\n**"+p+"** [x]("+p+")\n\n> "+p+"\n> — "+p+"\n\n- "+p+"\n\n## "+p))
		// Stored links have been through story.SafeURL (the body parser
		// and the wire's HTML reader both see to it); so have these.
		bodies = append(bodies, []story.Block{
			{Type: story.BlockEmbed, URL: story.SafeURL(p)}, {Type: story.BlockEmbed, URL: story.SafeURL("https://example.org/?q=" + url.QueryEscape(p))},
			{Type: story.BlockParagraph, Spans: []story.Span{{Text: p, Href: story.SafeURL(p)}, {Text: p, Href: story.SafeURL("https://example.org/" + url.PathEscape(p)), Bold: true, Italic: true}}},
			{Type: story.BlockImage, Image: &story.Image{Hash: "abc123", Width: 1600, Height: 900, Alt: p, Caption: p, Credit: p}},
		})
	}
	related[-1] = story.Summary{ID: -1, Slug: "x", Language: "ar", Headline: `<script>alert(1)</script> "quoted"`, Section: story.Section{Slug: "world"}}
	bodies = append(bodies, []story.Block{{Type: story.BlockRelated, StoryID: -1}, {Type: story.BlockRelated, StoryID: -2}, {Type: story.BlockDivider}})
	unsafeLinks := 0
	for i, body := range bodies {
		got := site.StoryBody("en", body, related)
		want := oracleRender(t, body, related)
		if bad := testutil.UnsafeHTML(got); len(bad) > 0 {
			t.Errorf("body %d: unsafe markup %v", i, bad)
		}
		g, w := meaning(got), meaning(want)
		// Where the templates wrote an unsafe link's words inside a dead
		// link, the writer writes the words alone.
		var wNoDead []string
		for j := 0; j < len(w); j++ {
			if w[j] == "unsafe link" {
				unsafeLinks++
				depth := 0
				w = append(w[:j], w[j+1:]...)
				for k := j; k < len(w); k++ {
					if strings.HasPrefix(w[k], "StartTag:a") {
						depth++
					}
					if w[k] == "EndTag:a[]" {
						if depth == 0 {
							w = append(w[:k], w[k+1:]...)
							break
						}
						depth--
					}
				}
				j--
			}
		}
		wNoDead = joinTexts(w)
		g = joinTexts(g)
		if !slices.Equal(g, wNoDead) {
			t.Errorf("body %d differs from the templates:\n got %q\nwant %q", i, g, wNoDead)
			if t.Failed() && i > 5 {
				return
			}
		}
	}
	if len(bodies) < 60 {
		t.Errorf("only %d bodies compared", len(bodies))
	}
	t.Logf("%d bodies compared; %d unsafe links the templates disarmed", len(bodies), unsafeLinks)
}

// joinTexts joins texts that became adjacent when a dead link was taken
// out.
func joinTexts(in []string) []string {
	var out []string
	for _, s := range in {
		if n := len(out); n > 0 && strings.HasPrefix(s, "text:") && strings.HasPrefix(out[n-1], "text:") {
			out[n-1] += strings.TrimPrefix(s, "text:")
			continue
		}
		out = append(out, s)
	}
	return out
}
