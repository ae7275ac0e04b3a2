package site

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"dateline/internal/i18n"
	"dateline/internal/media"
	"dateline/internal/story"
)

// pageNames are the page templates; each is parsed together with
// layout.html into its own set, once, at start.
var pageNames = []string{"front", "list", "story", "page", "form", "message", "search"}

// Renderer executes the parsed templates.
type Renderer struct {
	sets map[string]*template.Template
	bufs sync.Pool
	gzs  sync.Pool
}

func newRenderer(fsys fs.FS, funcs template.FuncMap) (*Renderer, error) {
	r := &Renderer{sets: map[string]*template.Template{}}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	r.gzs.New = func() any {
		zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
		return zw
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(fsys, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	for _, name := range pageNames {
		set, err := template.Must(base.Clone()).ParseFS(fsys, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse templates: %w", err)
		}
		if set.Lookup("main") == nil {
			return nil, fmt.Errorf("parse templates: %s.html defines no \"main\"", name)
		}
		r.sets[name] = set
	}
	return r, nil
}

// render writes the page with the status, rendering into a buffer first so
// a template error becomes a clean 500 instead of half a page.
func (r *Renderer) render(w http.ResponseWriter, req *http.Request, status int, name string, data any) error {
	set, ok := r.sets[name]
	if !ok {
		return fmt.Errorf("render: no template %q", name)
	}
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer r.bufs.Put(buf)
	if err := set.ExecuteTemplate(buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	body := buf.Bytes()
	if acceptsGzip(req) {
		zbuf := r.bufs.Get().(*bytes.Buffer)
		zbuf.Reset()
		defer r.bufs.Put(zbuf)
		zw := r.gzs.Get().(*gzip.Writer)
		zw.Reset(zbuf)
		zw.Write(body)
		zw.Close()
		r.gzs.Put(zw)
		body = zbuf.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if req.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(body)
	if err != nil {
		slog.Debug("write response", "err", err)
	}
	return nil
}

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
