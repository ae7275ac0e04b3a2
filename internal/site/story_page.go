package site

import (
	"encoding/json"
	"time"

	"dateline/internal/media"
	"dateline/internal/story"
)

// The story page is the page readers ask for most, and through
// html/template every value on it was a reflective call of an escaper
// (about 300 a page, a third of an uncached page's time). Its <head>
// additions and its main part are written here, by Go code, the way
// body.go writes the body, and so is the layout around them
// (layout_write.go). The templates these functions replaced are kept as
// testdata/story_oracle.html, the oracle of story_page_test.go, which
// holds every demo story's page and preview to the same bytes as
// story_oracle.html and layout.html render them.

// storyWords are the site's words a story page shows, looked up once.
type storyWords struct {
	by, and, published, updated, source, notes, correction, update string
	tags, share, feedback, explore, breadcrumb, home               string
}

func newStoryWords(t func(string) string) storyWords {
	return storyWords{
		by: t("by"), and: t("and"), published: t("published"), updated: t("updated"),
		source: t("source"), notes: t("notes"), correction: t("correction"), update: t("update"),
		tags: t("tags"), share: t("share"), feedback: t("feedback_prompt"), explore: t("explore"),
		breadcrumb: t("breadcrumb"), home: t("home"),
	}
}

func (s *Server) storyHead(w *htmlWriter, v *storyView) {
	st := v.Story
	w.raw(`<meta property="og:type" content="article">`+"\n", `<meta property="og:site_name" content="`)
	w.esc(v.Site.Name)
	w.raw(`">`+"\n", `<meta property="og:title" content="`)
	w.esc(st.Headline)
	w.raw(`">` + "\n")
	if st.Standfirst != "" {
		w.escIn(`<meta property="og:description" content="`, st.Standfirst, `">`+"\n")
	}
	if v.Canonical != "" {
		w.escIn(`<meta property="og:url" content="`, v.Canonical, `">`+"\n")
	}
	w.raw(`<meta property="og:locale" content="`)
	w.esc(st.Language)
	w.raw(`">`+"\n", `<meta property="article:published_time" content="`)
	w.esc(s.datetime(st.FirstPublishedAt))
	w.raw(`">`+"\n", `<meta property="article:modified_time" content="`)
	w.esc(s.datetime(st.UpdatedAt))
	w.raw(`">`+"\n", `<meta property="article:section" content="`)
	w.esc(st.Section.Name)
	w.raw(`">` + "\n")
	for _, tag := range st.Tags {
		w.escIn(`<meta property="article:tag" content="`, tag.Name, `">`+"\n")
	}
	card := "summary"
	if st.Lead != nil {
		card = "summary_large_image"
	}
	w.raw(`<meta name="twitter:card" content="`, card, `">`+"\n", `<meta name="twitter:title" content="`)
	w.esc(st.Headline)
	w.raw(`">` + "\n")
	if st.Standfirst != "" {
		w.escIn(`<meta name="twitter:description" content="`, st.Standfirst, `">`+"\n")
	}
	if img := st.Lead; img != nil {
		src := s.cfg.BaseURL + media.Src(img, 1280)
		w.raw(`<meta property="og:image" content="`)
		w.esc(src)
		w.raw(`">`+"\n", `<meta property="og:image:alt" content="`)
		w.esc(img.Alt)
		w.raw(`">`+"\n", `<meta name="twitter:image" content="`)
		w.esc(src)
		w.raw(`">`+"\n", `<meta name="twitter:image:alt" content="`)
		w.esc(img.Alt)
		w.raw(`">` + "\n")
	}
}

// jsonLDScript writes the structured data. json.Marshal escapes <, >, &,
// U+2028 and U+2029, which is all html/template added for a value that
// marshals to an object inside <script>.
func (s *Server) jsonLDScript(w *htmlWriter, v *storyView) error {
	b, err := json.Marshal(v.JSONLD)
	if err != nil {
		return err
	}
	w.raw(`<script type="application/ld+json">`, string(b), "</script>\n")
	return nil
}

