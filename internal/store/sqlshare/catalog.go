package sqlshare

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"dateline/internal/store"
	"dateline/internal/story"
)

// Sections returns all sections in display order.
func (c *Core) Sections(ctx context.Context) ([]story.Section, error) {
	rows, err := c.d.Read(ctx, "SELECT id, slug, name, description, position FROM sections ORDER BY position, name")
	if err != nil {
		return nil, fmt.Errorf("sections: %w", err)
	}
	defer rows.Close()
	var out []story.Section
	for rows.Next() {
		var sec story.Section
		if err := rows.Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position); err != nil {
			return nil, fmt.Errorf("sections: %w", err)
		}
		out = append(out, sec)
	}
	return out, rows.Err()
}

// SectionBySlug returns store.ErrNotFound when no section has that slug.
func (c *Core) SectionBySlug(ctx context.Context, slug string) (story.Section, error) {
	var sec story.Section
	err := c.d.ReadRow(ctx, "SELECT id, slug, name, description, position FROM sections WHERE slug = ?", slug).
		Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position)
	if err != nil {
		return sec, fmt.Errorf("section %q: %w", slug, c.d.MapErr(err))
	}
	return sec, nil
}

// CreateSection inserts sec; store.ErrConflict when the slug exists.
func (c *Core) CreateSection(ctx context.Context, sec story.Section) (int64, error) {
	if !story.ValidSlug(sec.Slug) || sec.Name == "" {
		return 0, fmt.Errorf("create section %q: %w: needs a name and a slug of a-z, 0-9 and -", sec.Slug, store.ErrInvalid)
	}
	id, err := InsertID(ctx, c.d, c.db, "INSERT INTO sections (slug, name, description, position) VALUES (?, ?, ?, ?)",
		sec.Slug, sec.Name, sec.Description, sec.Position)
	if err != nil {
		return 0, fmt.Errorf("create section %q: %w", sec.Slug, c.d.MapErr(err))
	}
	return id, nil
}

const authorCols = `a.id, a.slug, a.name, a.role, a.bio, m.id, m.hash, m.width, m.height, m.alt
	FROM authors a LEFT JOIN media m ON m.id = a.portrait_media_id`

func scanAuthor(sc interface{ Scan(...any) error }) (story.Author, error) {
	var a story.Author
	var mid, mw, mh sql.NullInt64
	var mhash, malt sql.NullString
	if err := sc.Scan(&a.ID, &a.Slug, &a.Name, &a.Role, &a.Bio, &mid, &mhash, &mw, &mh, &malt); err != nil {
		return a, err
	}
	if mid.Valid {
		a.Portrait = &story.Image{MediaID: mid.Int64, Hash: mhash.String, Width: int(mw.Int64), Height: int(mh.Int64), Alt: malt.String}
	}
	return a, nil
}

// AuthorBySlug returns store.ErrNotFound when no author has that slug.
func (c *Core) AuthorBySlug(ctx context.Context, slug string) (story.Author, error) {
	a, err := scanAuthor(c.d.ReadRow(ctx, "SELECT "+authorCols+" WHERE a.slug = ?", slug))
	if err != nil {
		return a, fmt.Errorf("author %q: %w", slug, c.d.MapErr(err))
	}
	return a, nil
}

