package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/internal/story"
)

func mustOpen(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(filepath.Join(tb.TempDir(), "media"))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// testImage is a smooth two-way gradient, something like a photograph to
// the encoder.
func testImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	return img
}

func mustJPEG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func mustPNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// withExif inserts an APP1 Exif segment right after a JPEG's SOI marker:
// a little-endian TIFF block whose IFD0 holds an Orientation and an
// ImageDescription carrying text.
func withExif(jpg []byte, orientation int, text string) []byte {
	le := binary.LittleEndian
	tiff := []byte("II*\x00")
	tiff = le.AppendUint32(tiff, 8) // IFD0 right after the header
	tiff = le.AppendUint16(tiff, 2) // two entries
	tiff = le.AppendUint16(tiff, 0x0112)
	tiff = le.AppendUint16(tiff, 3) // SHORT
	tiff = le.AppendUint32(tiff, 1)
	tiff = le.AppendUint32(tiff, uint32(orientation))
	textAt := 8 + 2 + 2*12 + 4
	tiff = le.AppendUint16(tiff, 0x010E)
	tiff = le.AppendUint16(tiff, 2) // ASCII
	tiff = le.AppendUint32(tiff, uint32(len(text)+1))
	tiff = le.AppendUint32(tiff, uint32(textAt))
	tiff = le.AppendUint32(tiff, 0) // no IFD1
	tiff = append(tiff, text...)
	tiff = append(tiff, 0)

	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	seg = append(seg, payload...)

	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// pngHeader is the start of a PNG that claims to be w×h: enough for
// DecodeConfig, nothing more.
func pngHeader(w, h int) []byte {
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, ihdr...)
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
	return append(b, make([]byte, 64)...)
}

// regularFiles lists the files under dir, relative to it.
func regularFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func decodeFile(tb testing.TB, path string) image.Image {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return img
}

func TestOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b", "media")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Dir() != dir {
		t.Errorf("Dir() = %q, want %q", s.Dir(), dir)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		t.Fatalf("directory not created: %v", err)
	}
	if files := regularFiles(t, dir); len(files) != 0 {
		t.Errorf("Open left files behind: %v", files)
	}

	// A path under a regular file cannot be created; the error says where.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(file, "media")
	if _, err := Open(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("Open(%q) error = %v, want one naming the path", bad, err)
	}
}

func TestPutJPEG(t *testing.T) {
	s := mustOpen(t)
	m, err := s.Put(bytes.NewReader(mustJPEG(t, testImage(2000, 1200))), 10<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Hash) != 32 || !validHash(m.Hash) {
		t.Errorf("Hash = %q, want 32 lowercase hex digits", m.Hash)
	}
	if m.Mime != "image/jpeg" || m.Width != 2000 || m.Height != 1200 || m.FocalX != 0.5 || m.FocalY != 0.5 {
		t.Errorf("Media = %+v", m)
	}
	orig := filepath.Join(s.Dir(), m.Hash[:2], m.Hash, "orig.jpg")
	info, err := os.Stat(orig)
	if err != nil {
		t.Fatal(err)
	}
	if m.Bytes != info.Size() {
		t.Errorf("Bytes = %d, orig.jpg has %d", m.Bytes, info.Size())
	}
	if b := decodeFile(t, orig).Bounds(); b.Dx() != 2000 || b.Dy() != 1200 {
		t.Errorf("orig.jpg is %v", b)
	}
	// A picture wider than every entry of Widths gets all of them.
	for _, w := range Widths {
		b := decodeFile(t, s.Path(m.Hash, w)).Bounds()
		if want := int(math.Round(1200 * float64(w) / 2000)); b.Dx() != w || b.Dy() != want {
			t.Errorf("%d.jpg is %dx%d, want %dx%d", w, b.Dx(), b.Dy(), w, want)
		}
	}
	if n := len(regularFiles(t, s.Dir())); n != len(Widths)+1 {
		t.Errorf("%d files stored, want %d", n, len(Widths)+1)
	}
}