func (s *Server) storyMain(w *htmlWriter, v *storyView) {
	st, words := v.Story, &s.words
	w.raw("\n")
	s.crumbs(w, v.Crumbs)
	w.raw("\n", `<div class="wrap story-wrap">`+"\n", `<article class="story" lang="`)
	w.esc(st.Language)
	w.raw(`" dir="`)
	w.esc(v.Dir)
	w.raw(`">`+"\n", `<header class="story-head">`+"\n", `<p class="kicker"`)
	s.siteLang(w)
	w.raw(`><a class="section-label" href="/`)
	w.path(st.Section.Slug)
	w.raw(`">`)
	w.esc(st.Section.Name)
	w.raw(`</a>`)
	if v.TypeLabel != "" && v.TypeLabel != st.Section.Name {
		w.raw(` <span class="type-label">`)
		w.esc(v.TypeLabel)
		w.raw(`</span>`)
	}
	w.raw(` <span class="read-time">`)
	w.esc(s.cat.Tf("min_read", v.Minutes))
	w.raw(`</span></p>`+"\n", `<h1>`)
	w.esc(st.Headline)
	w.raw(`</h1>` + "\n")
	if st.Standfirst != "" {
		w.raw(`<p class="standfirst">`)
		w.esc(st.Standfirst)
		w.raw(`</p>`)
	}
	w.raw("\n", `<div class="story-meta"`)
	s.siteLang(w)
	w.raw(`>` + "\n")
	if len(st.Bylines) > 0 || st.Source != nil {
		w.raw(`<p class="byline">`)
		s.byline(w, st.Bylines, st.Source)
		w.raw(`</p>`)
	}
	w.raw("\n", `<p class="dates"><span>`)
	w.esc(words.published)
	w.raw(` `)
	s.time(w, st.FirstPublishedAt, true)
	w.raw(`</span>`)
	if v.Updated {
		w.raw(`<span>`)
		w.esc(words.updated)
		w.raw(` `)
		s.time(w, st.UpdatedAt, true)
		w.raw(`</span>`)
	}
	w.raw(`</p>`+"\n", `</div>`+"\n", `</header>`+"\n")
	if img := st.Lead; img != nil {
		w.raw("\n", `<figure class="lead-pic">`+"\n")
		w.picture(img, 960, bodyPicSizes, false)
		w.raw("\n")
		if img.Caption != "" || img.Credit != "" {
			w.raw(`<figcaption>`)
			w.esc(img.Caption)
			if img.Caption != "" && img.Credit != "" {
				w.raw(` / `)
			}
			if img.Credit != "" {
				w.raw(`<span class="credit">`)
				w.esc(img.Credit)
				w.raw(`</span>`)
			}
			w.raw(`</figcaption>`)
		}
		w.raw("\n", `</figure>`+"\n")
	}
	w.raw("\n", `<div class="story-body">`+"\n", string(v.Body), "\n", `</div>`+"\n")
	if src := st.Source; src != nil {
		w.raw(`<p class="wire-source"`)
		s.siteLang(w)
		w.raw(`>`)
		w.esc(words.source)
		w.raw(`: <a href="/source/`)
		w.path(src.Slug)
		w.raw(`">`)
		w.esc(src.Label)
		w.raw(`</a></p>`)
	}
	w.raw("\n")
	s.notes(w, st.Notes)
	w.raw("\n", `<footer class="story-foot"`)
	s.siteLang(w)
	w.raw(`>` + "\n")
	if len(st.Tags) > 0 {
		w.escIn(`<ul class="tags" aria-label="`, words.tags, `">`)
		for _, tag := range st.Tags {
			w.raw(`<li><a href="/tag/`)
			w.path(tag.Slug)
			w.raw(`">`)
			w.esc(tag.Name)
			w.raw(`</a></li>`)
		}
		w.raw(`</ul>`)
	}
	w.raw("\n", `<div class="share">`+"\n", `<h2 class="share-h">`)
	w.esc(words.share)
	w.raw(`</h2>`+"\n", `<ul>`)
	for _, l := range v.Share {
		w.raw(`<li><a href="`)
		w.url(l.URL)
		w.raw(`" rel="noopener" class="share-`)
		w.esc(l.Key)
		w.raw(`"><span class="vh">`)
		w.esc(l.Label)
		w.raw(` </span>`)
		w.esc(l.Name)
		w.raw(`</a></li>`)
	}
	w.raw(`</ul>`+"\n", `</div>`+"\n", `<p class="feedback-prompt"><a href="/feedback?page=`)
	w.query(st.Path())
	w.raw(`">`)
	w.esc(words.feedback)
	w.raw(`</a></p>`+"\n", `</footer>`+"\n", `</article>`+"\n")
	s.explore(w, v.Explore)
	w.raw("\n", `</div>`+"\n")
}

// siteLang writes the lang and dir attributes of the site's language.
func (s *Server) siteLang(w *htmlWriter) {
	w.raw(` lang="`)
	w.esc(s.info.Lang)
	w.raw(`" dir="`)
	w.esc(s.info.Dir)
	w.raw(`"`)
}

