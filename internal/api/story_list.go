package api

import (
	"context"
	"encoding/json"
	"net/http"

	"dateline/internal/story"
)

// listPage is the body of every list: the items, whether there are more,
// and the cursor to pass back for them.
type listPage struct {
	Data       any     `json:"data"`
	HasMore    bool    `json:"has_more"`
	NextCursor *string `json:"next_cursor"`
}

// storyList serves GET /api/v1/stories. Without updated_since it lists
// published stories newest first (first_published_at, then id) and
// next_cursor is null on the last page. With updated_since it is the
// change list for keeping a copy in sync: every story changed after that
// time, oldest change first (modified_at, then id), those no longer public
// as tombstones; next_cursor is then always given once anything was
// listed, so a partner can store it and poll with it, and has_more says
// whether to ask again at once.
func (s *Server) storyList(w http.ResponseWriter, r *http.Request) error {
	q, err := params(r, "limit", "cursor", "format", "section", "tag", "author", "source", "language", "updated_since", "status")
	if err != nil {
		return err
	}
	keyed, err := s.keyed(w, r)
	if err != nil {
		return err
	}
	limit, err := parseLimit(q)
	if err != nil {
		return err
	}
	version, err := ninjsVersion(q)
	if err != nil {
		return err
	}
	aq, err := s.listFilters(r, q)
	if err != nil {
		return err
	}
	if aq.Statuses, err = parseStatuses(q, keyed); err != nil {
		return err
	}
	changes := !aq.ChangedSince.IsZero()
	kind := cursorPublished
	switch {
	case changes:
		kind = cursorChanges
	case len(aq.Statuses) > 0:
		kind = cursorStatus
	}
	if aq.After, err = decodeCursor(q.Get("cursor"), kind); err != nil {
		return err
	}
	aq.Limit = limit + 1
	list, err := s.store.APIStories(r.Context(), aq)
	if err != nil {
		return err
	}
	page := listPage{HasMore: len(list) > limit}
	if page.HasMore {
		list = list[:limit]
	}
	b, err := s.builder(r.Context(), list)
	if err != nil {
		return err
	}
	data := make([]json.RawMessage, 0, len(list))
	for _, st := range list {
		d := b.document(st)
		if changes && len(aq.Statuses) == 0 && st.Status != story.StatusPublished {
			d = b.tombstone(st)
		}
		raw, err := encodeDoc(d, version)
		if err != nil {
			return err
		}
		data = append(data, raw)
	}
	page.Data = data
	if n := len(list); n > 0 && (page.HasMore || changes) {
		last := list[n-1]
		at := last.FirstPublishedAt
		switch {
		case changes:
			at = last.ModifiedAt
		case kind == cursorStatus && at.IsZero():
			at = last.CreatedAt
		}
		c := encodeCursor(kind, at, last.ID)
		page.NextCursor = &c
	} else if changes && q.Get("cursor") != "" {
		c := q.Get("cursor") // nothing new: poll again from the same place
		page.NextCursor = &c
	}
	return writeJSON(w, http.StatusOK, page)
}

// builder prepares the documents of list: it loads, in one query, the
// published stories that their related blocks point to.
func (s *Server) builder(ctx context.Context, list []*story.Story) (*builder, error) {
	b := &builder{base: s.cfg.BaseURL, siteName: s.cfg.SiteName, related: map[int64]story.Summary{}}
	var ids []int64
	for _, st := range list {
		for _, blk := range st.Body {
			if blk.Type == story.BlockRelated && blk.StoryID > 0 {
				ids = append(ids, blk.StoryID)
			}
		}
	}
	if len(ids) == 0 {
		return b, nil
	}
	sums, err := s.store.Summaries(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, sum := range sums {
		b.related[sum.ID] = sum
	}
	return b, nil
}
