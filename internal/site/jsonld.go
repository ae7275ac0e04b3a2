package site

import (
	"time"

	"dateline/internal/media"
	"dateline/internal/story"
)

// Structured data for a story page: schema.org NewsArticle (or its opinion
// and analysis kinds) and a BreadcrumbList, in one JSON-LD @graph. The
// template writes the value inside <script type="application/ld+json">,
// where html/template JSON-encodes and escapes it.

type ldGraph struct {
	Context string `json:"@context"`
	Graph   []any  `json:"@graph"`
}

type ldArticle struct {
	Type                string         `json:"@type"`
	ID                  string         `json:"@id"`
	Headline            string         `json:"headline"`
	Description         string         `json:"description,omitempty"`
	Image               []ldImage      `json:"image,omitempty"`
	DatePublished       string         `json:"datePublished"`
	DateModified        string         `json:"dateModified"`
	Author              []ldAgent      `json:"author,omitempty"`
	Publisher           ldAgent        `json:"publisher"`
	MainEntityOfPage    string         `json:"mainEntityOfPage"`
	IsAccessibleForFree bool           `json:"isAccessibleForFree"`
	InLanguage          string         `json:"inLanguage"`
	ArticleSection      string         `json:"articleSection"`
	Keywords            []string       `json:"keywords,omitempty"`
	WordCount           int            `json:"wordCount"`
	Correction          []ldCorrection `json:"correction,omitempty"`
}

type ldImage struct {
	Type   string `json:"@type"`
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

type ldAgent struct {
	Type string   `json:"@type"`
	Name string   `json:"name"`
	URL  string   `json:"url,omitempty"`
	Logo *ldImage `json:"logo,omitempty"`
}

type ldCorrection struct {
	Type        string `json:"@type"`
	Text        string `json:"text"`
	DatePublish string `json:"datePublished"`
}

type ldBreadcrumbs struct {
	Type  string        `json:"@type"`
	Items []ldCrumbItem `json:"itemListElement"`
}

type ldCrumbItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item,omitempty"`
}

func ldType(t story.Type) string {
	switch t {
	case story.TypeOpinion:
		return "OpinionNewsArticle"
	case story.TypeAnalysis:
		return "AnalysisNewsArticle"
	}
	return "NewsArticle"
}

// cropWidth is the widest derivative width a crop of ratio rw:rh can have
// without enlarging the picture.
func cropWidth(img *story.Image, rw, rh int) (w, h int) {
	maxW := img.Width
	if img.Height*rw/rh < maxW {
		maxW = img.Height * rw / rh
	}
	for _, x := range media.Widths {
		if x <= maxW {
			w = x
		}
	}
	return w, w * rh / rw
}

func (s *Server) jsonLD(st *story.Story, words int, canonical string, crumbs []crumb) ldGraph {
	loc := s.cfg.Location
	iso := func(t time.Time) string { return t.In(loc).Format(time.RFC3339) }
	a := ldArticle{
		Type: ldType(st.Type), ID: canonical + "#article", Headline: st.Headline, Description: firstNonEmpty(st.SEODesc, st.Standfirst),
		DatePublished: iso(st.FirstPublishedAt), DateModified: iso(st.UpdatedAt), MainEntityOfPage: canonical,
		IsAccessibleForFree: true, InLanguage: st.Language, ArticleSection: st.Section.Name, WordCount: words,
		Publisher: ldAgent{Type: "NewsMediaOrganization", Name: s.cfg.SiteName, URL: s.cfg.BaseURL + "/"},
	}
	if logo, err := s.assets.URL("logo.png"); err == nil {
		a.Publisher.Logo = &ldImage{Type: "ImageObject", URL: s.cfg.BaseURL + logo, Width: 600, Height: 60}
	}
	if a.DateModified < a.DatePublished {
		a.DateModified = a.DatePublished
	}
	if st.Lead != nil && st.Lead.Hash != "" {
		for _, r := range []struct {
			name   string
			rw, rh int
		}{{"16x9", 16, 9}, {"4x3", 4, 3}, {"1x1", 1, 1}} {
			if w, h := cropWidth(st.Lead, r.rw, r.rh); w > 0 {
				a.Image = append(a.Image, ldImage{Type: "ImageObject", URL: s.cfg.BaseURL + media.CropURL(st.Lead.Hash, w, r.name), Width: w, Height: h})
			}
		}
	}
	for _, b := range st.Bylines {
		p := ldAgent{Type: "Person", Name: b.Name}
		if b.AuthorSlug != "" {
			p.URL = s.cfg.BaseURL + "/author/" + b.AuthorSlug
		}
		a.Author = append(a.Author, p)
	}
	if st.Source != nil {
		org := ldAgent{Type: "Organization", Name: st.Source.Name, URL: st.Source.URL}
		if org.URL == "" {
			org.URL = s.cfg.BaseURL + "/source/" + st.Source.Slug
		}
		a.Author = append(a.Author, org)
	}
	for _, t := range st.Tags {
		a.Keywords = append(a.Keywords, t.Name)
	}
	for _, n := range st.Notes {
		if n.Kind == "correction" {
			a.Correction = append(a.Correction, ldCorrection{Type: "CorrectionComment", Text: n.Text, DatePublish: iso(n.At)})
		}
	}
	bc := ldBreadcrumbs{Type: "BreadcrumbList"}
	for i, c := range crumbs {
		item := ldCrumbItem{Type: "ListItem", Position: i + 1, Name: c.Name}
		if c.URL != "" {
			item.Item = s.cfg.BaseURL + c.URL
		} else {
			item.Item = canonical
		}
		bc.Items = append(bc.Items, item)
	}
	return ldGraph{Context: "https://schema.org", Graph: []any{a, bc}}
}
