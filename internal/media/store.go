package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"dateline/internal/story"
)

// Errors returned by the Store. Put's errors wrap ErrTooLarge or
// ErrUnsupported and their message, without the sentinel's text, is safe to
// show to the person who uploaded the file.
var (
	// ErrTooLarge means an upload was larger than the byte limit.
	ErrTooLarge = errors.New("media: file too large")
	// ErrUnsupported means a file is not a picture we accept: not an image,
	// a format other than JPEG, PNG or GIF, broken, or of unusable size.
	ErrUnsupported = errors.New("media: unsupported image")
	// ErrNotFound means no stored picture, derivative or crop answers to
	// the name asked for.
	ErrNotFound = errors.New("media: not found")
)

// Limits on the pictures the Store accepts.
const (
	// MaxPixels bounds the decoded size of a picture, so a small file that
	// inflates to gigabytes (a "decompression bomb") is refused before it
	// is decoded.
	MaxPixels = 40_000_000
	// MinSide is the smallest width or height worth storing.
	MinSide = 16
	// Quality is the JPEG quality of every stored file: visually clean for
	// photographs at about half the bytes of quality 95.
	Quality = 82
)

// origName is the re-encoded original. It is not served: readers get the
// widths in Available, which for pictures wider than the widest entry in
// Widths stop short of the original.
const origName = "orig.jpg"

// Store keeps pictures in a directory on disk. Everything it knows is in
// the directory, so any number of Stores, goroutines or processes may
// share one.
type Store struct {
	dir    string
	noSync bool

	// Focus, when set, tells the Handler where the focal point of a stored
	// picture is, for crops it makes on first request. Without it crops
	// are centred. Set it before serving; it must be safe for concurrent
	// use. An error fails the request and nothing is cached.
	Focus func(ctx context.Context, hash string) (x, y float64, err error)
}

// Unsynced returns a Store on the same directory that does not fsync the
// files it writes: for pictures that can be made again, such as the demo
// newsroom's artwork, where an fsync per file would triple start-up time.
func (s *Store) Unsynced() *Store {
	c := *s
	c.noSync = true
	return &c
}

// Open returns a Store for dir, creating the directory (mode 0755) if it is
// missing and checking that it can be written. It also clears temporary
// files left by uploads that were interrupted more than an hour ago.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("media: open: no directory given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("media: create directory %s: %w", dir, err)
	}
	probe, err := os.CreateTemp(dir, ".probe-")
	if err != nil {
		return nil, fmt.Errorf("media: directory %s is not writable: %w", dir, err)
	}
	name := probe.Name()
	probe.Close()
	if err := os.Remove(name); err != nil {
		return nil, fmt.Errorf("media: directory %s: remove probe file: %w", dir, err)
	}
	s := &Store{dir: dir}
	s.removeStale(time.Hour)
	return s, nil
}

// Dir is the directory the Store keeps its files in.
func (s *Store) Dir() string { return s.dir }

// removeStale deletes temporary upload directories older than age, left
// behind when a process died between creating and renaming them. Younger
// ones may belong to an upload in progress in another process.
func (s *Store) removeStale(age time.Duration) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".put-") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > age {
			os.RemoveAll(filepath.Join(s.dir, e.Name()))
		}
	}
}

// Put decodes an upload read from r and stores it with PutImage. It reads
// at most maxBytes bytes (which must be positive); a longer upload fails
// with an error wrapping ErrTooLarge. The format is sniffed from the
// content, never the file name: JPEG, PNG and GIF (its first frame) are
// accepted, and anything else, a broken file, or a picture outside
// MinSide..MaxPixels fails with an error wrapping ErrUnsupported. A JPEG's
// EXIF orientation is applied before the metadata is dropped, so phone
// photos stand the right way up. Nothing is left on disk when Put fails.
func (s *Store) Put(r io.Reader, maxBytes int64) (story.Media, error) {
	limit := maxBytes
	if limit < math.MaxInt64 {
		limit++
	}
	data, err := io.ReadAll(io.LimitReader(r, limit))
	if err != nil {
		return story.Media{}, fmt.Errorf("media: read upload: %w", err)
	}
	if int64(len(data)) > maxBytes {
		return story.Media{}, reject(ErrTooLarge, "the file is larger than the %s limit", byteSize(maxBytes))
	}
	img, err := decode(data)
	if err != nil {
		return story.Media{}, err
	}
	return s.PutImage(img)
}

