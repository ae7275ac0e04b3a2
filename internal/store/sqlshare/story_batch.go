package sqlshare

import (
	"context"
	"encoding/json"
	"fmt"

	"dateline/internal/story"
)

// StoriesByID returns the published stories among ids in the order of ids,
// in two statements whatever their number: the stories, then their
// bylines, tags, related ids and notes together. The ids travel as one
// JSON array (Dialect.JSONIDs), so the statement text never changes and
// stays in the prepared-statement cache.
func (c *Core) StoriesByID(ctx context.Context, ids []int64) ([]*story.Story, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("stories by id: encode ids: %w", err)
	}
	byID, err := c.batchStories(ctx, string(list))
	if err != nil {
		return nil, fmt.Errorf("stories by id: %w", err)
	}
	if err := c.batchChildren(ctx, string(list), byID); err != nil {
		return nil, fmt.Errorf("stories by id: children: %w", err)
	}
	out := make([]*story.Story, 0, len(byID))
	for _, id := range ids {
		if st, ok := byID[id]; ok {
			out = append(out, st)
			delete(byID, id)
		}
	}
	return out, nil
}

func (c *Core) batchStories(ctx context.Context, list string) (map[int64]*story.Story, error) {
	rows, err := c.d.Read(ctx, c.q.batchStories, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*story.Story{}
	for rows.Next() {
		st, err := scanStory(rows)
		if err != nil {
			return nil, err
		}
		out[st.ID] = st
	}
	return out, rows.Err()
}

// batchChildren is loadChildren for many stories: one UNION ALL of the
// four small tables, tagged by kind and ordered as a single story's are.
func (c *Core) batchChildren(ctx context.Context, list string, byID map[int64]*story.Story) error {
	if len(byID) == 0 {
		return nil
	}
	rows, err := c.d.Read(ctx, c.q.batchChildren, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, slug, name string
		var sid, pos, ref, at int64
		if err := rows.Scan(&sid, &kind, &pos, &ref, &slug, &name, &at); err != nil {
			return err
		}
		st, ok := byID[sid]
		if !ok {
			continue // not published: its children are not needed
		}
		addChild(st, kind, ref, slug, name, at)
	}
	return rows.Err()
}
