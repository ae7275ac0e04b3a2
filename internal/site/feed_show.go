package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dateline/internal/bodyhtml"
	"dateline/internal/feeds"
	"dateline/internal/store"
	"dateline/internal/story"
)

// SettingFeedFullText is the site setting that chooses what feed items
// carry: "true" (the default, also when unset) the full text, "false" the
// standfirst only.
const SettingFeedFullText = "feed_full_text"

// feedSize is the number of stories in every feed: the newest, by first
// publication, as on the list pages.
const feedSize = 20

// feedScope is the list a feed follows.
type feedScope struct {
	query store.ListQuery
	path  string // the list page, "/" for the whole site
	title string
	desc  string
}

// siteFeedShow serves /rss.xml, /atom.xml and /feed.json.
func (s *Server) siteFeedShow(w http.ResponseWriter, r *http.Request) error {
	f, err := feedFormat(strings.TrimPrefix(r.URL.Path, "/"))
	if err != nil {
		return err
	}
	return s.serveFeed(w, r, f, feedScope{path: "/", title: s.cfg.SiteName, desc: s.cfg.SiteName + ": " + s.cat.T("latest_stories")})
}

// sectionFeedShow serves /{section}/{file}; sectionItem dispatches here.
func (s *Server) sectionFeedShow(w http.ResponseWriter, r *http.Request, f feeds.Format) error {
	sec, err := s.store.SectionBySlug(r.Context(), r.PathValue("section"))
	if err != nil {
		return err
	}
	return s.serveFeed(w, r, f, feedScope{query: store.ListQuery{SectionID: sec.ID}, path: "/" + sec.Slug,
		title: s.listTitle(sec.Name), desc: sec.Description})
}

// tagFeedShow serves /tag/{slug}/{file}.
func (s *Server) tagFeedShow(w http.ResponseWriter, r *http.Request) error {
	f, err := feedFormat(r.PathValue("file"))
	if err != nil {
		return err
	}
	tag, err := s.store.TagBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return s.serveFeed(w, r, f, feedScope{query: store.ListQuery{TagID: tag.ID}, path: "/tag/" + tag.Slug,
		title: s.listTitle(tag.Name), desc: s.cat.Tf("tag_stories", tag.Name)})
}

// authorFeedShow serves /author/{slug}/{file}.
func (s *Server) authorFeedShow(w http.ResponseWriter, r *http.Request) error {
	f, err := feedFormat(r.PathValue("file"))
	if err != nil {
		return err
	}
	a, err := s.store.AuthorBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return s.serveFeed(w, r, f, feedScope{query: store.ListQuery{AuthorID: a.ID}, path: "/author/" + a.Slug,
		title: s.listTitle(a.Name), desc: firstNonEmpty(a.Role, a.Bio)})
}

// sourceFeedShow serves /source/{slug}/{file}: a wire agency's stories.
func (s *Server) sourceFeedShow(w http.ResponseWriter, r *http.Request) error {
	f, err := feedFormat(r.PathValue("file"))
	if err != nil {
		return err
	}
	src, err := s.store.SourceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return s.serveFeed(w, r, f, feedScope{query: store.ListQuery{SourceID: src.ID}, path: "/source/" + src.Slug,
		title: s.listTitle(src.Name), desc: s.cat.Tf("source_about", s.cfg.SiteName, src.Label)})
}

func feedFormat(file string) (feeds.Format, error) {
	f, ok := feeds.ByFile(file)
	if !ok {
		return f, notFound(fmt.Errorf("no feed is called %q: try rss.xml, atom.xml or feed.json", file))
	}
	return f, nil
}

func (s *Server) listTitle(name string) string { return name + " | " + s.cfg.SiteName }

// feedPath is where a list's feed in format f is served.
func feedPath(listPath string, f feeds.Format) string {
	return strings.TrimSuffix(listPath, "/") + "/" + f.File
}

// serveFeed writes the feed of sc's newest stories: the list, the full
// stories, and the related stories their bodies link to, each read in one
// go whatever the number of stories. The document is built in memory
// first, so a failure is an error page, never half a feed.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, f feeds.Format, sc feedScope) error {
	ctx := r.Context()
	q := sc.query
	q.Limit = feedSize
	list, err := s.store.ListStories(ctx, q)
	if err != nil {
		return err
	}
	ids := make([]int64, len(list))
	for i, sum := range list {
		ids[i] = sum.ID
	}
	stories, err := s.store.StoriesByID(ctx, ids)
	if err != nil {
		return err
	}
	full := s.feedFullText(ctx)
	opts := feeds.StoryOptions{BaseURL: s.cfg.BaseURL, Language: s.cfg.Language, FullText: full,
		RelatedLabel: s.cat.T("related"), ImageSize: s.mediaSize}
	if full {
		if opts.Related, err = s.feedRelated(ctx, stories); err != nil {
			return err
		}
	}
	feed := &feeds.Feed{
		Title: sc.title, Description: firstNonEmpty(sc.desc, sc.title),
		HomeURL: s.cfg.BaseURL + sc.path, SelfURL: s.cfg.BaseURL + feedPath(sc.path, f),
		HubURL: s.cfg.WebSubHub, Language: s.cfg.Language, Author: s.cfg.SiteName,
	}
	for _, st := range stories {
		feed.Items = append(feed.Items, feeds.StoryItem(st, opts))
		feed.Updated = latest(feed.Updated, st.FirstPublishedAt, st.UpdatedAt)
	}
	if feed.Updated.IsZero() {
		feed.Updated = s.now()
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, feed); err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}

// feedFullText reads the site setting; full text unless an admin chose
// summaries. A store failure costs the choice, not the feed.
func (s *Server) feedFullText(ctx context.Context) bool {
	v, err := s.store.Setting(ctx, SettingFeedFullText)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.WarnContext(ctx, "feed full-text setting", "err", err)
		}
		return true
	}
	full, err := strconv.ParseBool(v)
	return err != nil || full
}

// feedRelated resolves every related block of the stories with one call.
func (s *Server) feedRelated(ctx context.Context, stories []*story.Story) (func(int64) (bodyhtml.Link, bool), error) {
	var ids []int64
	for _, st := range stories {
		ids = append(ids, relatedIDs(st.Body)...)
	}
	links := map[int64]bodyhtml.Link{}
	if len(ids) > 0 {
		sums, err := s.store.Summaries(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, sum := range sums {
			links[sum.ID] = bodyhtml.Link{Title: sum.Headline, Path: sum.Path()}
		}
	}
	return func(id int64) (bodyhtml.Link, bool) {
		l, ok := links[id]
		return l, ok
	}, nil
}

// feedLink is a <link rel="alternate"> to a feed in a page's head.
// TypeAttr is the whole type="…" attribute, made from the constant media
// types only: as a plain value html/template would write the "+" as
// "&#43;", which is valid HTML but lost on the many feed finders that
// match the page's text rather than parse it.
type feedLink struct {
	Title    string
	TypeAttr template.HTMLAttr
	URL      string
}

// feedLinks announces the three feeds of the list at path, named name.
func (s *Server) feedLinks(name, path string) []feedLink {
	out := make([]feedLink, 0, len(feeds.Formats))
	for _, f := range feeds.Formats {
		out = append(out, feedLink{Title: name + " (" + f.Name + ")", TypeAttr: template.HTMLAttr(`type="` + f.MediaType() + `"`),
			URL: s.cfg.BaseURL + feedPath(path, f)})
	}
	return out
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}
