package site

import (
	"bytes"
	"net/http"

	"dateline/internal/story"
)

// writePage writes a whole page around head and main as layout.html's
// "layout" template does, to the byte (story_page_test.go holds every
// demo story's page and preview to the templates'). Only the story page,
// the one readers ask for most, is written this way; every other page
// renders the template.
func (s *Server) writePage(w *htmlWriter, p *Page, head, main func(*htmlWriter) error) error {
	w.raw("<!doctype html>\n", `<html lang="`)
	w.esc(p.Site.Lang)
	w.raw(`" dir="`)
	w.esc(p.Site.Dir)
	w.raw(`">`+"\n<head>\n", `<meta charset="utf-8">`+"\n",
		`<meta name="viewport" content="width=device-width, initial-scale=1">`+"\n", "<title>")
	w.esc(p.Title)
	w.raw("</title>\n")
	if p.Description != "" {
		w.escIn(`<meta name="description" content="`, p.Description, `">`+"\n")
	}
	if p.Canonical != "" {
		w.urlIn(`<link rel="canonical" href="`, p.Canonical, `">`+"\n")
	}
	if p.NoIndex {
		w.raw(`<meta name="robots" content="noindex">` + "\n")
	} else {
		w.raw(`<meta name="robots" content="max-image-preview:large">` + "\n")
	}
	w.raw(`<meta name="color-scheme" content="light dark">`+"\n", `<meta name="theme-color" content="#b3121d">`+"\n")
	w.raw(s.assetLinks)
	for _, f := range p.Feeds {
		w.raw(`<link rel="alternate" `, string(f.TypeAttr), ` title="`)
		w.esc(f.Title)
		w.urlIn(`" href="`, f.URL, `">`+"\n")
	}
	if err := head(w); err != nil {
		return err
	}
	masthead, err := p.Masthead()
	if err != nil {
		return err
	}
	w.raw("</head>\n<body>\n", string(masthead), "\n")
	if b := p.Breaking; b != nil {
		w.raw(`<div class="breaking-banner" role="region" aria-label="`)
		w.esc(p.BreakingLabel)
		w.raw(`">`+"\n", `<p class="wrap"><strong class="breaking-label">`)
		w.esc(p.BreakingLabel)
		w.raw(`</strong> <a href="`)
		w.url(b.Path())
		w.raw(`" lang="`)
		w.esc(b.Language)
		w.escIn(`" dir="`, story.Dir(b.Language), `">`)
		w.esc(b.Headline)
		w.raw("</a></p>\n</div>\n")
	}
	w.raw(`<main id="main" tabindex="-1">` + "\n")
	if err := main(w); err != nil {
		return err
	}
	w.raw("\n</main>\n", string(p.Site.Footer), "\n</body>\n</html>\n")
	return nil
}

// writeAssetLinks writes the layout's links to the stylesheets and the icon,
// which are the same on every page: once, at start (a missing file stops
// the site there rather than failing every story page).
func (s *Server) writeAssetLinks() (string, error) {
	w := &htmlWriter{b: new(bytes.Buffer)}
	for _, a := range [...]struct{ before, name, after string }{
		{`<link rel="stylesheet" href="`, "site.css", `">`},
		{`<link rel="stylesheet" href="`, "print.css", `" media="print">`},
		{`<link rel="icon" href="`, "favicon.svg", `" type="image/svg+xml">`},
	} {
		u, err := s.assets.URL(a.name)
		if err != nil {
			return "", err
		}
		w.urlIn(a.before, u, a.after+"\n")
	}
	return w.b.String(), nil
}

// sendStory sends the story page of v, written by Go code.
func (s *Server) sendStory(w http.ResponseWriter, r *http.Request, status int, v *storyView) error {
	return s.render.Write(w, r, status, func(b *bytes.Buffer) error {
		return s.writePage(&htmlWriter{b: b}, &v.Page,
			func(w *htmlWriter) error { s.storyHead(w, v); return s.jsonLDScript(w, v) },
			func(w *htmlWriter) error { s.storyMain(w, v); return nil })
	})
}
