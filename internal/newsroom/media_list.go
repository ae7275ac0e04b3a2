package newsroom

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/story"
)

func init() {
	routeAdders = append(routeAdders, (*Server).mediaRoutes)
	extraPages = append(extraPages, "media_list", "media_edit")
}

// mediaRoutes are the media library: every role may upload and describe
// pictures (auth.UploadMedia).
func (s *Server) mediaRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/media", s.user(s.mediaList))
	mux.HandleFunc("POST /newsroom/media", s.user(s.mediaUpload))
	mux.HandleFunc("GET /newsroom/media/{id}", s.user(s.mediaEdit))
	mux.HandleFunc("POST /newsroom/media/{id}", s.user(s.mediaUpdate))
}

// mediaPageSize is how many pictures the grid shows; search finds older ones.
const mediaPageSize = 60

// picker is the library's picking mode: opened from the story editor
// with ?pick=lead&story=ID, each picture offers to become that story's
// lead image (a link back to the editor with ?lead=MEDIAID).
type picker struct {
	Kind    string // "lead", or "" when not picking
	StoryID int64
}

func readPicker(q url.Values) picker {
	id, err := strconv.ParseInt(q.Get("story"), 10, 64)
	if q.Get("pick") != "lead" || err != nil || id <= 0 {
		return picker{}
	}
	return picker{Kind: "lead", StoryID: id}
}

// Query is the picker's part of a library URL: "" or "pick=lead&story=ID".
func (p picker) Query() string {
	if p.Kind == "" {
		return ""
	}
	return "pick=" + p.Kind + "&story=" + strconv.FormatInt(p.StoryID, 10)
}

// UseURL is where choosing picture m leads in the editor.
func (p picker) UseURL(m story.Media) string {
	if p.Kind == "" {
		return ""
	}
	return fmt.Sprintf("/newsroom/stories/%d?lead=%d", p.StoryID, m.ID)
}

// mediaItem is a picture as the grid shows it.
type mediaItem struct {
	story.Media
	Thumb   string
	Srcset  string
	EditURL string
	UseURL  string
}

func (s *Server) mediaItem(m story.Media, pk picker) mediaItem {
	img := m.Image()
	it := mediaItem{Media: m, Thumb: media.Src(img, 320), Srcset: media.Srcset(img), UseURL: pk.UseURL(m),
		EditURL: "/newsroom/media/" + strconv.FormatInt(m.ID, 10)}
	if q := pk.Query(); q != "" {
		it.EditURL += "?" + q
	}
	return it
}

// mediaForm is the upload form's words, kept to fill it again on error.
type mediaForm struct {
	Caption string
	Credit  string
	Alt     string
	FocalX  string
	FocalY  string
}

type mediaListPage struct {
	Page
	Query     string
	Items     []mediaItem
	More      bool // the grid is cut at mediaPageSize
	Pick      picker
	UploadURL string
	Form      mediaForm
	MaxMB     int
}

func (s *Server) mediaListPage(r *http.Request, u store.User, pk picker) (mediaListPage, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	p := mediaListPage{Page: s.page(u, "Media library", "media"), Query: q, Pick: pk, UploadURL: "/newsroom/media",
		Form: mediaForm{FocalX: "0.5", FocalY: "0.5"}, MaxMB: maxUpload >> 20}
	if pq := pk.Query(); pq != "" {
		p.UploadURL += "?" + pq
		p.Title = "Choose a lead image"
	}
	list, err := s.store.MediaLibrary(r.Context(), q, mediaPageSize+1)
	if err != nil {
		return p, err
	}
	if len(list) > mediaPageSize {
		list, p.More = list[:mediaPageSize], true
	}
	for _, m := range list {
		p.Items = append(p.Items, s.mediaItem(m, pk))
	}
	return p, nil
}

// mediaList is the library: an upload form and a grid of pictures,
// newest first, searchable by caption, credit and alt text.
func (s *Server) mediaList(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.UploadMedia); err != nil {
		return err
	}
	p, err := s.mediaListPage(r, u, readPicker(r.URL.Query()))
	if err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "media_list", p)
}
