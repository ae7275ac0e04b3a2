package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"dateline/internal/store"
	"dateline/internal/workflow"
)

// storyComparePage shows two revisions side by side.
type storyComparePage struct {
	Page
	StoryID int64
	A, B    store.Revision
	Fields  []workflow.FieldDiff
	Changed int
}

func parseID(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound(fmt.Errorf("%q is not a number", v))
	}
	return id, nil
}

func errFor(what string) error { return errors.New("Your role may not " + what + ".") }

// storyCompare shows revisions ?a= and ?b= of a story side by side, each
// field's deleted words struck out on the left and inserted words marked
// on the right.
func (s *Server) storyCompare(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := storyID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	q := r.URL.Query()
	ids := [2]int64{}
	for i, k := range []string{"a", "b"} {
		if ids[i], err = parseID(q.Get(k)); err != nil {
			return badRequest(errors.New("choose two revisions to compare"))
		}
	}
	var revs [2]store.Revision
	for i, rid := range ids {
		if revs[i], err = s.store.Revision(ctx, rid); err != nil {
			return err
		}
		if revs[i].StoryID != id {
			return notFound(fmt.Errorf("revision %d is not of story %d", rid, id))
		}
	}
	// Older on the left, whichever order they were chosen in.
	if revs[0].Number > revs[1].Number {
		revs[0], revs[1] = revs[1], revs[0]
	}
	p := storyComparePage{Page: s.page(u, "Compare revisions", "stories"), StoryID: id, A: revs[0], B: revs[1],
		Fields: workflow.Compare(&revs[0].Snapshot, &revs[1].Snapshot)}
	for _, f := range p.Fields {
		if f.Changed {
			p.Changed++
		}
	}
	return s.render.Render(w, r, http.StatusOK, "story_compare", p)
}
