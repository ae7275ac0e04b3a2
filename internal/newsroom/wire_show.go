package newsroom

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"

	"dateline/internal/auth"
	"dateline/internal/bodyhtml"
	"dateline/internal/store"
	"dateline/internal/wire"
)

type wireItemPage struct {
	Page
	Item       wireRow
	Wire       wire.Item     // the item as it was received, normalised
	Body       template.HTML // the body as the story will carry it
	Versions   []wireRow     // every version received for the GUID, newest first
	Queued     bool
	Offered    bool // a later version of a story the newsroom has taken
	CanTake    bool
	CanPublish bool
}

// wireShow shows one received item version: GET /newsroom/wire/{id}.
func (s *Server) wireShow(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	it, err := s.store.WireItem(ctx, id)
	if err != nil {
		return err
	}
	srcs, err := s.store.SourceList(ctx)
	if err != nil {
		return err
	}
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return err
	}
	p := wireItemPage{Page: s.page(u, it.Headline, "wire"), Queued: it.State == "queued", Offered: it.State == "offered",
		CanTake: auth.Can(u, auth.SpikeStory, auth.StoryRef{}), CanPublish: auth.Can(u, auth.PublishStory, auth.StoryRef{})}
	if err := json.Unmarshal(it.Item, &p.Wire); err != nil {
		return fmt.Errorf("wire item %d: read its copy: %w", id, err)
	}
	p.Body = template.HTML(bodyhtml.Render(p.Wire.Body, bodyhtml.Options{BaseURL: s.cfg.BaseURL, RelatedLabel: "Related"}))
	rows, err := s.wireRows(ctx, []store.WireItem{it}, srcs, secs)
	if err != nil {
		return err
	}
	p.Item = rows[0]
	versions, err := s.store.WireItems(ctx, store.WireQuery{SourceID: it.SourceID, GUID: it.GUID, Limit: 500})
	if err != nil {
		return err
	}
	if p.Versions, err = s.wireRows(ctx, versions, srcs, secs); err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "spiked":
		p.Flash = "Spiked: the item is off the queue."
	}
	return s.render.Render(w, r, http.StatusOK, "wire_item", p)
}
