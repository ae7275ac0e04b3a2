package site

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

const pageSize = 20

// encodeCursor writes the position after s as "time.id" in base 36: short,
// opaque enough, and strictly checked when read back.
func encodeCursor(s story.Summary) string {
	return strconv.FormatInt(s.FirstPublishedAt.UnixMicro(), 36) + "." + strconv.FormatInt(s.ID, 36)
}

var errCursor = errors.New("the after= position is not valid")

// decodeCursor reads ?after=. Missing means the first page; anything
// malformed is a 400, never a 500 and never a silent wrong page.
func decodeCursor(r *http.Request) (store.Cursor, error) {
	v := r.URL.Query().Get("after")
	if v == "" {
		return store.Cursor{}, nil
	}
	a, b, ok := strings.Cut(v, ".")
	if !ok || len(v) > 32 {
		return store.Cursor{}, badRequest(errCursor)
	}
	at, err1 := strconv.ParseInt(a, 36, 64)
	id, err2 := strconv.ParseInt(b, 36, 64)
	if err1 != nil || err2 != nil || at < 0 || id <= 0 {
		return store.Cursor{}, badRequest(errCursor)
	}
	return store.Cursor{At: time.UnixMicro(at).UTC(), ID: id}, nil
}

// listPage runs q one item past the page size to know whether an older
// page exists, and builds the pager links for path.
func (s *Server) listPage(r *http.Request, q store.ListQuery, path string) ([]story.Summary, pager, error) {
	after, err := decodeCursor(r)
	if err != nil {
		return nil, pager{}, err
	}
	q.After = after
	q.Limit = pageSize + 1
	list, err := s.store.ListStories(r.Context(), q)
	if err != nil {
		return nil, pager{}, err
	}
	var p pager
	if len(list) > pageSize {
		list = list[:pageSize]
		p.Older = path + "?after=" + encodeCursor(list[pageSize-1])
	}
	if !after.IsZero() {
		p.Newest = path
	}
	return list, p, nil
}
