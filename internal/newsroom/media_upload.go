package newsroom

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/media"
	"dateline/internal/store"
	"dateline/internal/story"
)

// maxUpload is the largest picture accepted, checked on the bytes received.
const maxUpload = 15 << 20

// mediaFields are the upload form's text fields and their length limits.
var mediaFields = map[string]int{"caption": 1000, "credit": 200, "alt": 500, "focal_x": 20, "focal_y": 20}

// mediaUpload stores an uploaded picture and records it in the library.
// The type is read from the content (media.Put), never the file name; the
// size limit applies to the bytes, however the browser labels them. The
// form is read as a stream, so nothing is spooled to temporary files.
func (s *Server) mediaUpload(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.UploadMedia); err != nil {
		return err
	}
	pk := readPicker(r.URL.Query())
	p, err := s.mediaListPage(r, u, pk)
	if err != nil {
		return err
	}
	fail := func(status int, msg string) error {
		p.Error = msg
		return s.render.Render(w, r, status, "media_list", p)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return fail(http.StatusBadRequest, "The upload could not be read: send the form with a file.")
	}
	vals := map[string]string{}
	var data []byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(uploadStatus(err), uploadMessage(err))
		}
		name := part.FormName()
		switch limit, ok := mediaFields[name]; {
		case name == "file" && data == nil:
			if data, err = readPart(part, maxUpload); err != nil {
				return fail(uploadStatus(err), uploadMessage(err))
			}
		case ok:
			b, err := readPart(part, int64(limit))
			if err != nil {
				return fail(http.StatusBadRequest, "A field of the form is too long.")
			}
			vals[name] = strings.TrimSpace(string(b))
		}
		part.Close()
	}
	p.Form = mediaForm{Caption: vals["caption"], Credit: vals["credit"], Alt: vals["alt"], FocalX: vals["focal_x"], FocalY: vals["focal_y"]}
	fx, fy, ok := parseFocal(p.Form.FocalX, p.Form.FocalY)
	if !ok {
		return fail(http.StatusBadRequest, "The focal point is two numbers from 0 to 1 (0.5 and 0.5 is the middle).")
	}
	if len(data) == 0 {
		return fail(http.StatusBadRequest, "Choose a picture to upload (JPEG, PNG or GIF).")
	}
	m, err := s.media.Put(bytes.NewReader(data), maxUpload)
	if err != nil {
		return fail(uploadStatus(err), uploadMessage(err))
	}
	m.Caption, m.Credit, m.Alt, m.FocalX, m.FocalY = p.Form.Caption, p.Form.Credit, p.Form.Alt, fx, fy
	id, existed, err := s.keepPicture(r, u, m)
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	if existed {
		return seeOther(w, r, s.mediaEditURL(id, pk, "exists"))
	}
	return seeOther(w, r, s.mediaEditURL(id, pk, "uploaded"))
}

// keepPicture records a picture u uploaded, whose files media.Put has
// written. The same picture uploaded again is the same library item
// (existed): the files are named by content, and one record keeps its
// words in one place. A new item goes in the audit log. If its record
// cannot be written, the files go too, so nothing half-written remains.
func (s *Server) keepPicture(r *http.Request, u store.User, m story.Media) (id int64, existed bool, err error) {
	ctx := r.Context()
	if old, err := s.store.MediaByHash(ctx, m.Hash); err == nil {
		return old.ID, true, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, false, err
	}
	id, err = s.store.CreateMedia(ctx, m)
	if err != nil {
		// Unless the same picture was recorded meanwhile by another upload.
		if _, found := s.store.MediaByHash(ctx, m.Hash); errors.Is(found, store.ErrNotFound) {
			if rmErr := s.media.Remove(m.Hash); rmErr != nil {
				s.log.WarnContext(ctx, "remove unrecorded upload", "hash", m.Hash, "err", rmErr)
			}
		}
		return 0, false, err
	}
	s.audit(r, u, "media_upload", fmt.Sprintf("media:%d", id), fmt.Sprintf("%dx%d %s", m.Width, m.Height, m.Hash))
	return id, false, nil
}

func (s *Server) mediaEditURL(id int64, pk picker, done string) string {
	u := "/newsroom/media/" + strconv.FormatInt(id, 10) + "?done=" + done
	if q := pk.Query(); q != "" {
		u += "&" + q
	}
	return u
}

// readPart reads a form part of at most limit bytes, failing with an
// error wrapping media.ErrTooLarge past it.
func readPart(part *multipart.Part, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(part, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("upload: %w", media.ErrTooLarge)
	}
	return b, nil
}

// parseFocal reads a focal point; empty fields mean the middle.
func parseFocal(xs, ys string) (float64, float64, bool) {
	parse := func(s string) (float64, bool) {
		if s == "" {
			return 0.5, true
		}
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil && v >= 0 && v <= 1
	}
	x, okX := parse(xs)
	y, okY := parse(ys)
	return x, y, okX && okY
}

// uploadStatus and uploadMessage turn an upload failure into what the
// uploader sees. media's refusals carry their own words, safe to show.
func uploadStatus(err error) int {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, media.ErrTooLarge) || errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, media.ErrUnsupported):
		return http.StatusUnsupportedMediaType
	}
	return http.StatusBadRequest
}

func uploadMessage(err error) string {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, media.ErrTooLarge) || errors.As(err, &mbe):
		return fmt.Sprintf("The picture was refused: the file is larger than the %d MB limit.", maxUpload>>20)
	case errors.Is(err, media.ErrUnsupported):
		return "The picture was refused: " + err.Error() + ". Upload a JPEG, PNG or GIF."
	}
	return "The upload could not be read. Try again."
}
