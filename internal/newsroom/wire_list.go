package newsroom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

func init() {
	routeAdders = append(routeAdders, (*Server).wireRoutes)
	extraPages = append(extraPages, "wire", "wire_item")
}

// wireRoutes are the wire desk: every signed-in user reads the queue;
// taking items from it (use, spike) needs the right to spike stories and
// publishing needs the right to publish, so reporters only read.
func (s *Server) wireRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/wire", s.user(s.wireList))
	mux.HandleFunc("GET /newsroom/wire/{id}", s.user(s.wireShow))
	mux.HandleFunc("POST /newsroom/wire/{id}/use", s.user(s.wireUse))
	mux.HandleFunc("POST /newsroom/wire/{id}/publish", s.user(s.wireUse))
	mux.HandleFunc("POST /newsroom/wire/{id}/spike", s.user(s.wireSpike))
}

// wirePageSize is how many queued items a page of the queue shows.
const wirePageSize = 50

// wireRow is one queued item as the queue and the history show it.
type wireRow struct {
	store.WireItem
	Source  string // the source's label
	Section string // the name of the section it was routed to
	Held    bool   // embargoed until EmbargoAt, which is still ahead
	DupOf   int64  // the item of another source with the same copy
	DupFrom string // that source's label
}

type wirePage struct {
	Page
	Items      []wireRow
	Sources    []story.Source
	Sections   []story.Section
	Source     string // filter: source slug
	InSection  string // filter: the slug of the section items were routed to (Page has Section)
	Urgency    int
	Language   string
	Text       string
	Next       string // query string of the next page, or ""
	CanTake    bool
	CanPublish bool
}

// UrgencyLevels are the choices of the urgency filter.
func (wirePage) UrgencyLevels() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9} }

// wireList shows the queue: GET /newsroom/wire?source=&section=&urgency=&lang=&q=&after=.
// The text filter is a headline substring match in SQL: queued items are
// not stories yet, so they are not in the full-text index.
func (s *Server) wireList(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	p := wirePage{Page: s.page(u, "Wire queue", "wire"), CanTake: auth.Can(u, auth.SpikeStory, auth.StoryRef{}),
		CanPublish: auth.Can(u, auth.PublishStory, auth.StoryRef{})}
	var err error
	if p.Sources, err = s.store.SourceList(ctx); err != nil {
		return err
	}
	if p.Sections, err = s.store.Sections(ctx); err != nil {
		return err
	}
	qv := r.URL.Query()
	q := store.WireQueueQuery{Limit: wirePageSize + 1}
	if p.InSection = qv.Get("section"); p.InSection != "" {
		for _, sec := range p.Sections {
			if sec.Slug == p.InSection {
				q.SectionID = sec.ID
			}
		}
		if q.SectionID == 0 {
			return badRequest(fmt.Errorf("Section: there is no section %q.", p.InSection))
		}
	}
	if p.Source = qv.Get("source"); p.Source != "" {
		for _, src := range p.Sources {
			if src.Slug == p.Source {
				q.SourceID = src.ID
			}
		}
		if q.SourceID == 0 {
			return badRequest(fmt.Errorf("There is no wire source %q.", p.Source))
		}
	}
	if v := qv.Get("urgency"); v != "" {
		if q.Urgency, err = strconv.Atoi(v); err != nil || q.Urgency < 1 || q.Urgency > 9 {
			return badRequest(errors.New("Urgency is a number from 1 (most urgent) to 9."))
		}
		p.Urgency = q.Urgency
	}
	p.Language, p.Text = strings.TrimSpace(qv.Get("lang")), strings.TrimSpace(qv.Get("q"))
	if len(p.Language) > 35 || len(p.Text) > 200 {
		return badRequest(errors.New("The language or the search text is too long."))
	}
	q.Language, q.Text = p.Language, p.Text
	if v := qv.Get("after"); v != "" {
		if q.After, err = parseWireCursor(v); err != nil {
			return err
		}
	}
	items, err := s.store.WireQueue(ctx, q)
	if err != nil {
		return err
	}
	if len(items) > wirePageSize {
		items = items[:wirePageSize]
		last := items[len(items)-1]
		next := url.Values{}
		for k, v := range map[string]string{"source": p.Source, "section": p.InSection, "lang": p.Language, "q": p.Text} {
			if v != "" {
				next.Set(k, v)
			}
		}
		if p.Urgency != 0 {
			next.Set("urgency", strconv.Itoa(p.Urgency))
		}
		next.Set("after", fmt.Sprintf("%d-%d", last.ReceivedAt.UnixMicro(), last.ID))
		p.Next = "/newsroom/wire?" + next.Encode()
	}
	if p.Items, err = s.wireRows(ctx, items, p.Sources, p.Sections); err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "wire", p)
}

// parseWireCursor reads the "after" position, "<received µs>-<id>".
func parseWireCursor(v string) (store.Cursor, error) {
	at, id, ok := strings.Cut(v, "-")
	us, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || n <= 0 {
		return store.Cursor{}, badRequest(errors.New("The page position (after=) is not one this list made."))
	}
	return store.Cursor{At: time.UnixMicro(us).UTC(), ID: n}, nil
}

// wireRows adds what the desk shows beside each item: its source's
// label, whether its embargo still holds and which source sent the same
// copy first.
func (s *Server) wireRows(ctx context.Context, items []store.WireItem, srcs []story.Source, secs []story.Section) ([]wireRow, error) {
	label, secName := map[int64]string{}, map[int64]string{}
	for _, src := range srcs {
		label[src.ID] = src.Label
	}
	for _, sec := range secs {
		secName[sec.ID] = sec.Name
	}
	now := s.now()
	rows := make([]wireRow, 0, len(items))
	for _, it := range items {
		row := wireRow{WireItem: it, Source: label[it.SourceID], Section: secName[it.SectionID], Held: !it.EmbargoAt.IsZero() && it.EmbargoAt.After(now)}
		if it.DuplicateOf != 0 {
			dup, err := s.store.WireItem(ctx, it.DuplicateOf)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
			if err == nil {
				row.DupOf, row.DupFrom = dup.ID, label[dup.SourceID]
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
