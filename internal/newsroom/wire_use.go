package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/wire/ingest"
)

// wireUse takes a queued item: POST /newsroom/wire/{id}/use makes a
// draft attributed to the source and opens it in the editor;
// POST /newsroom/wire/{id}/publish publishes it at once (or schedules it
// for its embargo). The story is built by the ingest package, as for an
// item published on arrival, and linked to the item's GUID so later
// versions reach it.
func (s *Server) wireUse(w http.ResponseWriter, r *http.Request, u store.User) error {
	publish := strings.HasSuffix(r.URL.Path, "/publish")
	need, action := auth.SpikeStory, "wire_use"
	if publish {
		need, action = auth.PublishStory, "wire_publish"
	}
	id, err := itemPost(w, r, u, need, 4<<10)
	if err != nil {
		return err
	}
	ctx := r.Context()
	it, err := s.store.WireItem(ctx, id)
	if err != nil {
		return err
	}
	if it.State != "queued" {
		return conflict(fmt.Errorf("This item is no longer in the queue (it is %s).", it.State))
	}
	o := ingest.Options{Store: s.store, Language: s.cfg.Language, Now: s.now}
	if s.media != nil {
		o.Fetch = ingest.NewFetcher(s.media, s.store, s.cfg.AllowPrivateTargets).Fetch
	}
	im, err := ingest.New(ctx, o)
	if err != nil {
		return err
	}
	st, picture, err := im.StoryOf(ctx, it)
	if err != nil {
		return err
	}
	storyID, err := s.store.TakeWireItem(ctx, store.WireTake{ItemID: id, Story: st, Publish: publish, OwnerID: u.ID, Now: s.now()})
	if errors.Is(err, store.ErrConflict) {
		return conflict(errors.New("This item was taken off the queue in the meantime."))
	}
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("%s v%d → story %d", it.GUID, it.Version, storyID)
	if picture != "" {
		detail += "; picture not fetched: " + picture
	}
	s.audit(r, u, action, fmt.Sprintf("wire:%d", id), detail)
	if publish {
		return seeOther(w, r, fmt.Sprintf("/newsroom/stories/%d?done=published", storyID))
	}
	return seeOther(w, r, fmt.Sprintf("/newsroom/stories/%d", storyID))
}
