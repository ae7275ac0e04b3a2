package media

import (
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Handler serves stored pictures at the URLs URL and CropURL make:
// GET /media/{hash}/{width}.jpg and GET /media/{hash}/{width}x{ratio}.jpg,
// the latter made on first request. Mount it on the full prefix, as in
// mux.Handle("GET /media/", store.Handler()).
//
// Names are checked against exactly those forms before the disk is
// touched, so there is no listing and no way out of the directory; any
// other path, a width not stored, or an unknown picture is a plain-text
// 404. Files are immutable, so they carry a year-long cache lifetime and
// an ETag that answers If-None-Match with 304.
func (s *Store) Handler() http.Handler {
	return http.HandlerFunc(s.serve)
}

func (s *Store) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	hash, name, ok := parsePath(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	width, ratio, _ := parseFile(name)

	path := filepath.Join(s.pictureDir(hash), name)
	if ratio != "" {
		if _, err := os.Stat(path); err != nil {
			if path, ok = s.serveCrop(w, r, hash, width, ratio); !ok {
				return
			}
		}
	}

	f, err := os.Open(path)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/jpeg")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+hash+"-"+strings.TrimSuffix(name, ".jpg")+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	// ServeContent answers If-None-Match against the ETag set above, as
	// well as HEAD and Range requests.
	http.ServeContent(w, r, "", info.ModTime(), f)
}

// serveCrop makes a crop on first request. When it cannot, it writes the
// error response and reports false.
func (s *Store) serveCrop(w http.ResponseWriter, r *http.Request, hash string, width int, ratio string) (string, bool) {
	fx, fy := 0.5, 0.5
	if s.Focus != nil {
		var err error
		if fx, fy, err = s.Focus(r.Context(), hash); err != nil {
			slog.ErrorContext(r.Context(), "media: focal point", "hash", hash, "err", err)
			http.Error(w, "internal server error", http.StatusInternalServerError)
			return "", false
		}
	}
	path, err := s.Crop(hash, width, ratio, fx, fy)
	switch {
	case errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnsupported):
		http.NotFound(w, r)
		return "", false
	case err != nil:
		slog.ErrorContext(r.Context(), "media: crop", "hash", hash, "width", width, "ratio", ratio, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return "", false
	}
	return path, true
}

// parsePath splits /media/{hash}/{file} and checks both parts.
func parsePath(p string) (hash, file string, ok bool) {
	rest, ok := strings.CutPrefix(p, "/media/")
	if !ok {
		return "", "", false
	}
	hash, file, ok = strings.Cut(rest, "/")
	if !ok || !validHash(hash) {
		return "", "", false
	}
	if _, _, ok := parseFile(file); !ok {
		return "", "", false
	}
	return hash, file, true
}

// parseFile checks a file name is "{width}.jpg" or "{width}x{ratio}.jpg"
// with a canonical decimal width (no sign or leading zero, so one picture
// has one URL per size) and a ratio from Ratios.
func parseFile(name string) (width int, ratio string, ok bool) {
	base, ok := strings.CutSuffix(name, ".jpg")
	if !ok {
		return 0, "", false
	}
	digits, ratio, isCrop := strings.Cut(base, "x")
	if len(digits) == 0 || len(digits) > 5 || digits[0] == '0' {
		return 0, "", false
	}
	for i := range len(digits) {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, "", false
		}
	}
	width, err := strconv.Atoi(digits)
	if err != nil {
		return 0, "", false
	}
	if isCrop {
		if _, _, ok := ratioSides(ratio); !ok {
			return 0, "", false
		}
	}
	return width, ratio, true
}