func TestPutPNG(t *testing.T) {
	s := mustOpen(t)
	// Half transparent: JPEG has no alpha, so that half must come out white.
	img := image.NewNRGBA(image.Rect(0, 0, 1000, 500))
	for y := range 500 {
		for x := range 1000 {
			if x < 500 {
				img.SetNRGBA(x, y, color.NRGBA{200, 30, 30, 255})
			}
		}
	}
	m, err := s.Put(bytes.NewReader(mustPNG(t, img)), 10<<20)
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 1000 || m.Height != 500 || m.Mime != "image/jpeg" {
		t.Fatalf("Media = %+v", m)
	}
	got := decodeFile(t, s.Path(m.Hash, 1000))
	if r, g, b, _ := got.At(900, 250).RGBA(); r>>8 < 245 || g>>8 < 245 || b>>8 < 245 {
		t.Errorf("transparent area stored as %d,%d,%d, want white", r>>8, g>>8, b>>8)
	}
	if r, _, _, _ := got.At(100, 250).RGBA(); r>>8 < 180 {
		t.Errorf("opaque area lost its colour")
	}
	// 1000 is not in Widths and below the widest, so it is stored too, as
	// the original itself.
	orig, _ := os.ReadFile(filepath.Join(s.Dir(), m.Hash[:2], m.Hash, "orig.jpg"))
	full, _ := os.ReadFile(s.Path(m.Hash, 1000))
	if !bytes.Equal(orig, full) {
		t.Error("1000.jpg differs from the original")
	}
	for _, w := range []int{320, 640, 960} {
		if b := decodeFile(t, s.Path(m.Hash, w)).Bounds(); b.Dx() != w || b.Dy() != w/2 {
			t.Errorf("%d.jpg is %v", w, b)
		}
	}
	if _, err := os.Stat(s.Path(m.Hash, 1280)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("1280.jpg of a 1000-pixel picture: %v", err)
	}
}

func TestPutGIFTakesFirstFrame(t *testing.T) {
	s := mustOpen(t)
	pal := color.Palette{color.Black, color.White}
	frame := func(c uint8) *image.Paletted {
		p := image.NewPaletted(image.Rect(0, 0, 64, 48), pal)
		for i := range p.Pix {
			p.Pix[i] = c
		}
		return p
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, &gif.GIF{Image: []*image.Paletted{frame(1), frame(0)}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	m, err := s.Put(&b, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	got := decodeFile(t, s.Path(m.Hash, 64))
	if r, _, _, _ := got.At(30, 20).RGBA(); r>>8 < 240 {
		t.Errorf("stored the wrong frame: red = %d", r>>8)
	}
}

func TestPutStripsExif(t *testing.T) {
	s := mustOpen(t)
	const secret = "GPS 52.5200N 13.4050E taken at home"
	data := withExif(mustJPEG(t, testImage(400, 300)), 1, secret)
	if !bytes.Contains(data, []byte("Exif")) || !bytes.Contains(data, []byte(secret)) {
		t.Fatal("test upload has no Exif block")
	}
	if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
		t.Fatalf("test upload is not a valid JPEG: %v", err)
	}
	if _, err := s.Put(bytes.NewReader(data), 1<<20); err != nil {
		t.Fatal(err)
	}
	files := regularFiles(t, s.Dir())
	if len(files) == 0 {
		t.Fatal("nothing stored")
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(s.Dir(), f))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte("52.5200N")) {
			t.Errorf("%s still carries the Exif block", f)
		}
	}
}

