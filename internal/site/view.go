package site

import (
	"net/url"
	"strings"

	"dateline/internal/story"
)

// Page is what the layout needs; every page type embeds it.
type Page struct {
	Site        *siteInfo
	Title       string
	Description string
	Canonical   string
	NoIndex     bool
	Sections    []story.Section
	Current     string // slug of the section the page belongs to
	Crumbs      []crumb
	// Breaking is the story editors marked as breaking news, shown in a
	// banner on every page until it is cleared or expires; nil when none.
	Breaking      *story.Summary
	BreakingLabel string
	// Feeds are announced with <link rel="alternate">: the site's, and
	// the page's own list (feed_show.go).
	Feeds []feedLink
}

type siteInfo struct {
	Name    string
	Lang    string
	Dir     string
	BaseURL string
	Year    int
}

type crumb struct {
	Name string
	URL  string // empty for the current page
}

type pager struct {
	Older  string
	Newest string
}

// bodyBlock is a block ready for the template: inline spans grouped into
// link runs, and related stories resolved to summaries.
type bodyBlock struct {
	story.Block
	Inline       []inlineRun
	ListItems    [][]inlineRun
	RelatedStory *story.Summary
	Host         string
}

// inlineRun is a run of spans that share one link target (or none).
type inlineRun struct {
	Href  string
	Spans []story.Span
}

func runs(spans []story.Span) []inlineRun {
	var out []inlineRun
	for _, sp := range spans {
		if n := len(out); n > 0 && out[n-1].Href == sp.Href {
			out[n-1].Spans = append(out[n-1].Spans, sp)
			continue
		}
		out = append(out, inlineRun{Href: sp.Href, Spans: []story.Span{sp}})
	}
	return out
}

// viewBody prepares blocks for the template. A related block whose story is
// not published (or missing) is dropped rather than shown broken.
func viewBody(blocks []story.Block, related map[int64]story.Summary) []bodyBlock {
	out := make([]bodyBlock, 0, len(blocks))
	for _, b := range blocks {
		v := bodyBlock{Block: b}
		switch b.Type {
		case story.BlockParagraph, story.BlockHeading, story.BlockQuote:
			v.Inline = runs(b.Spans)
		case story.BlockList:
			v.ListItems = make([][]inlineRun, len(b.Items))
			for i, it := range b.Items {
				v.ListItems[i] = runs(it)
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
		out = append(out, v)
	}
	return out
}

// relatedIDs lists the story ids that related blocks point to.
func relatedIDs(blocks []story.Block) []int64 {
	var ids []int64
	for _, b := range blocks {
		if b.Type == story.BlockRelated && b.StoryID > 0 {
			ids = append(ids, b.StoryID)
		}
	}
	return ids
}

// shareLink's Label is the hidden words before the visible Name ("Share on"),
// so a screen reader hears "Share on X" while the eye sees "X".
type shareLink struct {
	Key, Name, Label, URL string
}

// shareLinks are plain links to each network's share page: no scripts, no
// tracking, nothing loaded until the reader clicks.
func shareLinks(pageURL, title, prefix, emailName string) []shareLink {
	u, t := url.QueryEscape(pageURL), url.QueryEscape(title)
	return []shareLink{
		{"x", "X", prefix, "https://x.com/intent/post?url=" + u + "&text=" + t},
		{"facebook", "Facebook", prefix, "https://www.facebook.com/sharer/sharer.php?u=" + u},
		{"linkedin", "LinkedIn", prefix, "https://www.linkedin.com/sharing/share-offsite/?url=" + u},
		{"whatsapp", "WhatsApp", prefix, "https://wa.me/?text=" + t + "%20" + u},
		{"telegram", "Telegram", prefix, "https://t.me/share/url?url=" + u + "&text=" + t},
		{"email", emailName, prefix, "mailto:?subject=" + url.PathEscape(title) + "&body=" + url.PathEscape(pageURL)},
	}
}

func (s *Server) base(title, desc, canonical string) Page {
	return Page{
		Site:        s.info,
		Title:       title,
		Description: desc,
		Canonical:   canonical,
	}
}
