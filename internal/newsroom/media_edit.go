package newsroom

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/story"
)

// cropPreview is one of the crops structured data and teasers use, shown
// so the editor sees what the focal point keeps.
type cropPreview struct {
	Ratio string
	URL   string
}

type mediaEditPage struct {
	Page
	Item   mediaItem
	Large  string
	Form   mediaForm
	Crops  []cropPreview
	Pick   picker
	Action string
}

func (s *Server) mediaEditPage(u store.User, m story.Media, pk picker) mediaEditPage {
	it := s.mediaItem(m, pk)
	p := mediaEditPage{Page: s.page(u, "Picture", "media"), Item: it, Large: media.Src(m.Image(), 960), Pick: pk,
		Action: it.EditURL,
		Form: mediaForm{Caption: m.Caption, Credit: m.Credit, Alt: m.Alt,
			FocalX: strconv.FormatFloat(m.FocalX, 'f', -1, 64), FocalY: strconv.FormatFloat(m.FocalY, 'f', -1, 64)}}
	w := min(640, m.Width)
	if !slices.Contains(media.Available(m.Width), w) {
		w = 0
	}
	for _, ratio := range media.Ratios {
		if w == 0 {
			break
		}
		// Crop URLs are cached as immutable; the focal point in the query
		// makes a moved point a new URL for the browser (the server
		// ignores the query).
		p.Crops = append(p.Crops, cropPreview{Ratio: strings.Replace(ratio, "x", ":", 1),
			URL: media.CropURL(m.Hash, w, ratio) + "?f=" + p.Form.FocalX + "," + p.Form.FocalY})
	}
	return p
}

// mediaEdit shows one picture with its words and focal point.
func (s *Server) mediaEdit(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.UploadMedia); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.store.Media(r.Context(), id)
	if err != nil {
		return err
	}
	p := s.mediaEditPage(u, m, readPicker(r.URL.Query()))
	switch r.URL.Query().Get("done") {
	case "uploaded":
		p.Flash = "Uploaded. Check the caption, credit, alt text and focal point."
	case "exists":
		p.Flash = "This picture is already in the library: here it is."
	case "saved":
		p.Flash = "Saved."
	}
	return s.render.Render(w, r, http.StatusOK, "media_edit", p)
}

// mediaUpdate saves caption, credit, alt text and focal point. Crops cut
// around the old focal point are dropped, so the next requests cut new ones.
func (s *Server) mediaUpdate(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.UploadMedia, 16<<10)
	if err != nil {
		return err
	}
	m, err := s.store.Media(r.Context(), id)
	if err != nil {
		return err
	}
	pk := readPicker(r.URL.Query())
	f := mediaForm{}
	for name, dst := range map[string]*string{"caption": &f.Caption, "credit": &f.Credit, "alt": &f.Alt, "focal_x": &f.FocalX, "focal_y": &f.FocalY} {
		*dst = strings.TrimSpace(r.PostForm.Get(name))
		if len(*dst) > mediaFields[name] {
			p := s.mediaEditPage(u, m, pk)
			p.Form, p.Error = f, "A field is too long."
			return s.render.Render(w, r, http.StatusBadRequest, "media_edit", p)
		}
	}
	fx, fy, ok := parseFocal(f.FocalX, f.FocalY)
	if !ok {
		p := s.mediaEditPage(u, m, pk)
		p.Form, p.Error = f, "The focal point is two numbers from 0 to 1 (0.5 and 0.5 is the middle)."
		return s.render.Render(w, r, http.StatusBadRequest, "media_edit", p)
	}
	moved := fx != m.FocalX || fy != m.FocalY
	m.Caption, m.Credit, m.Alt, m.FocalX, m.FocalY = f.Caption, f.Credit, f.Alt, fx, fy
	if err := s.store.UpdateMedia(r.Context(), m); err != nil {
		return err
	}
	if moved {
		if err := s.media.DropCrops(m.Hash); err != nil {
			s.log.WarnContext(r.Context(), "drop crops", "hash", m.Hash, "err", err)
		}
	}
	s.audit(r, u, "media_update", fmt.Sprintf("media:%d", id), "")
	return seeOther(w, r, s.mediaEditURL(id, pk, "saved"))
}