// crumbs is the layout's "crumbs" template.
func (s *Server) crumbs(w *htmlWriter, crumbs []crumb) {
	if len(crumbs) == 0 {
		return
	}
	w.raw("\n", `<nav class="crumbs wrap" aria-label="`)
	w.esc(s.words.breadcrumb)
	w.raw(`">`+"\n", `<ol>`)
	for _, c := range crumbs {
		w.raw("\n<li>")
		if c.URL != "" {
			w.urlIn(`<a href="`, c.URL, `">`)
			w.esc(c.Name)
			w.raw(`</a>`)
		} else {
			w.raw(`<span aria-current="page">`)
			w.esc(c.Name)
			w.raw(`</span>`)
		}
		w.raw(`</li>`)
	}
	w.raw("\n</ol>\n</nav>\n")
}

// byline is the layout's "byline" template: "By A, B and C", each name
// linking to its author page when it has one, or the agency's label.
func (s *Server) byline(w *htmlWriter, bylines []story.Byline, src *story.Source) {
	if len(bylines) == 0 {
		if src != nil {
			w.raw(`<a href="/source/`)
			w.path(src.Slug)
			w.raw(`">`)
			w.esc(src.Label)
			w.raw(`</a>`)
		}
		return
	}
	w.esc(s.words.by)
	w.raw(" ")
	for i, b := range bylines {
		if i > 0 {
			if i == len(bylines)-1 {
				w.raw(" ")
				w.esc(s.words.and)
				w.raw(" ")
			} else {
				w.raw(", ")
			}
		}
		if b.AuthorSlug != "" {
			w.raw(`<a href="/author/`)
			w.path(b.AuthorSlug)
			w.raw(`">`)
			w.esc(b.Name)
			w.raw(`</a>`)
		} else {
			w.esc(b.Name)
		}
	}
}

// time writes a <time> element; human says whether it shows the time of
// day as well as the date.
func (s *Server) time(w *htmlWriter, t time.Time, human bool) {
	t = t.In(s.cfg.Location)
	w.escIn(`<time datetime="`, t.Format(time.RFC3339), `">`)
	if human {
		w.esc(s.cat.DateTime(t))
	} else {
		w.esc(s.cat.Date(t))
	}
	w.raw(`</time>`)
}

func (s *Server) datetime(t time.Time) string { return t.In(s.cfg.Location).Format(time.RFC3339) }

func (s *Server) notes(w *htmlWriter, notes []story.Note) {
	if len(notes) == 0 {
		return
	}
	w.raw("\n", `<section class="notes" aria-labelledby="notes-h"`)
	s.siteLang(w)
	w.raw(`>`+"\n", `<h2 id="notes-h">`)
	w.esc(s.words.notes)
	w.raw(`</h2>` + "\n")
	for _, n := range notes {
		w.raw(`<p class="note note-`)
		w.esc(n.Kind)
		w.raw(`"><strong>`)
		if n.Kind == "correction" {
			w.esc(s.words.correction)
		} else {
			w.esc(s.words.update)
		}
		w.raw(`, `)
		s.time(w, n.At, false)
		w.raw(`:</strong> `)
		w.esc(n.Text)
		w.raw(`</p>` + "\n")
	}
	w.raw(`</section>` + "\n")
}

// explore is the Explore list beside the story.
func (s *Server) explore(w *htmlWriter, list []story.Summary) {
	if len(list) == 0 {
		return
	}
	w.raw("\n", `<aside class="explore" aria-labelledby="explore-h">`+"\n", `<h2 id="explore-h">`)
	w.esc(s.words.explore)
	w.raw(`</h2>`+"\n", `<ol>`)
	for i := range list {
		sum := &list[i]
		w.raw("\n", `<li><a href="`)
		w.url(sum.Path())
		w.raw(`" lang="`)
		w.esc(sum.Language)
		w.escIn(`" dir="`, story.Dir(sum.Language), `">`)
		w.esc(sum.Headline)
		w.raw(`</a>`)
		if len(sum.Bylines) > 0 {
			w.raw(` <span class="explore-by">`)
			s.byline(w, sum.Bylines, sum.Source)
			w.raw(`</span>`)
		}
		w.raw(`</li>`)
	}
	w.raw("\n</ol>\n</aside>\n")
}

// picture is the layout's "pic" template.
func (w *htmlWriter) picture(img *story.Image, want int, sizes string, lazy bool) {
	w.raw(`<img src="`)
	w.url(media.Src(img, want))
	w.raw(`" srcset="`)
	w.srcset(media.Srcset(img))
	w.raw(`" sizes="`)
	w.esc(sizes)
	w.raw(`" width="`)
	w.int(img.Width)
	w.raw(`" height="`)
	w.int(img.Height)
	w.raw(`" alt="`)
	w.esc(img.Alt)
	if lazy {
		w.raw(`" loading="lazy`)
	} else {
		w.raw(`" fetchpriority="high`)
	}
	w.raw(`" decoding="async">`)
}
