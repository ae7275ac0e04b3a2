package newsroom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dateline/internal/auth"
	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/story"
)

// Limits of the editor's form.
const (
	maxFormBytes   = 2 << 20  // the text of a story, many times over
	maxUploadBytes = 20 << 20 // a lead picture sent with the form
	maxHeadline    = 300
	maxStandfirst  = 1000
	maxSEOTitle    = 200
	maxSEODesc     = 500
)

// storyForm is the editor's form exactly as typed, so a refused save
// shows the user's text back unchanged.
type storyForm struct {
	ID          int64
	Version     int
	PendingID   int64
	Headline    string
	Standfirst  string
	SectionID   string
	Type        string
	Language    string
	Slug        string
	Tags        string // comma-separated names
	Bylines     string // comma-separated: staff names or slugs, or free text
	Source      string // a source slug, or ""
	Related     string // comma-separated story ids
	LeadID      string
	LeadCaption string
	LeadCredit  string
	LeadAlt     string
	Body        string
	SEOTitle    string
	SEODesc     string
	ScheduleAt  string // datetime-local, in the site's time zone
	Minor       bool
}

// fieldErrors are messages shown next to the fields they concern.
type fieldErrors map[string]string

func (s *Server) parseStoryForm(w http.ResponseWriter, r *http.Request, withUpload bool) (storyForm, error) {
	limit := int64(maxFormBytes)
	if withUpload {
		limit += maxUploadBytes
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return storyForm{}, &httpError{http.StatusRequestEntityTooLarge, fmt.Errorf("the form is larger than %d MB; a lead picture may be at most %d MB", limit>>20, maxUploadBytes>>20)}
		}
		return storyForm{}, badRequest(errors.New("the form could not be read"))
	}
	v := r.PostFormValue
	f := storyForm{
		Headline: v("headline"), Standfirst: v("standfirst"), SectionID: v("section"), Type: v("type"),
		Language: strings.TrimSpace(v("language")), Slug: strings.TrimSpace(v("slug")), Tags: v("tags"),
		Bylines: v("bylines"), Source: v("source"), Related: v("related"), LeadID: strings.TrimSpace(v("lead")),
		LeadCaption: v("lead_caption"), LeadCredit: v("lead_credit"), LeadAlt: v("lead_alt"), Body: v("body"),
		SEOTitle: v("seo_title"), SEODesc: v("seo_description"), ScheduleAt: v("schedule_at"), Minor: v("minor") != "",
	}
	f.Version, _ = strconv.Atoi(v("version"))
	f.PendingID, _ = strconv.ParseInt(v("pending"), 10, 64)
	return f, nil
}