func TestPutAppliesOrientation(t *testing.T) {
	// Sensor image 80×40, left half red and right half blue, tagged
	// "rotate 90° clockwise to display": upright it is 40×80 with red on
	// top.
	img := image.NewRGBA(image.Rect(0, 0, 80, 40))
	for y := range 40 {
		for x := range 80 {
			c := color.RGBA{220, 20, 20, 255}
			if x >= 40 {
				c = color.RGBA{20, 20, 220, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	s := mustOpen(t)
	m, err := s.Put(bytes.NewReader(withExif(mustJPEG(t, img), 6, "")), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 40 || m.Height != 80 {
		t.Fatalf("stored %dx%d, want 40x80", m.Width, m.Height)
	}
	got := decodeFile(t, s.Path(m.Hash, 40))
	if r, _, b, _ := got.At(20, 10).RGBA(); r < b {
		t.Error("top of the upright picture is not red")
	}
	if r, _, b, _ := got.At(20, 70).RGBA(); r > b {
		t.Error("bottom of the upright picture is not blue")
	}
}

func TestPutRefuses(t *testing.T) {
	jpg := mustJPEG(t, testImage(300, 200))
	tests := []struct {
		name     string
		data     []byte
		maxBytes int64
		want     error
		message  string
	}{
		{"text named .jpg", []byte("Dear editor, this is a letter, not a photograph.\n"), 1 << 20, ErrUnsupported, "not an image: the file is text/plain"},
		{"empty", nil, 1 << 20, ErrUnsupported, "not an image: the file is empty"},
		{"html", []byte("<!DOCTYPE html><html><body>hi</body></html>"), 1 << 20, ErrUnsupported, "not an image: the file is text/html"},
		{"webp", append([]byte("RIFF\x10\x00\x00\x00WEBPVP8 "), make([]byte, 32)...), 1 << 20, ErrUnsupported, "unsupported image type image/webp"},
		{"truncated jpeg", jpg[:len(jpg)/2], 1 << 20, ErrUnsupported, "broken image"},
		{"jpeg header only", jpg[:20], 1 << 20, ErrUnsupported, "broken image"},
		{"too large in bytes", jpg, int64(len(jpg) - 1), ErrTooLarge, "larger than"},
		{"too small", mustPNG(t, image.NewGray(image.Rect(0, 0, 8, 8))), 1 << 20, ErrUnsupported, "too small: 8x8"},
		{"too many pixels", pngHeader(8000, 6000), 1 << 20, ErrUnsupported, "48 megapixels; the limit is 40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t)
			_, err := s.Put(bytes.NewReader(tt.data), tt.maxBytes)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Put error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.message)
			}
			entries, _ := os.ReadDir(s.Dir())
			if len(entries) != 0 {
				t.Errorf("refused upload left %d entries behind: %v", len(entries), regularFiles(t, s.Dir()))
			}
		})
	}
}

func TestPutImageIdempotent(t *testing.T) {
	s := mustOpen(t)
	img := testImage(700, 400)
	m1, err := s.PutImage(img)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	files := regularFiles(t, s.Dir())
	for _, f := range files {
		if err := os.Chtimes(filepath.Join(s.Dir(), f), old, old); err != nil {
			t.Fatal(err)
		}
	}
	m2, err := s.PutImage(img)
	if err != nil {
		t.Fatal(err)
	}
	if m1 != m2 {
		t.Errorf("second PutImage = %+v, want %+v", m2, m1)
	}
	for _, f := range regularFiles(t, s.Dir()) {
		info, err := os.Stat(filepath.Join(s.Dir(), f))
		if err != nil {
			t.Fatal(err)
		}
		if !info.ModTime().Equal(old) {
			t.Errorf("%s rewritten", f)
		}
	}
	if got := regularFiles(t, s.Dir()); !slices.Equal(got, files) {
		t.Errorf("files after second put = %v, want %v", got, files)
	}
	if !s.Has(m1.Hash) {
		t.Error("Has reports the picture missing")
	}

	other, err := s.PutImage(testImage(700, 401))
	if err != nil {
		t.Fatal(err)
	}
	if other.Hash == m1.Hash {
		t.Error("different pictures share a hash")
	}
}

func TestDerivativeWidths(t *testing.T) {
	tests := []struct {
		w, h int
		want []int
	}{
		{200, 100, []int{200}},
		{320, 240, []int{320}},
		{1000, 800, []int{320, 640, 960, 1000}},
		{1600, 900, []int{320, 640, 960, 1280, 1600}},
		{2400, 1600, []int{320, 640, 960, 1280, 1600}},
		{900, 1600, []int{320, 640, 900}},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.w)+"x"+strconv.Itoa(tt.h), func(t *testing.T) {
			s := mustOpen(t)
			m, err := s.PutImage(testImage(tt.w, tt.h))
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, f := range regularFiles(t, s.Dir()) {
				if w, err := strconv.Atoi(strings.TrimSuffix(filepath.Base(f), ".jpg")); err == nil {
					got = append(got, w)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("stored widths %v, want %v", got, tt.want)
			}
			for _, w := range got {
				b := decodeFile(t, s.Path(m.Hash, w)).Bounds()
				if h := int(math.Round(float64(tt.h) * float64(w) / float64(tt.w))); b.Dx() != w || b.Dy() != h {
					t.Errorf("%d.jpg is %dx%d, want %dx%d", w, b.Dx(), b.Dy(), w, h)
				}
			}
		})
	}
}

func TestAvailable(t *testing.T) {
	tests := []struct {
		w    int
		want []int
	}{
		{0, nil},
		{100, []int{100}},
		{320, []int{320}},
		{500, []int{320, 500}},
		{640, []int{320, 640}},
		{1599, []int{320, 640, 960, 1280, 1599}},
		{1600, []int{320, 640, 960, 1280, 1600}},
		{4000, []int{320, 640, 960, 1280, 1600}},
	}
	for _, tt := range tests {
		if got := Available(tt.w); !slices.Equal(got, tt.want) {
			t.Errorf("Available(%d) = %v, want %v", tt.w, got, tt.want)
		}
	}
}

func TestSrcsetAndSrc(t *testing.T) {
	const h = "0123456789abcdef0123456789abcdef"
	img := &story.Image{Hash: h, Width: 1000, Height: 600}
	want := "/media/" + h + "/320.jpg 320w, /media/" + h + "/640.jpg 640w, /media/" + h + "/960.jpg 960w, /media/" + h + "/1000.jpg 1000w"
	if got := Srcset(img); got != want {
		t.Errorf("Srcset = %q\nwant %q", got, want)
	}
	if got := URL(h, 640); got != "/media/"+h+"/640.jpg" {
		t.Errorf("URL = %q", got)
	}
	if got := CropURL(h, 640, "16x9"); got != "/media/"+h+"/640x16x9.jpg" {
		t.Errorf("CropURL = %q", got)
	}
	srcs := []struct {
		want int
		img  *story.Image
		got  string
	}{
		{0, img, URL(h, 320)},
		{320, img, URL(h, 320)},
		{321, img, URL(h, 640)},
		{700, img, URL(h, 960)},
		{999, img, URL(h, 1000)},
		{5000, img, URL(h, 1000)},
		{800, &story.Image{Hash: h, Width: 3000}, URL(h, 960)},
		{5000, &story.Image{Hash: h, Width: 3000}, URL(h, 1600)},
		{640, nil, ""},
		{640, &story.Image{}, ""},
	}
	for _, tt := range srcs {
		if got := Src(tt.img, tt.want); got != tt.got {
			t.Errorf("Src(%+v, %d) = %q, want %q", tt.img, tt.want, got, tt.got)
		}
	}
	if Srcset(nil) != "" || Srcset(&story.Image{}) != "" {
		t.Error("Srcset of no picture is not empty")
	}
}

func get(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHandler(t *testing.T) {
	s := mustOpen(t)
	m, err := s.PutImage(testImage(1000, 600))
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()

	w := get(h, "GET", URL(m.Hash, 640))
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s = %d", URL(m.Hash, 640), w.Code)
	}
	wantHeaders := map[string]string{
		"Content-Type":           "image/jpeg",
		"Cache-Control":          "public, max-age=31536000, immutable",
		"ETag":                   `"` + m.Hash + `-640"`,
		"X-Content-Type-Options": "nosniff",
	}
	for k, v := range wantHeaders {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	img, err := jpeg.Decode(w.Body)
	if err != nil || img.Bounds().Dx() != 640 {
		t.Errorf("body is not the 640-pixel JPEG: %v", err)
	}

	w = get(h, "GET", URL(m.Hash, 640), "If-None-Match", `"`+m.Hash+`-640"`)
	if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d with %d bytes, want 304 and no body", w.Code, w.Body.Len())
	}
	w = get(h, "GET", URL(m.Hash, 640), "If-None-Match", `"`+m.Hash+`-320"`)
	if w.Code != http.StatusOK {
		t.Errorf("If-None-Match with another ETag: %d, want 200", w.Code)
	}
	w = get(h, "HEAD", URL(m.Hash, 1000))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Errorf("HEAD: %d with %d bytes", w.Code, w.Body.Len())
	}
	if w := get(h, "POST", URL(m.Hash, 640)); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", w.Code)
	}

	missing := strings.Repeat("0", 32)
	notFound := []string{
		"/media/",
		"/media/" + m.Hash,
		"/media/" + m.Hash + "/",
		"/media/" + strings.ToUpper(m.Hash) + "/640.jpg",
		"/media/" + m.Hash[:31] + "/640.jpg",
		"/media/" + m.Hash[:31] + "g/640.jpg",
		"/media/" + missing + "/640.jpg",
		"/media/" + m.Hash + "/1280.jpg", // wider than the original
		"/media/" + m.Hash + "/700.jpg",  // never made
		"/media/" + m.Hash + "/0640.jpg",
		"/media/" + m.Hash + "/+640.jpg",
		"/media/" + m.Hash + "/-640.jpg",
		"/media/" + m.Hash + "/640.png",
		"/media/" + m.Hash + "/640.jpg/",
		"/media/" + m.Hash + "/640.jpg.bak",
		"/media/" + m.Hash + "/orig.jpg",
		"/media/" + m.Hash + "/640x5x4.jpg",
		"/media/" + m.Hash + "/640x16x9x.jpg",
		"/media/../x",
		"/media/%2e%2e/x",
		"/media/%2E%2E/%2E%2E/etc/passwd",
		"/media/..%2f..%2fetc%2fpasswd",
		"/media/" + m.Hash + "/..%2forig.jpg",
		"/media/" + m.Hash + "/%2e%2e/%2e%2e/" + m.Hash[:2] + "/" + m.Hash + "/640.jpg",
		"/media/" + m.Hash[:2] + "/" + m.Hash + "/640.jpg",
		"/other/" + m.Hash + "/640.jpg",
	}
	for _, target := range notFound {
		w := get(h, "GET", target)
		if w.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", target, w.Code)
			continue
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("GET %s: Content-Type %q, want plain text", target, ct)
		}
		if w.Header().Get("Cache-Control") != "" {
			t.Errorf("GET %s: a 404 is marked cacheable", target)
		}
	}
}

