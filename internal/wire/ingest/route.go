package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/wire"
)

// route is where an item goes and whether it goes out at once.
type route struct {
	section story.Section
	publish bool
	rule    int64 // the rule that matched, 0 when none did
}

// loadRouting reads the rules and the sources' default sections.
func (im *Importer) loadRouting(ctx context.Context) error {
	var err error
	if im.routes, err = im.o.Store.WireRoutes(ctx); err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	if im.defaults, err = im.o.Store.WireSourceSections(ctx); err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	for _, r := range im.routes {
		if strings.TrimSpace(r.Keyword) != "" {
			im.needText = true
		}
	}
	return nil
}

// route decides an item's section and whether it is published, in this
// order (doc.go): the first rule that matches; the source's default
// section; a section one of the item's subjects names; --section; the
// first section. Without a rule the item is published when
// Options.PublishUnrouted says so; Options.Publish publishes it whatever
// the rule says.
func (im *Importer) route(ctx context.Context, it *wire.Item, src story.Source) (route, error) {
	text := ""
	if im.needText {
		text = itemText(it)
	}
	for _, r := range im.routes {
		if !matches(r, it, src.ID, text) {
			continue
		}
		for _, sec := range im.sections {
			if sec.ID == r.SectionID {
				return route{section: sec, publish: r.Publish || im.o.Publish, rule: r.ID}, nil
			}
		}
	}
	rt := route{section: im.def, publish: im.o.Publish || im.o.PublishUnrouted}
	if name := im.defaults[src.ID]; name != "" {
		sec, err := im.ensureSection(ctx, name)
		if err == nil {
			rt.section = sec
			return rt, nil
		}
		if !errors.Is(err, store.ErrInvalid) {
			return rt, err
		}
		// A name no address can be made of: the fallbacks below apply.
	}
	rt.section = im.section(it.Subjects)
	return rt, nil
}

// matches reports whether every condition r sets holds for the item.
func matches(r store.WireRoute, it *wire.Item, sourceID int64, text string) bool {
	if r.SourceID != 0 && r.SourceID != sourceID {
		return false
	}
	if s := strings.TrimSpace(r.Subject); s != "" && !hasSubject(it, s) {
		return false
	}
	if k := strings.TrimSpace(r.Keyword); k != "" && !hasWords(text, strings.ToLower(k)) {
		return false
	}
	return true
}

// hasSubject reports whether one of the item's subject codes is code
// (or starts with it, when it ends in *), or one of its subject names
// is it, whatever the case.
func hasSubject(it *wire.Item, code string) bool {
	if prefix, ok := strings.CutSuffix(code, "*"); ok {
		prefix = strings.ToLower(wire.CodeOf(prefix))
		for _, c := range it.SubjectCodes {
			if prefix != "" && strings.HasPrefix(strings.ToLower(c), prefix) {
				return true
			}
		}
		return false
	}
	q := wire.CodeOf(code)
	for _, c := range it.SubjectCodes {
		if strings.EqualFold(c, q) {
			return true
		}
	}
	for _, s := range it.Subjects {
		if strings.EqualFold(s, code) {
			return true
		}
	}
	return false
}

// itemText is what keyword rules look in, lower case: the headline, the
// standfirst, the body and the keywords, each on its own line.
func itemText(it *wire.Item) string {
	var b strings.Builder
	for _, s := range []string{it.Headline, it.Subheadline, story.BodyText(it.Body), strings.Join(it.Keywords, "\n")} {
		b.WriteString(strings.ToLower(s))
		b.WriteByte('\n')
	}
	return b.String()
}

// hasWords reports whether text holds kw as whole words: "port" is in
// "the port reopened" but not in "reported".
func hasWords(text, kw string) bool {
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], kw)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(kw)
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (i == 0 || !wordRune(before)) && (end == len(text) || !wordRune(after)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		from = i + size
	}
	return false
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// ensureSection returns the section with name's slug, creating it (at
// the end of the navigation) when there is none yet.
func (im *Importer) ensureSection(ctx context.Context, name string) (story.Section, error) {
	slug := story.Slugify(name, 60)
	if slug == "" {
		return story.Section{}, fmt.Errorf("ingest: default section %q: %w: no address can be made of it", name, store.ErrInvalid)
	}
	for _, sec := range im.sections {
		if sec.Slug == slug {
			return sec, nil
		}
	}
	sec, err := im.o.Store.SectionBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		sec = story.Section{Slug: slug, Name: strings.TrimSpace(name)}
		for _, s := range im.sections {
			sec.Position = max(sec.Position, s.Position+1)
		}
		sec.ID, err = im.o.Store.CreateSection(ctx, sec)
		if errors.Is(err, store.ErrConflict) { // made meanwhile by another import
			sec, err = im.o.Store.SectionBySlug(ctx, slug)
		}
	}
	if err != nil {
		return story.Section{}, fmt.Errorf("ingest: default section %q: %w", name, err)
	}
	im.sections = append(im.sections, sec)
	return sec, nil
}
