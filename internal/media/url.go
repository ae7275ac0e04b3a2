package media

import (
	"slices"
	"strconv"
	"strings"

	"dateline/internal/story"
)

// Widths are the derivative widths served in srcset, narrowest first.
// Treat it as a constant: stored files are named after these numbers.
var Widths = []int{320, 640, 960, 1280, 1600}

// Ratios are the aspect ratios Crop makes, as they appear in crop URLs.
var Ratios = []string{"16x9", "4x3", "1x1"}

// URL is the path where the derivative of the given width is served.
func URL(hash string, width int) string {
	return "/media/" + hash + "/" + strconv.Itoa(width) + ".jpg"
}

// CropURL is the path where the crop of the given width and ratio (one of
// Ratios) is served; the Handler makes it on first request.
func CropURL(hash string, width int, ratio string) string {
	return "/media/" + hash + "/" + strconv.Itoa(width) + "x" + ratio + ".jpg"
}

// Available returns, narrowest first, the widths stored for a picture w
// pixels wide: the entries of Widths up to w, plus w itself when it is
// narrower than the widest entry and not already one of them. Nothing is
// ever wider than the original.
func Available(w int) []int {
	if w <= 0 {
		return nil
	}
	var out []int
	for _, x := range Widths {
		if x <= w {
			out = append(out, x)
		}
	}
	if w < Widths[len(Widths)-1] && !slices.Contains(Widths, w) {
		out = append(out, w)
	}
	return out
}

// Srcset is the srcset attribute value for img, "URL 320w, URL 640w, …",
// or "" when img is nil or has no picture.
func Srcset(img *story.Image) string {
	if img == nil || img.Hash == "" {
		return ""
	}
	var b strings.Builder
	for i, w := range Available(img.Width) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(URL(img.Hash, w))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(w))
		b.WriteByte('w')
	}
	return b.String()
}

// Src is the URL of the narrowest stored width of img that is at least
// want pixels wide, or of the widest when none is, for the src attribute
// that browsers without srcset use. It is "" when img is nil or has no
// picture.
func Src(img *story.Image, want int) string {
	if img == nil || img.Hash == "" {
		return ""
	}
	avail := Available(img.Width)
	if len(avail) == 0 {
		return ""
	}
	for _, w := range avail {
		if w >= want {
			return URL(img.Hash, w)
		}
	}
	return URL(img.Hash, avail[len(avail)-1])
}

// ratioSides returns the sides of a ratio named in Ratios.
func ratioSides(name string) (w, h int, ok bool) {
	switch name {
	case "16x9":
		return 16, 9, true
	case "4x3":
		return 4, 3, true
	case "1x1":
		return 1, 1, true
	}
	return 0, 0, false
}
