package demo

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"image"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/story"
)

var sections = []story.Section{
	{Slug: "world", Name: "World", Description: "News from every continent: diplomacy, conflict, elections and the lives behind them."},
	{Slug: "turkiye", Name: "Türkiye", Description: "Politics, economy and society in Türkiye, from Ankara, Istanbul and beyond."},
	{Slug: "business", Name: "Business", Description: "Markets, trade, energy and the companies shaping the global economy."},
	{Slug: "sport", Name: "Sport", Description: "Football, basketball, tennis, athletics and the business of sport."},
	{Slug: "science-tech", Name: "Science & Tech", Description: "Research, space, climate science, health and technology."},
	{Slug: "opinion", Name: "Opinion", Description: "Columns and guest essays. The views are the writers' own."},
}

var sources = map[string]story.Source{
	"AA":      {Label: "AA", Name: "Anadolu Agency", URL: "https://www.aa.com.tr/en"},
	"Reuters": {Label: "Reuters", Name: "Reuters", URL: "https://www.reuters.com"},
	"AFP":     {Label: "AFP", Name: "Agence France-Presse", URL: "https://www.afp.com/en"},
}

const aboutText = `Dateline is an independent international news site. Our reporters and editors cover world affairs, Türkiye, business, sport, science and technology, and we publish opinion clearly labelled as such.

We combine our own reporting with copy from international news agencies, which is always attributed to the agency that supplied it. Every story carries the name of the journalist or agency responsible for it.

Dateline is funded by its readers and its publisher, and no advertiser or government has any say over what we publish.`

const standardsText = `Accuracy comes first. We check facts before we publish, name our sources wherever we can, and explain why when we cannot.

When we get something wrong, we correct it openly: the correction is added to the story with the date it was made, and the story's updated time changes. We do not quietly rewrite published stories.

News and opinion are kept apart. Opinion pieces and analysis are labelled on every page where they appear. Agency copy is marked with the name of the agency that supplied it.

We give people we report on a fair chance to respond, we avoid harm to the vulnerable, and we do not pay for information. Readers can reach the editors through the contact and feedback forms on every page.`

// Fill creates the demo newsroom when the store holds no stories, and
// returns the number of stories created (0 when it already had some).
func Fill(ctx context.Context, st store.Store, ms *media.Store, now time.Time) (int, error) {
	if n, err := st.CountStories(ctx); err != nil || n > 0 {
		return 0, err
	}
	files, err := loadStories()
	if err != nil {
		return 0, err
	}
	authors, err := loadAuthors()
	if err != nil {
		return 0, err
	}
	f := &filler{st: st, ms: ms, now: now, sections: map[string]story.Section{}, authors: map[string]story.Author{},
		sources: map[string]story.Source{}, ids: map[string]int64{}}
	if err := f.catalog(ctx, authors); err != nil {
		return 0, err
	}
	drafts, err := f.prepare(files)
	if err != nil {
		return 0, err
	}
	if err := f.pictures(ctx, drafts, authors); err != nil {
		return 0, err
	}
	if err := f.stories(ctx, drafts); err != nil {
		return 0, err
	}
	for k, v := range map[string]string{"page_about": aboutText, "page_standards": standardsText} {
		if err := st.SetSetting(ctx, k, v); err != nil {
			return 0, err
		}
	}
	return len(drafts), nil
}

type filler struct {
	st       store.Store
	ms       *media.Store
	now      time.Time
	sections map[string]story.Section
	authors  map[string]story.Author
	sources  map[string]story.Source
	ids      map[string]int64 // story key → id
}

type draft struct {
	key      string
	st       *story.Story
	leadPic  picJob
	related  bool // body has [[related:key]] blocks to resolve after insert
	bodyPics []int
}

// picJob is one picture to draw and store.
type picJob struct {
	scene    string
	seed     int64
	w, h     int
	portrait bool
	result   story.Media
}

func (f *filler) catalog(ctx context.Context, authors []authorFile) error {
	for i, sec := range sections {
		sec.Position = i
		id, err := f.st.CreateSection(ctx, sec)
		if errors.Is(err, store.ErrConflict) {
			// A store that has sections but no stories yet keeps its own.
			sec, err = f.st.SectionBySlug(ctx, sec.Slug)
			id = sec.ID
		}
		if err != nil {
			return err
		}
		sec.ID = id
		f.sections[sec.Slug] = sec
	}
	for label, src := range sources {
		got, err := f.st.EnsureSource(ctx, src)
		if err != nil {
			return err
		}
		f.sources[label] = got
	}
	return nil
}

