package ingest

import (
	"context"
	"encoding/json"
	"fmt"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/wire"
)

// StoryOf builds the story a received item version makes, as Import
// builds it (section, source, tags, bylines, body), for the wire desk's
// "use" and "publish now". The section is the one recorded when the item
// arrived; the lead picture is fetched again when the Importer has a
// fetcher, since a queued item keeps none. The second result says why a
// picture is missing, or is "".
func (im *Importer) StoryOf(ctx context.Context, w store.WireItem) (*story.Story, string, error) {
	var it wire.Item
	if err := json.Unmarshal(w.Item, &it); err != nil {
		return nil, "", fmt.Errorf("ingest: read wire item %d: %w", w.ID, err)
	}
	srcs, err := im.o.Store.SourceList(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("ingest: wire item %d: %w", w.ID, err)
	}
	var src story.Source
	for _, s := range srcs {
		if s.ID == w.SourceID {
			src = s
		}
	}
	if src.ID == 0 {
		return nil, "", fmt.Errorf("ingest: wire item %d: source %d: %w", w.ID, w.SourceID, store.ErrNotFound)
	}
	sec := im.section(it.Subjects)
	for _, s := range im.sections {
		if s.ID == w.SectionID {
			sec = s
		}
	}
	st := im.toStory(&it, src, sec)
	st.WireID, st.WireVersion = w.GUID, w.Version
	if st.Language == "" {
		st.Language = w.Language
	}
	why := ""
	if len(it.Pictures) > 0 {
		lead, err := im.fetch(ctx, it.Pictures[0])
		switch {
		case lead != nil:
			st.Lead = lead
		case err != nil:
			why = err.Error()
		default:
			why = "pictures are not fetched here"
		}
	}
	return st, why, nil
}
