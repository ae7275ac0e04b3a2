package site

import (
	"html/template"
	"time"

	"dateline/internal/i18n"
	"dateline/internal/media"
	"dateline/internal/story"
)

// pageNames are the page templates; each is parsed together with
// layout.html into its own set, once, at start.
var pageNames = []string{"front", "list", "page", "form", "message", "search"}

// funcs are the template functions; they close over the site's fixed
// settings (language, time zone, assets), which never change at run time.
func (s *Server) funcs() template.FuncMap {
	cat, loc := s.cat, s.cfg.Location
	return template.FuncMap{
		"t":  cat.T,
		"tf": cat.Tf,
		"asset": func(name string) (string, error) {
			return s.assets.URL(name)
		},
		"src": func(img *story.Image, want int) string { return media.Src(img, want) },
		"srcset": func(img *story.Image) string {
			return media.Srcset(img)
		},
		"pic": func(img *story.Image, want int, sizes string, lazy bool) picArgs {
			return picArgs{Img: img, Want: want, Sizes: sizes, Lazy: lazy}
		},
		"teaser": func(st story.Summary, lazy bool) teaserArgs {
			return teaserArgs{Story: &st, Lazy: lazy}
		},
		"field": func(name, label, typ, value, errMsg, autocomplete, hint string) fieldArgs {
			return fieldArgs{Name: name, Label: label, Type: typ, Value: value, Error: errMsg, Autocomplete: autocomplete, Hint: hint}
		},
		"date":          func(t time.Time) string { return cat.Date(t.In(loc)) },
		"datetimeHuman": func(t time.Time) string { return cat.DateTime(t.In(loc)) },
		"datetime":      func(t time.Time) string { return t.In(loc).Format(time.RFC3339) },
		"typeLabel":     s.typeLabel,
		"dir":           story.Dir,
		"inc":           func(i int) int { return i + 1 },
		"absURL":        func(p string) string { return s.cfg.BaseURL + p },
	}
}

func (s *Server) typeLabel(t story.Type) string {
	switch t {
	case story.TypeOpinion:
		return s.cat.T("type_opinion")
	case story.TypeAnalysis:
		return s.cat.T("type_analysis")
	}
	return ""
}

// teaserArgs is what the "teaser" template takes: a story and whether its
// picture may wait until it nears the viewport (every teaser but the first
// on a list page, where the first is usually on screen at once).
type teaserArgs struct {
	Story *story.Summary
	Lazy  bool
}

type picArgs struct {
	Img   *story.Image
	Want  int
	Sizes string
	Lazy  bool
}

type fieldArgs struct {
	Name, Label, Type, Value, Error, Autocomplete, Hint string
}

// Catalog is unused here but keeps the import honest for future per-page words.
var _ = i18n.For