// PutImage stores img: the original re-encoded as JPEG, and a JPEG for
// each width in Available(width). Every file is named by the picture's
// hash, the first 32 hex digits of the SHA-256 of the encoded original, so
// storing the same picture again returns the same Media and writes
// nothing. The Media has no ID, caption or creation time: recording it is
// the caller's business. Transparent areas are laid on white.
func (s *Store) PutImage(img image.Image) (story.Media, error) {
	b := img.Bounds()
	if err := checkSize(b.Dx(), b.Dy()); err != nil {
		return story.Media{}, err
	}
	img = flatten(img)

	// Everything is encoded at once, so both cores stay busy: the
	// derivatives are resized while the original is encoded, then encoded
	// beside it. Until the original is done the hash is unknown, so a
	// picture stored before costs its derivatives' encoding in vain;
	// storing a picture again is the rare case.
	var orig bytes.Buffer
	var encErr error
	var wg sync.WaitGroup
	wg.Go(func() { encErr = jpeg.Encode(&orig, img, &jpeg.Options{Quality: Quality}) })
	sizes := derivativeWidths(b.Dx())
	encoded := make([][]byte, len(sizes))
	errs := make([]error, len(sizes))
	for i, im := range resizeChain(img, sizes) {
		wg.Go(func() {
			var buf bytes.Buffer
			errs[i] = jpeg.Encode(&buf, im, &jpeg.Options{Quality: Quality})
			encoded[i] = buf.Bytes()
		})
	}
	wg.Wait()
	if err := errors.Join(append(errs, encErr)...); err != nil {
		return story.Media{}, fmt.Errorf("media: encode: %w", err)
	}

	sum := sha256.Sum256(orig.Bytes())
	m := story.Media{
		Hash:   hex.EncodeToString(sum[:])[:32],
		Mime:   "image/jpeg",
		Width:  b.Dx(),
		Height: b.Dy(),
		Bytes:  int64(orig.Len()),
		FocalX: 0.5,
		FocalY: 0.5,
	}
	final := s.pictureDir(m.Hash)
	if _, err := os.Stat(final); err == nil {
		return m, nil
	}

	files := map[string][]byte{origName: orig.Bytes()}
	for i, w := range sizes {
		files[strconv.Itoa(w)+".jpg"] = encoded[i]
	}
	if avail := Available(b.Dx()); len(avail) > 0 && avail[len(avail)-1] == b.Dx() {
		files[strconv.Itoa(b.Dx())+".jpg"] = nil // the original itself, linked below
	}
	if err := s.writeAll(final, files); err != nil {
		return story.Media{}, fmt.Errorf("media: store %s: %w", m.Hash, err)
	}
	return m, nil
}

// writeAll writes files into a temporary directory and renames it to
// final, so final appears complete or not at all. A nil entry is a hard
// link to (or, where links fail, a copy of) the original.
func (s *Store) writeAll(final string, files map[string][]byte) (err error) {
	tmp, err := os.MkdirTemp(s.dir, ".put-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	for name, data := range files {
		if data != nil {
			if err := writeFile(filepath.Join(tmp, name), data, !s.noSync); err != nil {
				return err
			}
		}
	}
	for name, data := range files {
		if data == nil {
			if err := os.Link(filepath.Join(tmp, origName), filepath.Join(tmp, name)); err != nil {
				if err := writeFile(filepath.Join(tmp, name), files[origName], !s.noSync); err != nil {
					return err
				}
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		// Another upload of the same picture won the race: its files are
		// the same as ours.
		if _, statErr := os.Stat(filepath.Join(final, origName)); statErr == nil {
			os.RemoveAll(tmp)
			return nil
		}
		return err
	}
	return nil
}

// writeFile writes and syncs a new file, so a crash after the rename that
// publishes it cannot leave an empty file under a name that is cached
// forever.
func writeFile(name string, data []byte, sync bool) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if sync {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// Path is where the derivative of the given width of picture hash lives
// on disk, or "" when hash is not a valid picture hash.
func (s *Store) Path(hash string, width int) string {
	if !validHash(hash) {
		return ""
	}
	return filepath.Join(s.pictureDir(hash), strconv.Itoa(width)+".jpg")
}

// Has reports whether picture hash is stored.
func (s *Store) Has(hash string) bool {
	if !validHash(hash) {
		return false
	}
	_, err := os.Stat(filepath.Join(s.pictureDir(hash), origName))
	return err == nil
}

// Remove deletes picture hash with every derivative and crop. It returns
// ErrNotFound when no such picture is stored. Cached copies in browsers
// and proxies live on: their URLs are immutable.
func (s *Store) Remove(hash string) error {
	if !s.Has(hash) {
		return fmt.Errorf("media: remove %s: %w", hash, ErrNotFound)
	}
	// Renaming first takes every file out of service at once.
	tmp, err := os.MkdirTemp(s.dir, ".put-")
	if err != nil {
		return fmt.Errorf("media: remove %s: %w", hash, err)
	}
	gone := filepath.Join(tmp, hash)
	if err := os.Rename(s.pictureDir(hash), gone); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("media: remove %s: %w", hash, err)
	}
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("media: remove %s: %w", hash, err)
	}
	return nil
}

// pictureDir is the directory of one picture; hash must be valid. The
// two-letter level keeps directories small in a large library.
func (s *Store) pictureDir(hash string) string {
	return filepath.Join(s.dir, hash[:2], hash)
}

// validHash reports whether h is 32 lowercase hex digits, the only names
// the Store makes, which also rules out "..", "/" and anything else that
// could lead outside the directory.
func validHash(h string) bool {
	if len(h) != 32 {
		return false
	}
	for i := range len(h) {
		c := h[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// reasonError is a refusal whose message is meant for the uploader.
type reasonError struct {
	kind   error
	reason string
}

func (e *reasonError) Error() string { return e.reason }
func (e *reasonError) Unwrap() error { return e.kind }

func reject(kind error, format string, args ...any) error {
	return &reasonError{kind: kind, reason: fmt.Sprintf(format, args...)}
}

// byteSize formats n for people: "20 MB", "512 KB", "100 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
