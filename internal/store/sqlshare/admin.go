package sqlshare

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// UpdateUserGuarded saves name, role, author and disabled, refusing with
// store.ErrLastAdmin a change that leaves no enabled admin. The check runs
// in the writing transaction (taken at BEGIN), so two admins demoting each
// other at the same moment cannot both succeed.
func (c *Core) UpdateUserGuarded(ctx context.Context, u store.User) error {
	if !u.Role.Valid() {
		return fmt.Errorf("update user %d: %w: unknown role %q", u.ID, store.ErrInvalid, u.Role)
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, err)
	}
	defer tx.Rollback()
	var wasAdmin bool
	err = QueryRow(ctx, c.d, tx, "SELECT role = 'admin' AND disabled = 0 FROM users WHERE id = ?", u.ID).Scan(&wasAdmin)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, c.d.MapErr(err))
	}
	res, err := Exec(ctx, c.d, tx, "UPDATE users SET name = ?, role = ?, author_id = ?, disabled = ? WHERE id = ?",
		u.Name, string(u.Role), NullID(u.AuthorID), B2I(u.Disabled), u.ID)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update user %d: %w", u.ID, store.ErrNotFound)
	}
	if !wasAdmin {
		return tx.Commit()
	}
	var admins int
	if err := QueryRow(ctx, c.d, tx, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").Scan(&admins); err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, err)
	}
	if admins == 0 {
		return fmt.Errorf("update user %d: %w", u.ID, store.ErrLastAdmin)
	}
	return tx.Commit()
}

// UpdateSection saves a section's name, description and position.
func (c *Core) UpdateSection(ctx context.Context, sec story.Section) error {
	if strings.TrimSpace(sec.Name) == "" {
		return fmt.Errorf("update section %d: %w: the name is empty", sec.ID, store.ErrInvalid)
	}
	res, err := Exec(ctx, c.d, c.db, "UPDATE sections SET name = ?, description = ?, position = ? WHERE id = ?",
		sec.Name, sec.Description, sec.Position, sec.ID)
	if err != nil {
		return fmt.Errorf("update section %d: %w", sec.ID, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update section %d: %w", sec.ID, store.ErrNotFound)
	}
	return nil
}

// ReorderSections numbers the listed sections 0, 1, 2… in one
// transaction; the others move after them, keeping their order.
func (c *Core) ReorderSections(ctx context.Context, ids []int64) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reorder sections: %w", err)
	}
	defer tx.Rollback()
	if _, err := Exec(ctx, c.d, tx, "UPDATE sections SET position = position + ?", len(ids)); err != nil {
		return fmt.Errorf("reorder sections: %w", err)
	}
	for i, id := range ids {
		if _, err := Exec(ctx, c.d, tx, "UPDATE sections SET position = ? WHERE id = ?", i, id); err != nil {
			return fmt.Errorf("reorder sections: %d: %w", id, c.d.MapErr(err))
		}
	}
	return tx.Commit()
}

// MediaByHash returns the oldest library picture stored under hash.
func (c *Core) MediaByHash(ctx context.Context, hash string) (story.Media, error) {
	var m story.Media
	var created int64
	err := c.d.ReadRow(ctx, `SELECT id, hash, mime, width, height, bytes, caption, credit, alt, focal_x, focal_y, created_at
		FROM media WHERE hash = ? ORDER BY id LIMIT 1`, hash).Scan(&m.ID, &m.Hash, &m.Mime, &m.Width, &m.Height, &m.Bytes,
		&m.Caption, &m.Credit, &m.Alt, &m.FocalX, &m.FocalY, &created)
	if err != nil {
		return m, fmt.Errorf("media %s: %w", hash, c.d.MapErr(err))
	}
	m.Created = time.UnixMicro(created).UTC()
	return m, nil
}

// UpdateSource saves a wire source's name, label and website.
func (c *Core) UpdateSource(ctx context.Context, src story.Source) error {
	if strings.TrimSpace(src.Name) == "" || strings.TrimSpace(src.Label) == "" {
		return fmt.Errorf("update source %d: %w: needs a name and a label", src.ID, store.ErrInvalid)
	}
	res, err := Exec(ctx, c.d, c.db, "UPDATE sources SET name = ?, label = ?, url = ? WHERE id = ?", src.Name, src.Label, src.URL, src.ID)
	if err != nil {
		return fmt.Errorf("update source %d: %w", src.ID, c.d.MapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update source %d: %w", src.ID, store.ErrNotFound)
	}
	return nil
}
