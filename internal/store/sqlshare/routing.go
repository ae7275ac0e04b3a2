package sqlshare

import (
	"context"
	"fmt"
	"strings"

	"dateline/internal/store"
)

// checkRoute refuses a rule without a condition or a section before the
// database's CHECK does, with a message that says which.
func checkRoute(r store.WireRoute) error {
	if r.SectionID == 0 {
		return fmt.Errorf("wire route: %w: no section", store.ErrInvalid)
	}
	if r.SourceID == 0 && strings.TrimSpace(r.Subject) == "" && strings.TrimSpace(r.Keyword) == "" {
		return fmt.Errorf("wire route: %w: no condition (source, subject or keyword)", store.ErrInvalid)
	}
	return nil
}

// WireRoutes returns every rule in the order they are tried.
func (c *Core) WireRoutes(ctx context.Context) ([]store.WireRoute, error) {
	rows, err := Query(ctx, c.d, c.db, `SELECT id, position, coalesce(source_id, 0), subject, keyword, section_id, publish
		FROM wire_routes ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("wire routes: %w", c.d.MapErr(err))
	}
	defer rows.Close()
	var out []store.WireRoute
	for rows.Next() {
		var r store.WireRoute
		if err := rows.Scan(&r.ID, &r.Position, &r.SourceID, &r.Subject, &r.Keyword, &r.SectionID, &r.Publish); err != nil {
			return nil, fmt.Errorf("wire routes: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("wire routes: %w", err)
	}
	return out, nil
}

// CreateWireRoute adds a rule after the last one.
func (c *Core) CreateWireRoute(ctx context.Context, r store.WireRoute) (int64, error) {
	if err := checkRoute(r); err != nil {
		return 0, err
	}
	var id int64
	err := QueryRow(ctx, c.d, c.db, `INSERT INTO wire_routes (position, source_id, subject, keyword, section_id, publish)
		VALUES ((SELECT coalesce(max(position), -1) + 1 FROM wire_routes), ?, ?, ?, ?, ?) RETURNING id`,
		NullID(r.SourceID), r.Subject, r.Keyword, r.SectionID, r.Publish).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create wire route: %w", c.d.MapErr(err))
	}
	return id, nil
}

// UpdateWireRoute changes a rule, keeping its place.
func (c *Core) UpdateWireRoute(ctx context.Context, r store.WireRoute) error {
	if err := checkRoute(r); err != nil {
		return err
	}
	res, err := Exec(ctx, c.d, c.db, `UPDATE wire_routes SET source_id = ?, subject = ?, keyword = ?, section_id = ?, publish = ?
		WHERE id = ?`, NullID(r.SourceID), r.Subject, r.Keyword, r.SectionID, r.Publish, r.ID)
	if err != nil {
		return fmt.Errorf("update wire route %d: %w", r.ID, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update wire route %d: %w", r.ID, store.ErrNotFound)
	}
	return nil
}

// DeleteWireRoute removes a rule.
func (c *Core) DeleteWireRoute(ctx context.Context, id int64) error {
	res, err := Exec(ctx, c.d, c.db, "DELETE FROM wire_routes WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete wire route %d: %w", id, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete wire route %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// ReorderWireRoutes numbers the rules in the order of ids, in one
// transaction that first checks ids name exactly the rules there are.
func (c *Core) ReorderWireRoutes(ctx context.Context, ids []int64) error {
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			return fmt.Errorf("reorder wire routes: %w: rule %d named twice", store.ErrInvalid, id)
		}
		seen[id] = true
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reorder wire routes: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := QueryRow(ctx, c.d, tx, "SELECT count(*) FROM wire_routes").Scan(&n); err != nil {
		return fmt.Errorf("reorder wire routes: %w", c.d.MapErr(err))
	}
	if n != len(ids) {
		return fmt.Errorf("reorder wire routes: %w: %d rules, %d named", store.ErrConflict, n, len(ids))
	}
	for i, id := range ids {
		res, err := Exec(ctx, c.d, tx, "UPDATE wire_routes SET position = ? WHERE id = ?", i, id)
		if err != nil {
			return fmt.Errorf("reorder wire routes: %w", c.d.MapErr(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("reorder wire routes: %w: no rule %d", store.ErrConflict, id)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("reorder wire routes: %w", c.d.MapErr(err))
	}
	return nil
}

// WireSourceSections returns each source's default section name.
func (c *Core) WireSourceSections(ctx context.Context) (map[int64]string, error) {
	rows, err := Query(ctx, c.d, c.db, "SELECT source_id, section_name FROM wire_source_sections")
	if err != nil {
		return nil, fmt.Errorf("wire source sections: %w", c.d.MapErr(err))
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("wire source sections: %w", err)
		}
		out[id] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("wire source sections: %w", err)
	}
	return out, nil
}

// SetWireSourceSection sets or clears a source's default section.
func (c *Core) SetWireSourceSection(ctx context.Context, sourceID int64, name string) error {
	name = strings.TrimSpace(name)
	var err error
	if name == "" {
		var n int
		// Clearing must still refuse a source that does not exist.
		if err = QueryRow(ctx, c.d, c.db, "SELECT count(*) FROM sources WHERE id = ?", sourceID).Scan(&n); err == nil && n == 0 {
			return fmt.Errorf("set default section of source %d: %w: no such source", sourceID, store.ErrInvalid)
		}
		if err == nil {
			_, err = Exec(ctx, c.d, c.db, "DELETE FROM wire_source_sections WHERE source_id = ?", sourceID)
		}
	} else {
		_, err = Exec(ctx, c.d, c.db, `INSERT INTO wire_source_sections (source_id, section_name) VALUES (?, ?)
			ON CONFLICT (source_id) DO UPDATE SET section_name = excluded.section_name`, sourceID, name)
	}
	if err != nil {
		return fmt.Errorf("set default section of source %d: %w", sourceID, c.d.MapErr(err))
	}
	return nil
}
