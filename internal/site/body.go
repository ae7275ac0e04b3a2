package site

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"dateline/internal/story"
)

// The story body is most of a story page's markup, and through
// html/template's reflection it was a third of the time an uncached story
// page took. bodyWriter writes it directly, through the htmlWriter that
// writes the rest of the story page (htmlwrite.go), so it holds to the
// templates' rules by construction: every text and attribute value is
// escaped as html/template escapes it, every link goes through
// story.SafeURL (http, https, mailto or a site path; anything else loses
// its link and keeps its words), pictures are the page's own, and the
// markup is fixed here, never taken from the story.

// Sizes of pictures in the body: the column is 44rem wide on large
// screens, the screen's width below.
const bodyPicSizes = "(min-width: 64em) 44rem, 100vw"

// storyBody renders blocks as the story page shows them. related holds
// the stories that related blocks point to; a block whose story is not
// there (unpublished or gone) is left out rather than shown broken.
func (s *Server) storyBody(blocks []story.Block, related map[int64]story.Summary) template.HTML {
	w := bodyWriter{htmlWriter: htmlWriter{b: bytes.NewBuffer(make([]byte, 0, 4096))}, relatedLabel: s.cat.T("related")}
	for _, b := range blocks {
		w.block(b, related)
	}
	return template.HTML(w.b.String())
}

// bodyWriter writes a body through the story page's htmlWriter, so that
// its text, attributes and pictures are escaped the one way the rest of
// the page is.
type bodyWriter struct {
	htmlWriter
	relatedLabel string
}

func (w *bodyWriter) s(parts ...string) { w.raw(parts...) }

// text writes s escaped for an element's content or a quoted attribute.
func (w *bodyWriter) text(s string) { w.esc(s) }

func (w *bodyWriter) block(b story.Block, related map[int64]story.Summary) {
	switch b.Type {
	case story.BlockParagraph:
		w.s("<p>")
		w.inline(b.Spans)
		w.s("</p>\n")
	case story.BlockHeading:
		tag := "h2"
		if b.Level == 3 {
			tag = "h3"
		}
		w.s("<", tag, ">")
		w.inline(b.Spans)
		w.s("</", tag, ">\n")
	case story.BlockQuote:
		w.s("<blockquote><p>")
		w.inline(b.Spans)
		w.s("</p>")
		if b.Attribution != "" {
			w.s("<footer>— <cite>")
			w.text(b.Attribution)
			w.s("</cite></footer>")
		}
		w.s("</blockquote>\n")
	case story.BlockList:
		tag := "ul"
		if b.Ordered {
			tag = "ol"
		}
		w.s("<", tag, ">")
		for _, item := range b.Items {
			w.s("<li>")
			w.inline(item)
			w.s("</li>")
		}
		w.s("</", tag, ">\n")
	case story.BlockImage:
		if img := b.Image; img != nil && img.Hash != "" {
			w.s(`<figure class="body-pic">`)
			w.picture(img, 960, bodyPicSizes, true)
			w.caption(img.Caption, img.Credit)
			w.s("</figure>\n")
		}
	case story.BlockRelated:
		if sum, ok := related[b.StoryID]; ok {
			w.s(`<aside class="related-inline" aria-label="`)
			w.text(w.relatedLabel)
			w.s(`"><span class="related-label">`)
			w.text(w.relatedLabel)
			w.s(`</span> <a href="`)
			w.text(sum.Path())
			w.s(`" lang="`)
			w.text(sum.Language)
			w.s(`" dir="`, story.Dir(sum.Language), `">`)
			w.text(sum.Headline)
			w.s("</a></aside>\n")
		}
	case story.BlockEmbed:
		u, err := url.Parse(b.URL)
		safe := story.SafeURL(b.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || safe == "" {
			return
		}
		w.s(`<p class="embed-card"><a href="`)
		w.text(safe)
		w.s(`" rel="noopener nofollow"><span class="embed-host">`)
		w.text(strings.TrimPrefix(u.Hostname(), "www."))
		w.s(`</span> <span class="embed-url">`)
		w.text(safe)
		w.s("</span></a></p>\n")
	case story.BlockDivider:
		w.s("<hr>\n")
	}
}

// inline writes spans, a run of spans with one link target inside one
// link.
func (w *bodyWriter) inline(spans []story.Span) {
	for i := 0; i < len(spans); {
		href := spans[i].Href
		j := i + 1
		for j < len(spans) && spans[j].Href == href {
			j++
		}
		safe := story.SafeURL(href)
		if safe != "" {
			w.s(`<a href="`)
			w.text(safe)
			w.s(`">`)
		}
		for _, sp := range spans[i:j] {
			w.span(sp)
		}
		if safe != "" {
			w.s("</a>")
		}
		i = j
	}
}

func (w *bodyWriter) span(sp story.Span) {
	switch {
	case sp.Code:
		w.s("<code>")
		w.text(sp.Text)
		w.s("</code>")
	case sp.Bold && sp.Italic:
		w.s("<strong><em>")
		w.text(sp.Text)
		w.s("</em></strong>")
	case sp.Bold:
		w.s("<strong>")
		w.text(sp.Text)
		w.s("</strong>")
	case sp.Italic:
		w.s("<em>")
		w.text(sp.Text)
		w.s("</em>")
	default:
		w.text(sp.Text)
	}
}

func (w *bodyWriter) caption(caption, credit string) {
	if caption == "" && credit == "" {
		return
	}
	w.s("<figcaption>")
	w.text(caption)
	if caption != "" && credit != "" {
		w.s(" / ")
	}
	if credit != "" {
		w.s(`<span class="credit">`)
		w.text(credit)
		w.s("</span>")
	}
	w.s("</figcaption>")
}
