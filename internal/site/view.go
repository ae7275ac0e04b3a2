package site

import (
	"errors"
	"html/template"
	"net/url"

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
	// masthead renders the page's top for a section (Masthead).
	masthead func(current string) (template.HTML, error)
}

// Masthead is the top of the page: the skip link, the brand, the search
// form and the section navigation with the page's own section marked.
// It is the same on every page of a section, so the site renders it once
// per content version and section (Server.masthead) rather than for every
// page view.
func (p Page) Masthead() (template.HTML, error) {
	if p.masthead == nil {
		return "", errors.New("site: a page made without Server.page has no masthead")
	}
	return p.masthead(p.Current)
}

type siteInfo struct {
	Name    string
	Lang    string
	Dir     string
	BaseURL string
	Year    int
	// Footer is the layout's "footer" template, rendered once by New:
	// it shows only the words above and the catalogue's.
	Footer template.HTML
}

type crumb struct {
	Name string
	URL  string // empty for the current page
}

type pager struct {
	Older  string
	Newest string
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