func (f *filler) prepare(files []storyFile) ([]*draft, error) {
	var out []*draft
	for _, file := range files {
		d, err := f.draft(file)
		if err != nil {
			return nil, fmt.Errorf("story %s: %w", file.Key, err)
		}
		out = append(out, d)
	}
	// Older stories get lower ids, as they would have in a real newsroom.
	sort.SliceStable(out, func(i, j int) bool { return out[i].st.FirstPublishedAt.Before(out[j].st.FirstPublishedAt) })
	return out, nil
}

func (f *filler) draft(file storyFile) (*draft, error) {
	h := file.Header
	sec, ok := f.sections[h["section"]]
	if !ok {
		return nil, fmt.Errorf("unknown section %q", h["section"])
	}
	first, err := when(h["published"], f.now)
	if err != nil {
		return nil, err
	}
	s := &story.Story{
		Slug: story.Slugify(h["headline"], 80), Language: h["language"], Type: story.Type(h["type"]),
		Status: story.StatusPublished, Section: sec, Headline: h["headline"], Standfirst: h["standfirst"],
		BodySource: strings.TrimSpace(file.Body), FirstPublishedAt: first, PublishedAt: first, UpdatedAt: first,
		CreatedAt: first.Add(-2 * time.Hour),
	}
	s.Body = story.ParseBody(s.BodySource)
	if label := h["source"]; label != "" {
		src, ok := sources[label]
		if !ok {
			return nil, fmt.Errorf("unknown source %q", label)
		}
		s.Source = &src
	}
	for _, slug := range splitList(h["authors"], ",") {
		s.Bylines = append(s.Bylines, story.Byline{AuthorSlug: slug})
	}
	for _, name := range splitList(h["byline"], ";") {
		s.Bylines = append(s.Bylines, story.Byline{Name: name})
	}
	for _, name := range splitList(h["tags"], ",") {
		s.Tags = append(s.Tags, story.Tag{Name: name})
	}
	if err := notes(s, h, f.now); err != nil {
		return nil, err
	}
	d := &draft{key: file.Key, st: s}
	d.leadPic = picJob{scene: h["lead_scene"], seed: seedOf(file.Key), w: 1600, h: 900}
	s.Lead = &story.Image{Caption: h["lead_caption"], Credit: h["lead_credit"], Alt: h["lead_alt"]}
	for i, b := range s.Body {
		switch {
		case b.Type == story.BlockImage && b.Image != nil && strings.HasPrefix(b.Image.Hash, "name:"):
			d.bodyPics = append(d.bodyPics, i)
		case b.Type == story.BlockRelated && strings.HasPrefix(b.URL, "key:"):
			d.related = true
		}
	}
	return d, nil
}

