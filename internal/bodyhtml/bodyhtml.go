// Package bodyhtml renders a story's body blocks as a fragment of HTML for
// places outside the site's own pages: feed entries (content:encoded,
// Atom content, JSON Feed content_html) and the content API (ninjs
// body_html). Every text is escaped; every URL is absolute, because the
// fragment is read away from the site; and only the small set of elements
// a feed reader or partner CMS expects is produced.
//
// It does no I/O: related stories are resolved by the caller.
package bodyhtml

import (
	"html"
	"strconv"
	"strings"

	"dateline/internal/media"
	"dateline/internal/story"
)

// Link is a related story as the fragment shows it.
type Link struct {
	Title string
	Path  string // site path, made absolute with Options.BaseURL
}

// Options say how to make the fragment.
type Options struct {
	// BaseURL turns site paths (media, related stories) into absolute URLs.
	BaseURL string
	// Related returns the related story for a `related` block; a block
	// whose story is not found (or not public) is left out.
	Related func(id int64) (Link, bool)
	// RelatedLabel is the word before a related link ("Related").
	RelatedLabel string
	// ImageWidth is the width of the picture chosen for image blocks
	// (the nearest stored width not above it); 0 means 1280.
	ImageWidth int
}

// Render returns the HTML fragment for body.
func Render(body []story.Block, o Options) string {
	var b strings.Builder
	for _, blk := range body {
		writeBlock(&b, blk, o)
	}
	return b.String()
}

func writeBlock(b *strings.Builder, blk story.Block, o Options) {
	switch blk.Type {
	case story.BlockParagraph:
		b.WriteString("<p>")
		writeSpans(b, blk.Spans, o)
		b.WriteString("</p>\n")
	case story.BlockHeading:
		tag := "h2"
		if blk.Level == 3 {
			tag = "h3"
		}
		b.WriteString("<" + tag + ">")
		writeSpans(b, blk.Spans, o)
		b.WriteString("</" + tag + ">\n")
	case story.BlockQuote:
		b.WriteString("<blockquote><p>")
		writeSpans(b, blk.Spans, o)
		b.WriteString("</p>")
		if blk.Attribution != "" {
			b.WriteString("<footer>— " + html.EscapeString(blk.Attribution) + "</footer>")
		}
		b.WriteString("</blockquote>\n")
	case story.BlockList:
		tag := "ul"
		if blk.Ordered {
			tag = "ol"
		}
		b.WriteString("<" + tag + ">")
		for _, item := range blk.Items {
			b.WriteString("<li>")
			writeSpans(b, item, o)
			b.WriteString("</li>")
		}
		b.WriteString("</" + tag + ">\n")
	case story.BlockImage:
		writeImage(b, blk.Image, o)
	case story.BlockRelated:
		if o.Related == nil {
			return
		}
		l, ok := o.Related(blk.StoryID)
		if !ok {
			return
		}
		label := o.RelatedLabel
		if label == "" {
			label = "Related"
		}
		b.WriteString("<p><strong>" + html.EscapeString(label) + ":</strong> <a href=\"" +
			html.EscapeString(absolute(o.BaseURL, l.Path)) + "\">" + html.EscapeString(l.Title) + "</a></p>\n")
	case story.BlockEmbed:
		if u := story.SafeURL(blk.URL); u != "" {
			e := html.EscapeString(u)
			b.WriteString("<p><a href=\"" + e + "\">" + e + "</a></p>\n")
		}
	case story.BlockDivider:
		b.WriteString("<hr>\n")
	}
}

func writeImage(b *strings.Builder, img *story.Image, o Options) {
	if img == nil || img.Hash == "" {
		return
	}
	want := o.ImageWidth
	if want <= 0 {
		want = 1280
	}
	w := 0
	for _, x := range media.Available(img.Width) {
		if x <= want || w == 0 {
			w = x
		}
	}
	b.WriteString("<figure><img src=\"" + html.EscapeString(absolute(o.BaseURL, media.URL(img.Hash, w))) +
		"\" alt=\"" + html.EscapeString(img.Alt) + "\"")
	if img.Width > 0 && img.Height > 0 {
		h := img.Height * w / img.Width
		b.WriteString(" width=\"" + strconv.Itoa(w) + "\" height=\"" + strconv.Itoa(h) + "\"")
	}
	b.WriteString(">")
	if img.Caption != "" || img.Credit != "" {
		b.WriteString("<figcaption>" + html.EscapeString(img.Caption))
		if img.Credit != "" {
			if img.Caption != "" {
				b.WriteString(" ")
			}
			b.WriteString("<small>" + html.EscapeString(img.Credit) + "</small>")
		}
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>\n")
}

func writeSpans(b *strings.Builder, spans []story.Span, o Options) {
	for _, sp := range spans {
		text := html.EscapeString(sp.Text)
		if sp.Code {
			text = "<code>" + text + "</code>"
		}
		if sp.Italic {
			text = "<em>" + text + "</em>"
		}
		if sp.Bold {
			text = "<strong>" + text + "</strong>"
		}
		if sp.Href != "" {
			if u := story.SafeURL(absolute(o.BaseURL, sp.Href)); u != "" {
				text = "<a href=\"" + html.EscapeString(u) + "\">" + text + "</a>"
			}
		}
		b.WriteString(text)
	}
}

// absolute makes a site path absolute; other URLs are returned as they are.
func absolute(base, u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return strings.TrimRight(base, "/") + u
	}
	return u
}
