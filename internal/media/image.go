package media

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/image/draw"
)

// decode sniffs, checks and decodes an upload, refusing with reasons the
// uploader can act on.
func decode(data []byte) (image.Image, error) {
	if len(data) == 0 {
		return nil, reject(ErrUnsupported, "not an image: the file is empty")
	}
	mime, _, _ := strings.Cut(http.DetectContentType(data), ";")
	var (
		decodeConfig func(io.Reader) (image.Config, error)
		decodeImage  func(io.Reader) (image.Image, error)
	)
	switch mime {
	case "image/jpeg":
		decodeConfig, decodeImage = jpeg.DecodeConfig, jpeg.Decode
	case "image/png":
		decodeConfig, decodeImage = png.DecodeConfig, png.Decode
	case "image/gif":
		// gif.Decode returns the first frame: an animation becomes a still.
		decodeConfig, decodeImage = gif.DecodeConfig, gif.Decode
	default:
		if strings.HasPrefix(mime, "image/") {
			return nil, reject(ErrUnsupported, "unsupported image type %s: upload a JPEG, PNG or GIF", mime)
		}
		return nil, reject(ErrUnsupported, "not an image: the file is %s", mime)
	}

	// The header alone tells the size, so an oversized picture is refused
	// before its pixels take memory.
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, reject(ErrUnsupported, "broken image: %v", err)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	img, err := decodeImage(bytes.NewReader(data))
	if err != nil {
		return nil, reject(ErrUnsupported, "broken image: %v", err)
	}
	if mime == "image/jpeg" {
		img = orient(img, exifOrientation(data))
	}
	return img, nil
}

// checkSize refuses pictures too small to use or too large to process.
func checkSize(w, h int) error {
	if w < MinSide || h < MinSide {
		return reject(ErrUnsupported, "image too small: %dx%d pixels; the minimum is %dx%d", w, h, MinSide, MinSide)
	}
	if int64(w)*int64(h) > MaxPixels {
		return reject(ErrUnsupported, "image too large: %dx%d pixels is %.0f megapixels; the limit is %d",
			w, h, float64(w)*float64(h)/1e6, MaxPixels/1_000_000)
	}
	return nil
}

// flatten lays a picture with transparency on white, as JPEG has no alpha
// and the encoder would otherwise turn transparent pixels black.
func flatten(img image.Image) image.Image {
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		return img
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Over)
	return dst
}

// derivativeWidths lists, widest first, the widths in Available(w) that
// must be scaled: a width equal to the original is the original itself.
func derivativeWidths(w int) []int {
	var out []int
	for _, a := range Available(w) {
		if a != w {
			out = append(out, a)
		}
	}
	slices.Reverse(out)
	return out
}

// resizeChain scales src to each of widths (widest first), keeping its
// aspect ratio. Each step starts from the previous result, which is the
// cheapest way to make them all; area averaging keeps every step
// alias-free however far it shrinks.
func resizeChain(src image.Image, widths []int) []*image.RGBA {
	b := src.Bounds()
	out := make([]*image.RGBA, len(widths))
	prev := src
	for i, w := range widths {
		h := max(1, int(math.Round(float64(b.Dy())*float64(w)/float64(b.Dx()))))
		out[i] = shrink(prev, w, h)
		prev = out[i]
	}
	return out
}