// Authors returns every staff author, by name.
func (c *Core) Authors(ctx context.Context) ([]story.Author, error) {
	rows, err := c.d.Read(ctx, "SELECT "+authorCols+" ORDER BY a.name")
	if err != nil {
		return nil, fmt.Errorf("authors: %w", err)
	}
	defer rows.Close()
	var out []story.Author
	for rows.Next() {
		a, err := scanAuthor(rows)
		if err != nil {
			return nil, fmt.Errorf("authors: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateAuthor inserts a; store.ErrConflict when the slug exists.
func (c *Core) CreateAuthor(ctx context.Context, a story.Author) (int64, error) {
	if !story.ValidSlug(a.Slug) || a.Name == "" {
		return 0, fmt.Errorf("create author %q: %w: needs a name and a slug of a-z, 0-9 and -", a.Slug, store.ErrInvalid)
	}
	var portrait sql.NullInt64
	if a.Portrait != nil {
		portrait = sql.NullInt64{Int64: a.Portrait.MediaID, Valid: true}
	}
	id, err := InsertID(ctx, c.d, c.db, "INSERT INTO authors (slug, name, role, bio, portrait_media_id) VALUES (?, ?, ?, ?, ?)",
		a.Slug, a.Name, a.Role, a.Bio, portrait)
	if err != nil {
		return 0, fmt.Errorf("create author %q: %w", a.Slug, c.d.MapErr(err))
	}
	return id, nil
}

// TagBySlug returns store.ErrNotFound when no tag has that slug.
func (c *Core) TagBySlug(ctx context.Context, slug string) (story.Tag, error) {
	var t story.Tag
	err := c.d.ReadRow(ctx, "SELECT id, slug, name FROM tags WHERE slug = ?", slug).Scan(&t.ID, &t.Slug, &t.Name)
	if err != nil {
		return t, fmt.Errorf("tag %q: %w", slug, c.d.MapErr(err))
	}
	return t, nil
}

// EnsureTag returns the tag whose slug the name makes, creating it if needed.
func (c *Core) EnsureTag(ctx context.Context, name string) (story.Tag, error) {
	return ensureTag(ctx, c.d, c.db, name)
}

// ensureTag is EnsureTag on q, which may be the transaction saving a story.
// EnsureTagIn is EnsureTag inside a transaction or on a connection the
// caller holds (the bulk loader's).
func EnsureTagIn(ctx context.Context, d Dialect, q Querier, name string) (story.Tag, error) {
	return ensureTag(ctx, d, q, name)
}

func ensureTag(ctx context.Context, d Dialect, q Querier, name string) (story.Tag, error) {
	t := story.Tag{Name: name, Slug: story.TagSlug(name)}
	if t.Slug == "" {
		return t, fmt.Errorf("tag %q: %w: the name has no letters or digits a URL can carry", name, store.ErrInvalid)
	}
	// The no-op update makes RETURNING yield the existing row on conflict.
	err := QueryRow(ctx, d, q, `INSERT INTO tags (slug, name) VALUES (?, ?)
		ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id, name`, t.Slug, t.Name).Scan(&t.ID, &t.Name)
	if err != nil {
		return t, fmt.Errorf("tag %q: %w", name, d.MapErr(err))
	}
	return t, nil
}

// SourceCols selects a source, for scanning in the order of story.Source.
const SourceCols = "id, slug, name, label, url FROM sources"

// SourceBySlug returns store.ErrNotFound when no source has that slug.
func (c *Core) SourceBySlug(ctx context.Context, slug string) (story.Source, error) {
	var src story.Source
	err := c.d.ReadRow(ctx, "SELECT "+SourceCols+" WHERE slug = ?", slug).
		Scan(&src.ID, &src.Slug, &src.Name, &src.Label, &src.URL)
	if err != nil {
		return src, fmt.Errorf("source %q: %w", slug, c.d.MapErr(err))
	}
	return src, nil
}

// EnsureSource returns the source whose slug src.Label makes, creating it
// (with src's name and URL) if needed.
func (c *Core) EnsureSource(ctx context.Context, src story.Source) (story.Source, error) {
	if src.Slug == "" {
		src.Slug = story.Slugify(src.Label, 60)
	}
	if src.Slug == "" || src.Label == "" {
		return src, fmt.Errorf("source %q: %w: needs a label with letters or digits", src.Label, store.ErrInvalid)
	}
	if src.Name == "" {
		src.Name = src.Label
	}
	err := c.d.ReadRow(ctx, `INSERT INTO sources (slug, name, label, url) VALUES (?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id, slug, name, label, url`,
		src.Slug, src.Name, src.Label, src.URL).Scan(&src.ID, &src.Slug, &src.Name, &src.Label, &src.URL)
	if err != nil {
		return src, fmt.Errorf("source %q: %w", src.Label, c.d.MapErr(err))
	}
	return src, nil
}

// CreateMedia records a stored picture and returns its id.
func (c *Core) CreateMedia(ctx context.Context, m story.Media) (int64, error) {
	if m.Created.IsZero() {
		m.Created = c.now()
	}
	id, err := InsertID(ctx, c.d, c.db, `INSERT INTO media (hash, mime, width, height, bytes, caption, credit, alt, focal_x, focal_y, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Hash, m.Mime, m.Width, m.Height, m.Bytes, m.Caption, m.Credit, m.Alt, m.FocalX, m.FocalY, Micro(m.Created))
	if err != nil {
		return 0, fmt.Errorf("create media %s: %w", m.Hash, c.d.MapErr(err))
	}
	return id, nil
}

// Media returns store.ErrNotFound when no picture has that id.
func (c *Core) Media(ctx context.Context, id int64) (story.Media, error) {
	var m story.Media
	var created int64
	err := c.d.ReadRow(ctx, `SELECT id, hash, mime, width, height, bytes, caption, credit, alt, focal_x, focal_y, created_at
		FROM media WHERE id = ?`, id).Scan(&m.ID, &m.Hash, &m.Mime, &m.Width, &m.Height, &m.Bytes,
		&m.Caption, &m.Credit, &m.Alt, &m.FocalX, &m.FocalY, &created)
	if err != nil {
		return m, fmt.Errorf("media %d: %w", id, c.d.MapErr(err))
	}
	m.Created = time.UnixMicro(created).UTC()
	return m, nil
}

// AddMessage stores a reader's message and returns its id.
func (c *Core) AddMessage(ctx context.Context, m store.Message) (int64, error) {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = c.now()
	}
	id, err := InsertID(ctx, c.d, c.db, `INSERT INTO messages (kind, name, email, subject, body, page, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, m.Kind, m.Name, m.Email, m.Subject, m.Body, m.Page, Micro(m.CreatedAt))
	if err != nil {
		return 0, fmt.Errorf("add message: %w", c.d.MapErr(err))
	}
	return id, nil
}

// Messages returns the newest messages first.
func (c *Core) Messages(ctx context.Context, limit int) ([]store.Message, error) {
	rows, err := c.d.Read(ctx, `SELECT id, kind, name, email, subject, body, page, created_at, handled_at
		FROM messages ORDER BY created_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	out, err := ScanMessages(rows)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	return out, nil
}

// Setting returns a site setting, or store.ErrNotFound.
func (c *Core) Setting(ctx context.Context, key string) (string, error) {
	var v string
	if err := c.d.ReadRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v); err != nil {
		return "", fmt.Errorf("setting %q: %w", key, c.d.MapErr(err))
	}
	return v, nil
}

// SetSetting stores a site setting.
func (c *Core) SetSetting(ctx context.Context, key, value string) error {
	_, err := Exec(ctx, c.d, c.db, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("set setting %q: %w", key, c.d.MapErr(err))
	}
	return nil
}

// scanMessages reads rows of id, kind, name, email, subject, body, page,
// created_at, handled_at, and closes them.
// ScanMessages reads the rows of a message query.
func ScanMessages(rows *sql.Rows) ([]store.Message, error) {
	defer rows.Close()
	var out []store.Message
	for rows.Next() {
		var m store.Message
		var at int64
		var handled sql.NullInt64
		if err := rows.Scan(&m.ID, &m.Kind, &m.Name, &m.Email, &m.Subject, &m.Body, &m.Page, &at, &handled); err != nil {
			return nil, err
		}
		m.CreatedAt, m.HandledAt = time.UnixMicro(at).UTC(), FromMicro(handled)
		out = append(out, m)
	}
	return out, rows.Err()
}
