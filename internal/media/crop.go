package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/image/draw"
)

// Crop returns the path of a crop of picture hash at ratio (one of Ratios)
// and width w, cut as large as the picture allows around the focal point
// (fractions of the width and height, as in story.Media). It is made on
// first call and kept beside the derivatives; later calls return the
// kept file whatever focal point they pass, until DropCrops. w must be
// one of Widths no wider than the original, or the original's width. It
// returns ErrNotFound for an unknown picture and ErrUnsupported for a
// ratio or width it does not make.
func (s *Store) Crop(hash string, w int, ratio string, focalX, focalY float64) (string, error) {
	if !validHash(hash) {
		return "", fmt.Errorf("media: crop %q: %w", hash, ErrNotFound)
	}
	rw, rh, ok := ratioSides(ratio)
	if !ok {
		return "", fmt.Errorf("media: crop %s: %w", hash, reject(ErrUnsupported, "no crop at ratio %q; use one of %s", ratio, strings.Join(Ratios, ", ")))
	}
	dir := s.pictureDir(hash)
	path := filepath.Join(dir, strconv.Itoa(w)+"x"+ratio+".jpg")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}

	cfg, err := readConfig(filepath.Join(dir, origName))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("media: crop %s: %w", hash, ErrNotFound)
	} else if err != nil {
		return "", fmt.Errorf("media: crop %s: %w", hash, err)
	}
	if w != cfg.Width && (!slices.Contains(Widths, w) || w > cfg.Width) {
		return "", fmt.Errorf("media: crop %s: %w", hash, reject(ErrUnsupported, "no %d-pixel crop of a %d-pixel picture", w, cfg.Width))
	}

	region := cropRegion(cfg.Width, cfg.Height, rw, rh, focalX, focalY)
	src, err := readJPEG(filepath.Join(dir, cropSource(cfg.Width, region.Dx(), w)))
	if err != nil {
		return "", fmt.Errorf("media: crop %s: %w", hash, err)
	}
	// Map the region from the original's pixels to the source's.
	k := float64(src.Bounds().Dx()) / float64(cfg.Width)
	sr := image.Rect(
		int(math.Round(float64(region.Min.X)*k)), int(math.Round(float64(region.Min.Y)*k)),
		int(math.Round(float64(region.Max.X)*k)), int(math.Round(float64(region.Max.Y)*k)),
	).Intersect(src.Bounds())

	dst := image.NewRGBA(image.Rect(0, 0, w, max(1, int(math.Round(float64(w)*float64(rh)/float64(rw))))))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, sr, draw.Src, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: Quality}); err != nil {
		return "", fmt.Errorf("media: crop %s: encode: %w", hash, err)
	}
	if err := writeAtomic(dir, path, buf.Bytes()); err != nil {
		return "", fmt.Errorf("media: crop %s: %w", hash, err)
	}
	return path, nil
}

// DropCrops deletes the crops made of picture hash, to be called when its
// focal point moves so the next requests cut new ones. Browsers that
// cached the old crops keep them: crop URLs are served as immutable.
func (s *Store) DropCrops(hash string) error {
	if !validHash(hash) {
		return fmt.Errorf("media: drop crops %q: %w", hash, ErrNotFound)
	}
	entries, err := os.ReadDir(s.pictureDir(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: drop crops %s: %w", hash, ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("media: drop crops %s: %w", hash, err)
	}
	for _, e := range entries {
		if _, r, ok := parseFile(e.Name()); ok && r != "" {
			if err := os.Remove(filepath.Join(s.pictureDir(hash), e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("media: drop crops %s: %w", hash, err)
			}
		}
	}
	return nil
}

// cropRegion is the largest rectangle of ratio rw:rh inside a w×h picture
// whose centre is as near the focal point as the edges allow.
func cropRegion(w, h, rw, rh int, fx, fy float64) image.Rectangle {
	cw, ch := w, h
	if w*rh > h*rw { // wider than the ratio: use the full height
		cw = max(1, int(math.Round(float64(h)*float64(rw)/float64(rh))))
	} else {
		ch = max(1, int(math.Round(float64(w)*float64(rh)/float64(rw))))
	}
	x := clampInt(int(math.Round(unit(fx)*float64(w)-float64(cw)/2)), 0, w-cw)
	y := clampInt(int(math.Round(unit(fy)*float64(h)-float64(ch)/2)), 0, h-ch)
	return image.Rect(x, y, x+cw, y+ch)
}

// cropSource picks the narrowest stored width that still gives at least
// w pixels across the region, so a crop does not decode a huge original
// when a derivative will do.
func cropSource(origW, regionW, w int) string {
	for _, a := range Available(origW) {
		if a*regionW >= w*origW {
			return strconv.Itoa(a) + ".jpg"
		}
	}
	return origName
}

// writeAtomic writes data to path through a temporary file in dir, so
// readers see the whole file or none.
func writeAtomic(dir, path string, data []byte) error {
	f, err := os.CreateTemp(dir, ".crop-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

func readConfig(path string) (image.Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return image.Config{}, err
	}
	defer f.Close()
	return jpeg.DecodeConfig(f)
}

func readJPEG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jpeg.Decode(f)
}

// unit clamps a focal coordinate to 0..1, treating nonsense as the centre.
func unit(v float64) float64 {
	if math.IsNaN(v) {
		return 0.5
	}
	return min(1, max(0, v))
}

func clampInt(v, lo, hi int) int { return min(hi, max(lo, v)) }
