package site

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"dateline/internal/feeds"
	"dateline/internal/httpcache"
	"dateline/internal/store"
	"dateline/internal/story"
)

type storyView struct {
	Page
	Story     *story.Story
	Body      template.HTML // body.go
	Dir       string
	TypeLabel string
	Minutes   int
	Updated   bool
	Explore   []story.Summary
	Share     []shareLink
	JSONLD    ldGraph
}

const exploreCount = 10

// sectionItem serves /{section}/{name}: a story by its slug-id. The
// feeds that share this pattern are dispatched here too, because the
// ServeMux cannot tell /{section}/rss.xml from /tag/{slug} apart.
func (s *Server) sectionItem(w http.ResponseWriter, r *http.Request) error {
	if f, ok := feeds.ByFile(r.PathValue("name")); ok {
		return s.sectionFeedShow(w, r, f)
	}
	_, id, ok := story.SplitSlugID(r.PathValue("name"))
	if !ok {
		return notFound(fmt.Errorf("%q is not a story address", r.PathValue("name")))
	}
	return s.storyShow(w, r, id)
}

func (s *Server) storyShow(w http.ResponseWriter, r *http.Request, id int64) error {
	ctx := r.Context()
	st, err := s.store.Story(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case st.Status == story.StatusPublished:
	case st.Status.Gone():
		return gone(fmt.Errorf("story %d is %s", id, st.Status))
	default:
		return notFound(fmt.Errorf("story %d is %s", id, st.Status))
	}
	// The id decides; any other slug or section answers with the story's
	// current address, so old links keep working.
	if canonical := st.Path(); r.URL.Path != canonical {
		http.Redirect(w, r, canonical, http.StatusMovedPermanently)
		return nil
	}
	v := s.storyView(ctx, st)
	if err := s.storyLinks(r, st, &v); err != nil {
		return err
	}
	s.countView(r, st.ID)
	w.Header().Set(httpcache.StoryHeader, strconv.FormatInt(st.ID, 10))
	return s.sendStory(w, r, http.StatusOK, &v)
}

// storyView is the story page's view but for what storyLinks adds.
func (s *Server) storyView(ctx context.Context, st *story.Story) storyView {
	words := st.WordCount // counted by the store when the story was saved
	v := storyView{
		Page:  s.page(ctx, firstNonEmpty(st.SEOTitle, st.Headline), firstNonEmpty(st.SEODesc, st.Standfirst), st.Path()),
		Story: st, Dir: story.Dir(st.Language), TypeLabel: s.typeLabel(st.Type),
		Minutes: story.MinutesForWords(words), Updated: st.Updated(),
	}
	v.Current = st.Section.Slug
	v.Feeds = append(v.Feeds, s.feedLinks(s.listTitle(st.Section.Name), "/"+st.Section.Slug)...)
	v.Crumbs = []crumb{{s.words.home, "/"}, {st.Section.Name, "/" + st.Section.Slug}, {st.Headline, ""}}
	v.Share = shareLinks(v.Canonical, st.Headline, s.cat.T("share_on"), s.cat.T("share_email"))
	v.JSONLD = s.jsonLD(st, words, v.Canonical, v.Crumbs)
	return v
}

// storyLinks resolves the body's related blocks, adds an automatic
// "Related" link (the most related story) when the editor chose none, and
// fills Explore with related, most-read and fresh stories, never
// repeating the story itself or what the body links to. One store call.
func (s *Server) storyLinks(r *http.Request, st *story.Story, v *storyView) error {
	editor := relatedIDs(st.Body)
	q := store.ExploreQuery{StoryID: st.ID, Editor: editor, Related: exploreRelated}
	// Enough fresh stories to fill Explore whatever the others overlap.
	fresh := exploreCount + exploreRelated + exploreMost + len(editor)
	// The newest and most-read stories are the same for every page: they
	// come from the shared lists, less this story and the ones its body
	// links to, unless those leave too few.
	shared, ok := s.exploreLists(r.Context())
	skip := append([]int64{st.ID}, editor...)
	var enough bool
	if ok {
		var freshOK, mostOK bool
		shared.Fresh, freshOK = without(shared.Fresh, skip, fresh, sharedFresh)
		shared.MostRead, mostOK = without(shared.MostRead, skip, exploreMost, sharedMost)
		enough = freshOK && mostOK
	}
	if !enough {
		q.Fresh, q.MostRead, q.Since = fresh, exploreMost, s.now().Add(-mostReadWindow)
	}
	ex, err := s.store.Explore(r.Context(), q)
	if err != nil {
		return err
	}
	if enough {
		ex.Fresh, ex.MostRead = shared.Fresh, shared.MostRead
	}
	related := map[int64]story.Summary{}
	seen := map[int64]bool{st.ID: true}
	for _, sum := range ex.Editor {
		related[sum.ID], seen[sum.ID] = sum, true
	}
	body := st.Body
	if len(ex.Editor) == 0 && len(ex.Related) > 0 {
		first := ex.Related[0]
		related[first.ID], seen[first.ID] = first, true
		body = insertRelated(body, first.ID)
	}
	v.Body = s.storyBody(body, related)
	v.Explore = mixExplore(ex, seen, exploreCount)
	return nil
}

// insertRelated places an automatic related link after the second
// paragraph, where the reference page puts the editor's one.
func insertRelated(body []story.Block, id int64) []story.Block {
	out := make([]story.Block, 0, len(body)+1)
	paras, done := 0, false
	for _, b := range body {
		out = append(out, b)
		if b.Type == story.BlockParagraph {
			paras++
		}
		if !done && paras == 2 {
			out = append(out, story.Block{Type: story.BlockRelated, StoryID: id})
			done = true
		}
	}
	if !done {
		out = append(out, story.Block{Type: story.BlockRelated, StoryID: id})
	}
	return out
}

func firstNonEmpty(a ...string) string {
	for _, s := range a {
		if s != "" {
			return s
		}
	}
	return ""
}