// formFromStory fills the form from a stored story or revision.
func formFromStory(st *story.Story) storyForm {
	f := storyForm{ID: st.ID, Version: st.Version, Headline: st.Headline, Standfirst: st.Standfirst,
		SectionID: idString(st.Section.ID), Type: string(st.Type), Language: st.Language, Slug: st.Slug,
		SEOTitle: st.SEOTitle, SEODesc: st.SEODesc, Body: st.BodySource}
	// Until a story is first published its slug follows the headline,
	// unless someone typed one; after, its address stays put.
	if st.FirstPublishedAt.IsZero() && st.Slug == story.Slugify(st.Headline, 80) {
		f.Slug = ""
	}
	if f.Body == "" && len(st.Body) > 0 {
		f.Body = story.FormatBody(st.Body)
	}
	var parts []string
	for _, t := range st.Tags {
		parts = append(parts, t.Name)
	}
	f.Tags = strings.Join(parts, ", ")
	parts = parts[:0]
	for _, b := range st.Bylines {
		parts = append(parts, b.Name)
	}
	f.Bylines = strings.Join(parts, ", ")
	parts = parts[:0]
	for _, id := range st.Related {
		parts = append(parts, idString(id))
	}
	f.Related = strings.Join(parts, ", ")
	if st.Source != nil {
		f.Source = st.Source.Slug
	}
	if st.Lead != nil {
		f.LeadID, f.LeadCaption, f.LeadCredit, f.LeadAlt = idString(st.Lead.MediaID), st.Lead.Caption, st.Lead.Credit, st.Lead.Alt
	}
	return f
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// splitList splits a comma-separated field, trimming and dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// editorChoices are the lists the form offers.
type editorChoices struct {
	Sections []story.Section
	Authors  []story.Author
	Sources  []story.Source
}

func (s *Server) editorChoices(ctx context.Context) (editorChoices, error) {
	var c editorChoices
	var err error
	if c.Sections, err = s.store.Sections(ctx); err != nil {
		return c, err
	}
	if c.Authors, err = s.store.Authors(ctx); err != nil {
		return c, err
	}
	if c.Sources, err = s.store.SourceList(ctx); err != nil {
		return c, err
	}
	return c, nil
}

// build turns the form into a story, checking every field. The story is
// returned even when some fields are wrong, for autosave and preview.
func (s *Server) build(ctx context.Context, f storyForm, c editorChoices) (*story.Story, fieldErrors, error) {
	errs := fieldErrors{}
	st := &story.Story{ID: f.ID, Headline: strings.TrimSpace(f.Headline), Standfirst: strings.TrimSpace(f.Standfirst),
		Type: story.Type(f.Type), Language: f.Language, SEOTitle: strings.TrimSpace(f.SEOTitle), SEODesc: strings.TrimSpace(f.SEODesc)}
	switch n := utf8.RuneCountInString(st.Headline); {
	case n == 0:
		errs["headline"] = "Write a headline."
	case n > maxHeadline:
		errs["headline"] = fmt.Sprintf("Keep the headline under %d characters (it has %d).", maxHeadline, n)
	}
	if n := utf8.RuneCountInString(st.Standfirst); n > maxStandfirst {
		errs["standfirst"] = fmt.Sprintf("Keep the standfirst under %d characters (it has %d).", maxStandfirst, n)
	}
	if utf8.RuneCountInString(st.SEOTitle) > maxSEOTitle {
		errs["seo_title"] = fmt.Sprintf("Keep the SEO title under %d characters.", maxSEOTitle)
	}
	if utf8.RuneCountInString(st.SEODesc) > maxSEODesc {
		errs["seo_description"] = fmt.Sprintf("Keep the SEO description under %d characters.", maxSEODesc)
	}
	if !st.Type.Valid() {
		errs["type"] = "Choose news, opinion or analysis."
		st.Type = story.TypeNews
	}
	if st.Language == "" {
		st.Language = s.cfg.Language
	} else if !validLang(st.Language) {
		errs["language"] = "Use a language tag such as en, tr or ar-EG."
	}
	secID, _ := strconv.ParseInt(f.SectionID, 10, 64)
	for _, sec := range c.Sections {
		if sec.ID == secID {
			st.Section = sec
		}
	}
	if st.Section.ID == 0 {
		errs["section"] = "Choose a section."
	}
	st.Slug = f.Slug
	if st.Slug == "" {
		st.Slug = story.Slugify(st.Headline, 80)
	} else if !story.ValidSlug(st.Slug) {
		errs["slug"] = "A slug is lower-case letters, digits and single hyphens, like shoigu-visits-kim. Leave it empty to make one from the headline."
	}
	seen := map[string]bool{}
	for _, name := range splitList(f.Tags) {
		slug := story.TagSlug(name)
		if !seen[slug] {
			seen[slug] = true
			st.Tags = append(st.Tags, story.Tag{Name: name, Slug: slug})
		}
	}
	st.Bylines = bylines(f.Bylines, c.Authors)
	if f.Source != "" {
		for i := range c.Sources {
			if c.Sources[i].Slug == f.Source {
				src := c.Sources[i]
				st.Source = &src
			}
		}
		if st.Source == nil {
			errs["source"] = "Choose a source from the list, or none."
		}
	}
	if err := s.buildLead(ctx, f, st, errs); err != nil {
		return st, errs, err
	}
	if err := s.buildBody(ctx, f, st, errs); err != nil {
		return st, errs, err
	}
	if err := s.buildRelated(ctx, f, st, errs); err != nil {
		return st, errs, err
	}
	return st, errs, nil
}

// validLang accepts a plausible BCP 47 tag: letters, digits and hyphens,
// starting with a two- or three-letter language.
func validLang(s string) bool {
	if len(s) < 2 || len(s) > 35 {
		return false
	}
	for i, part := range strings.Split(s, "-") {
		if part == "" || (i == 0 && (len(part) < 2 || len(part) > 3)) {
			return false
		}
		for _, c := range part {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

// bylines reads the comma-separated names in order: a staff author's
// name or slug credits their profile, anything else is a free-text name.
func bylines(field string, authors []story.Author) []story.Byline {
	var out []story.Byline
	for _, name := range splitList(field) {
		b := story.Byline{Name: name}
		for _, a := range authors {
			if strings.EqualFold(a.Name, name) || a.Slug == name {
				b = story.Byline{AuthorID: a.ID, AuthorSlug: a.Slug, Name: a.Name}
				break
			}
		}
		out = append(out, b)
	}
	return out
}

func (s *Server) buildLead(ctx context.Context, f storyForm, st *story.Story, errs fieldErrors) error {
	if f.LeadID == "" {
		if strings.TrimSpace(f.LeadCaption+f.LeadCredit+f.LeadAlt) != "" {
			errs["lead"] = "Choose or upload a picture for the caption, credit and alt text."
		}
		return nil
	}
	id, err := strconv.ParseInt(f.LeadID, 10, 64)
	if err != nil || id <= 0 {
		errs["lead"] = "The picture number is not a number from the media library."
		return nil
	}
	m, err := s.store.Media(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		errs["lead"] = fmt.Sprintf("There is no picture %d in the media library.", id)
		return nil
	} else if err != nil {
		return err
	}
	img := m.Image()
	img.Caption, img.Credit, img.Alt = strings.TrimSpace(f.LeadCaption), strings.TrimSpace(f.LeadCredit), strings.TrimSpace(f.LeadAlt)
	st.Lead = img
	if img.Alt == "" {
		errs["lead_alt"] = "Describe the picture for readers who cannot see it."
	}
	return nil
}

// buildBody parses the body and resolves its pictures from the library.
func (s *Server) buildBody(ctx context.Context, f storyForm, st *story.Story, errs fieldErrors) error {
	st.BodySource = strings.ReplaceAll(f.Body, "\r\n", "\n")
	st.Body = story.ParseBody(st.BodySource)
	var missing []string
	for i := range st.Body {
		b := &st.Body[i]
		if b.Type != story.BlockImage || b.Image == nil {
			continue
		}
		if b.Image.MediaID == 0 {
			missing = append(missing, strings.TrimPrefix(b.Image.Hash, "name:"))
			continue
		}
		m, err := s.store.Media(ctx, b.Image.MediaID)
		if errors.Is(err, store.ErrNotFound) {
			missing = append(missing, "media:"+idString(b.Image.MediaID))
			continue
		} else if err != nil {
			return err
		}
		b.Image.Hash, b.Image.Width, b.Image.Height = m.Hash, m.Width, m.Height
		if b.Image.Alt == "" {
			b.Image.Alt = m.Alt
		}
	}
	if len(missing) > 0 {
		errs["body"] = "These pictures are not in the media library: " + strings.Join(missing, ", ") + "."
	}
	return nil
}

func (s *Server) buildRelated(ctx context.Context, f storyForm, st *story.Story, errs fieldErrors) error {
	var bad []string
	seen := map[int64]bool{}
	for _, p := range splitList(f.Related) {
		id, err := strconv.ParseInt(strings.TrimPrefix(p, "#"), 10, 64)
		if err != nil || id <= 0 {
			bad = append(bad, p)
			continue
		}
		if !seen[id] && id != st.ID {
			seen[id] = true
			st.Related = append(st.Related, id)
		}
	}
	if len(st.Related) > 0 {
		pub, err := s.store.Summaries(ctx, st.Related)
		if err != nil {
			return err
		}
		ok := map[int64]bool{}
		for _, p := range pub {
			ok[p.ID] = true
		}
		for _, id := range st.Related {
			if !ok[id] {
				bad = append(bad, idString(id))
			}
		}
	}
	if len(bad) > 0 {
		errs["related"] = "Related stories are published story numbers; these are not: " + strings.Join(bad, ", ") + "."
	}
	return nil
}

// upload stores a lead picture sent with the form and points the form at
// it; a picture already in the library is that item (keepPicture), so a
// preview and then a save of the same form make one. A new item is in the
// audit log, as from the library's upload. A refused file is a field
// error; nothing of it is kept.
func (s *Server) upload(r *http.Request, u store.User, f *storyForm, errs fieldErrors) error {
	if r.MultipartForm == nil {
		return nil
	}
	file, hdr, err := r.FormFile("lead_file")
	if errors.Is(err, http.ErrMissingFile) {
		return nil
	} else if err != nil {
		return badRequest(errors.New("the picture could not be read"))
	}
	defer file.Close()
	if hdr.Size == 0 {
		return nil
	}
	if !auth.Can(u, auth.UploadMedia, auth.StoryRef{}) {
		errs["lead"] = "Your role may not upload pictures; choose one from the library."
		return nil
	}
	m, err := s.media.Put(file, maxUploadBytes)
	if errors.Is(err, media.ErrTooLarge) || errors.Is(err, media.ErrUnsupported) {
		errs["lead"] = "The picture was not accepted: " + err.Error() + ". Choose another file (JPEG, PNG or GIF)."
		return nil
	} else if err != nil {
		return err
	}
	m.Caption, m.Credit, m.Alt = strings.TrimSpace(f.LeadCaption), strings.TrimSpace(f.LeadCredit), strings.TrimSpace(f.LeadAlt)
	id, _, err := s.keepPicture(r, u, m)
	if err != nil {
		return err
	}
	f.LeadID = idString(id)
	return nil
}

// scheduleTime reads the form's datetime-local in the site's time zone.
func (s *Server) scheduleTime(v string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v), s.cfg.Location)
	if err != nil {
		return t, errors.New("Choose the date and time to publish.")
	}
	return t, nil
}

// keepSlug keeps the address of a story that has been public: an empty
// slug field then means "unchanged", not "make one from the headline".
func keepSlug(f storyForm, cur, st *story.Story) {
	if f.Slug == "" && !cur.FirstPublishedAt.IsZero() && cur.Slug != "" {
		st.Slug = cur.Slug
	}
}