func TestHandlerThroughMux(t *testing.T) {
	s := mustOpen(t)
	m, err := s.PutImage(testImage(400, 300))
	if err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(filepath.Dir(s.Dir()), "secret.txt")
	if err := os.WriteFile(secret, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /media/", s.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	for _, path := range []string{
		"/media/" + m.Hash + "/320.jpg",
		"/media/%2e%2e/secret.txt",
		"/media/..%2fsecret.txt",
		"/media/" + m.Hash + "/..%2f..%2f..%2fsecret.txt",
	} {
		req, err := http.NewRequest("GET", srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		resp.Body.Close()
		if strings.Contains(body.String(), "secret") {
			t.Errorf("GET %s leaked a file outside the directory", path)
		}
		if wantOK := strings.HasSuffix(path, "320.jpg"); wantOK != (resp.StatusCode == http.StatusOK) {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
	}
}

func TestCrop(t *testing.T) {
	s := mustOpen(t)
	// Left half red, right half blue, so the focal point shows.
	src := image.NewRGBA(image.Rect(0, 0, 2000, 1000))
	for y := range 1000 {
		for x := range 2000 {
			c := color.RGBA{220, 20, 20, 255}
			if x >= 1000 {
				c = color.RGBA{20, 20, 220, 255}
			}
			src.SetRGBA(x, y, c)
		}
	}
	m, err := s.PutImage(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		ratio string
		w, h  int
	}{{"16x9", 640, 360}, {"4x3", 640, 480}, {"1x1", 640, 640}, {"16x9", 1600, 900}, {"1x1", 2000, 2000}} {
		path, err := s.Crop(m.Hash, tt.w, tt.ratio, 0.5, 0.5)
		if err != nil {
			t.Fatalf("Crop %d %s: %v", tt.w, tt.ratio, err)
		}
		if filepath.Base(path) != strconv.Itoa(tt.w)+"x"+tt.ratio+".jpg" {
			t.Errorf("crop stored as %s", path)
		}
		if b := decodeFile(t, path).Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
			t.Errorf("%s crop at %d is %dx%d, want %dx%d", tt.ratio, tt.w, b.Dx(), b.Dy(), tt.w, tt.h)
		}
	}

	// The focal point decides what a square crop keeps; a kept crop stays
	// until DropCrops.
	colourAt := func(path string) string {
		r, _, b, _ := decodeFile(t, path).At(160, 160).RGBA()
		if r > b {
			return "red"
		}
		return "blue"
	}
	path, _ := s.Crop(m.Hash, 320, "1x1", 0.1, 0.5)
	if got := colourAt(path); got != "red" {
		t.Errorf("crop around the left is %s", got)
	}
	path, _ = s.Crop(m.Hash, 320, "1x1", 0.9, 0.5)
	if got := colourAt(path); got != "red" {
		t.Errorf("kept crop was remade: %s", got)
	}
	if err := s.DropCrops(m.Hash); err != nil {
		t.Fatal(err)
	}
	path, _ = s.Crop(m.Hash, 320, "1x1", 0.9, 0.5)
	if got := colourAt(path); got != "blue" {
		t.Errorf("crop around the right is %s", got)
	}
	if _, err := os.Stat(s.Path(m.Hash, 320)); err != nil {
		t.Errorf("DropCrops removed a derivative: %v", err)
	}

	for _, tt := range []struct {
		hash  string
		w     int
		ratio string
		want  error
	}{
		{m.Hash, 640, "3x2", ErrUnsupported},
		{m.Hash, 700, "16x9", ErrUnsupported},
		{m.Hash, 0, "16x9", ErrUnsupported},
		{strings.Repeat("a", 32), 640, "16x9", ErrNotFound},
		{"../../etc", 640, "16x9", ErrNotFound},
	} {
		if _, err := s.Crop(tt.hash, tt.w, tt.ratio, 0.5, 0.5); !errors.Is(err, tt.want) {
			t.Errorf("Crop(%q, %d, %q) error = %v, want %v", tt.hash, tt.w, tt.ratio, err, tt.want)
		}
	}
	small, err := s.PutImage(testImage(500, 400))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Crop(small.Hash, 640, "16x9", 0.5, 0.5); !errors.Is(err, ErrUnsupported) {
		t.Errorf("crop wider than the original: %v", err)
	}
}

func TestHandlerMakesCrops(t *testing.T) {
	s := mustOpen(t)
	m, err := s.PutImage(testImage(1600, 1200))
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	s.Focus = func(_ context.Context, hash string) (float64, float64, error) {
		asked = append(asked, hash)
		return 0.5, 0.2, nil
	}
	h := s.Handler()
	for range 2 {
		w := get(h, "GET", CropURL(m.Hash, 960, "16x9"))
		if w.Code != http.StatusOK {
			t.Fatalf("GET crop = %d", w.Code)
		}
		if et := w.Header().Get("ETag"); et != `"`+m.Hash+`-960x16x9"` {
			t.Errorf("ETag = %s", et)
		}
		img, err := jpeg.Decode(w.Body)
		if err != nil || img.Bounds().Dx() != 960 || img.Bounds().Dy() != 540 {
			t.Errorf("crop body: %v %v", err, img.Bounds())
		}
	}
	if len(asked) != 1 || asked[0] != m.Hash {
		t.Errorf("focal point asked for %v, want once for the picture", asked)
	}
	for _, target := range []string{
		CropURL(m.Hash, 700, "16x9"),
		CropURL(m.Hash, 640, "2x1"),
		CropURL(strings.Repeat("b", 32), 640, "16x9"),
	} {
		if w := get(h, "GET", target); w.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", target, w.Code)
		}
	}
	s.Focus = func(context.Context, string) (float64, float64, error) { return 0, 0, errors.New("database down") }
	if w := get(h, "GET", CropURL(m.Hash, 640, "4x3")); w.Code != http.StatusInternalServerError {
		t.Errorf("focal point failure: %d, want 500", w.Code)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(s.Path(m.Hash, 640)), "640x4x3.jpg")); err == nil {
		t.Error("a crop was cached after the focal point failed")
	}
}