// notes turns the update and correction headers into notes and moves the
// story's Updated time to the latest of them.
func notes(s *story.Story, h map[string]string, now time.Time) error {
	if spec := h["updated"]; spec != "" {
		after, err := hoursAfter(spec)
		if err != nil {
			return err
		}
		s.UpdatedAt = minTime(s.FirstPublishedAt.Add(after), now.Add(-5*time.Minute))
		if text := h["update_note"]; text != "" {
			s.Notes = append(s.Notes, story.Note{Kind: "update", Text: text, At: s.UpdatedAt})
		}
	}
	if text := h["correction"]; text != "" {
		at := minTime(s.FirstPublishedAt.Add(26*time.Hour), now.Add(-10*time.Minute))
		if at.Before(s.FirstPublishedAt) {
			at = s.FirstPublishedAt
		}
		s.Notes = append(s.Notes, story.Note{Kind: "correction", Text: text, At: at})
		if at.After(s.UpdatedAt) {
			s.UpdatedAt = at
		}
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func seedOf(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return int64(h.Sum64() >> 1)
}

// pictures draws every lead, inline picture and portrait on all cores,
// stores the files, then records them in the store.
func (f *filler) pictures(ctx context.Context, drafts []*draft, authors []authorFile) error {
	var jobs []*picJob
	for _, d := range drafts {
		jobs = append(jobs, &d.leadPic)
	}
	inline := map[*draft][]*picJob{}
	for _, d := range drafts {
		for n, i := range d.bodyPics {
			scene := strings.TrimPrefix(strings.TrimPrefix(d.st.Body[i].Image.Hash, "name:"), "demo-")
			j := &picJob{scene: scene, seed: seedOf(fmt.Sprintf("%s#%d", d.key, n)), w: 1280, h: 720}
			inline[d] = append(inline[d], j)
			jobs = append(jobs, j)
		}
	}
	portraits := make([]picJob, len(authors))
	for i, a := range authors {
		portraits[i] = picJob{seed: a.Seed, w: 480, h: 480, portrait: true}
		jobs = append(jobs, &portraits[i])
	}
	if err := f.draw(jobs); err != nil {
		return err
	}
	for _, j := range jobs {
		id, err := f.st.CreateMedia(ctx, j.result)
		if err != nil {
			return err
		}
		j.result.ID = id
	}
	for _, d := range drafts {
		lead := d.leadPic.result.Image()
		lead.Caption, lead.Credit, lead.Alt = d.st.Lead.Caption, d.st.Lead.Credit, d.st.Lead.Alt
		d.st.Lead = lead
		for n, i := range d.bodyPics {
			old := d.st.Body[i].Image
			img := inline[d][n].result.Image()
			img.Caption, img.Credit, img.Alt = old.Caption, old.Credit, old.Alt
			d.st.Body[i].Image = img
		}
	}
	for i, a := range authors {
		p := portraits[i].result.Image()
		id, err := f.st.CreateAuthor(ctx, story.Author{Slug: a.Slug, Name: a.Name, Role: a.Role, Bio: a.Bio, Portrait: p})
		if errors.Is(err, store.ErrConflict) {
			var old story.Author
			old, err = f.st.AuthorBySlug(ctx, a.Slug)
			id = old.ID
		}
		if err != nil {
			return err
		}
		f.authors[a.Slug] = story.Author{ID: id, Slug: a.Slug, Name: a.Name}
	}
	return nil
}

func (f *filler) draw(jobs []*picJob) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	next := make(chan *picJob)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				var img image.Image
				if j.portrait {
					img = media.Portrait(j.seed, j.w)
				} else {
					img = media.Scene(j.scene, j.seed, j.w, j.h)
				}
				m, err := f.ms.Unsynced().PutImage(img)
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
				j.result = m
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	return first
}

// stories inserts the drafts, then resolves [[related:key]] links now
// that every key has an id.
func (f *filler) stories(ctx context.Context, drafts []*draft) error {
	for _, d := range drafts {
		for i, b := range d.st.Bylines {
			if b.AuthorSlug == "" {
				continue
			}
			a, ok := f.authors[b.AuthorSlug]
			if !ok {
				return fmt.Errorf("story %s: unknown author %q", d.key, b.AuthorSlug)
			}
			d.st.Bylines[i] = story.Byline{AuthorID: a.ID, AuthorSlug: a.Slug, Name: a.Name}
		}
		if d.st.Source != nil {
			src := f.sources[d.st.Source.Label]
			d.st.Source = &src
		}
		id, err := f.st.CreateStory(ctx, d.st)
		if err != nil {
			return fmt.Errorf("story %s: %w", d.key, err)
		}
		f.ids[d.key] = id
	}
	for _, d := range drafts {
		if !d.related {
			continue
		}
		for i, b := range d.st.Body {
			if b.Type != story.BlockRelated || !strings.HasPrefix(b.URL, "key:") {
				continue
			}
			id, ok := f.ids[strings.TrimPrefix(b.URL, "key:")]
			if !ok {
				return fmt.Errorf("story %s: related story %q does not exist", d.key, b.URL)
			}
			d.st.Body[i] = story.Block{Type: story.BlockRelated, StoryID: id}
			d.st.Related = append(d.st.Related, id)
		}
		d.st.BodySource = story.FormatBody(d.st.Body)
		if err := f.st.UpdateStory(ctx, d.st); err != nil {
			return fmt.Errorf("story %s: %w", d.key, err)
		}
	}
	return nil
}
