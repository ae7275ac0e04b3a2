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

func (w *bodyWriter) block(b story.Block, related map[int64]story.Summary) {
	switch b.Type {
	case story.BlockParagraph:
		w.raw("<p>")
		w.inline(b.Spans)
		w.raw("</p>\n")
	case story.BlockHeading:
		tag := "h2"
		if b.Level == 3 {
			tag = "h3"
		}
		w.raw("<", tag, ">")
		w.inline(b.Spans)
		w.raw("</", tag, ">\n")
	case story.BlockQuote:
		w.raw("<blockquote><p>")
		w.inline(b.Spans)
		w.raw("</p>")
		if b.Attribution != "" {
			w.raw("<footer>— <cite>")
			w.esc(b.Attribution)
			w.raw("</cite></footer>")
		}
		w.raw("</blockquote>\n")
	case story.BlockList:
		tag := "ul"
		if b.Ordered {
			tag = "ol"
		}
		w.raw("<", tag, ">")
		for _, item := range b.Items {
			w.raw("<li>")
			w.inline(item)
			w.raw("</li>")
		}
		w.raw("</", tag, ">\n")
	case story.BlockImage:
		if img := b.Image; img != nil && img.Hash != "" {
			w.raw(`<figure class="body-pic">`)
			w.picture(img, 960, bodyPicSizes, true)
			w.caption(img.Caption, img.Credit)
			w.raw("</figure>\n")
		}
	case story.BlockRelated:
		if sum, ok := related[b.StoryID]; ok {
			w.raw(`<aside class="related-inline" aria-label="`)
			w.esc(w.relatedLabel)
			w.raw(`"><span class="related-label">`)
			w.esc(w.relatedLabel)
			w.raw(`</span> <a href="`)
			w.esc(sum.Path())
			w.raw(`" lang="`)
			w.esc(sum.Language)
			w.raw(`" dir="`, story.Dir(sum.Language), `">`)
			w.esc(sum.Headline)
			w.raw("</a></aside>\n")
		}
	case story.BlockEmbed:
		u, err := url.Parse(b.URL)
		safe := story.SafeURL(b.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || safe == "" {
			return
		}
		w.raw(`<p class="embed-card"><a href="`)
		w.esc(safe)
		w.raw(`" rel="noopener nofollow"><span class="embed-host">`)
		w.esc(strings.TrimPrefix(u.Hostname(), "www."))
		w.raw(`</span> <span class="embed-url">`)
		w.esc(safe)
		w.raw("</span></a></p>\n")
	case story.BlockDivider:
		w.raw("<hr>\n")
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
			w.raw(`<a href="`)
			w.esc(safe)
			w.raw(`">`)
		}
		for _, sp := range spans[i:j] {
			w.span(sp)
		}
		if safe != "" {
			w.raw("</a>")
		}
		i = j
	}
}

func (w *bodyWriter) span(sp story.Span) {
	switch {
	case sp.Code:
		w.raw("<code>")
		w.esc(sp.Text)
		w.raw("</code>")
	case sp.Bold && sp.Italic:
		w.raw("<strong><em>")
		w.esc(sp.Text)
		w.raw("</em></strong>")
	case sp.Bold:
		w.raw("<strong>")
		w.esc(sp.Text)
		w.raw("</strong>")
	case sp.Italic:
		w.raw("<em>")
		w.esc(sp.Text)
		w.raw("</em>")
	default:
		w.esc(sp.Text)
	}
}

func (w *bodyWriter) caption(caption, credit string) {
	if caption == "" && credit == "" {
		return
	}
	w.raw("<figcaption>")
	w.esc(caption)
	if caption != "" && credit != "" {
		w.raw(" / ")
	}
	if credit != "" {
		w.raw(`<span class="credit">`)
		w.esc(credit)
		w.raw("</span>")
	}
	w.raw("</figcaption>")
}