func TestRemove(t *testing.T) {
	s := mustOpen(t)
	m, err := s.PutImage(testImage(700, 400))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Crop(m.Hash, 640, "1x1", 0.5, 0.5); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(m.Hash); err != nil {
		t.Fatal(err)
	}
	if files := regularFiles(t, s.Dir()); len(files) != 0 {
		t.Errorf("Remove left %v", files)
	}
	if err := s.Remove(m.Hash); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Remove: %v, want ErrNotFound", err)
	}
	if w := get(s.Handler(), "GET", URL(m.Hash, 320)); w.Code != http.StatusNotFound {
		t.Errorf("removed picture served: %d", w.Code)
	}
}

func TestShrink(t *testing.T) {
	// A flat colour stays exactly that colour at any size.
	flat := image.NewRGBA(image.Rect(0, 0, 1600, 900))
	for i := 0; i < len(flat.Pix); i += 4 {
		copy(flat.Pix[i:], []uint8{12, 200, 99, 255})
	}
	for _, w := range []int{1599, 1280, 960, 333, 1} {
		h := max(1, 900*w/1600)
		out := shrink(flat, w, h)
		for i := 0; i < len(out.Pix); i += 4 {
			if !bytes.Equal(out.Pix[i:i+4], []uint8{12, 200, 99, 255}) {
				t.Fatalf("shrink to %d: pixel %d = %v", w, i/4, out.Pix[i:i+4])
			}
		}
	}
	// Fine black-and-white stripes average to grey rather than aliasing
	// into bands of black and white.
	stripes := image.NewRGBA(image.Rect(0, 0, 1000, 10))
	for y := range 10 {
		for x := range 1000 {
			v := uint8(255 * (x % 2))
			stripes.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	out := shrink(stripes, 300, 3)
	for x := range 300 {
		if v := out.Pix[x*4]; v < 95 || v > 160 { // 0.4 to 0.6 of white, by coverage
			t.Fatalf("stripes shrunk to %d at x=%d, want mid grey", v, x)
		}
	}
}
