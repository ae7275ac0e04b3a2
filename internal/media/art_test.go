package media

import (
	"bytes"
	"image"
	"slices"
	"testing"
)

func TestScene(t *testing.T) {
	for _, kind := range append(slices.Clone(SceneKinds), "no-such-kind") {
		t.Run(kind, func(t *testing.T) {
			a := Scene(kind, 7, 480, 270)
			if b := a.Bounds(); b != image.Rect(0, 0, 480, 270) {
				t.Fatalf("bounds %v", b)
			}
			again := Scene(kind, 7, 480, 270).(*image.RGBA)
			if !bytes.Equal(a.(*image.RGBA).Pix, again.Pix) {
				t.Error("same kind and seed painted different pictures")
			}
			other := Scene(kind, 8, 480, 270).(*image.RGBA)
			if bytes.Equal(a.(*image.RGBA).Pix, other.Pix) {
				t.Error("different seeds painted the same picture")
			}
			checkPainted(t, a.(*image.RGBA))
		})
	}
	// Odd and tiny sizes must not panic.
	for _, size := range [][2]int{{1, 1}, {17, 3}, {3, 900}, {2400, 400}} {
		if b := Scene("city", 1, size[0], size[1]).Bounds(); b.Dx() != size[0] || b.Dy() != size[1] {
			t.Errorf("Scene at %v is %v", size, b)
		}
	}
}

func TestPortrait(t *testing.T) {
	for seed := range int64(12) {
		img := Portrait(seed, 200).(*image.RGBA)
		if img.Bounds() != image.Rect(0, 0, 200, 200) {
			t.Fatalf("bounds %v", img.Bounds())
		}
		checkPainted(t, img)
	}
	if Portrait(1, 1).Bounds().Dx() != 1 {
		t.Error("tiny portrait")
	}
}

// checkPainted fails when a picture is blank, transparent, or a single
// flat colour: every illustration has a sky or ground and something on it.
func checkPainted(t *testing.T, img *image.RGBA) {
	t.Helper()
	colours := map[[3]uint8]bool{}
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i+3] != 255 {
			t.Fatalf("pixel %d is not opaque", i/4)
		}
		colours[[3]uint8{img.Pix[i], img.Pix[i+1], img.Pix[i+2]}] = true
	}
	if len(colours) < 50 {
		t.Errorf("only %d colours", len(colours))
	}
}

// BenchmarkSceneAndStore paints one lead-sized illustration and stores it
// with every derivative, as seeding the demo does for each story.
func BenchmarkSceneAndStore(b *testing.B) {
	s := mustOpen(b)
	kinds := SceneKinds
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		img := Scene(kinds[i%len(kinds)], int64(i), 1600, 900)
		if _, err := s.PutImage(img); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutImage stores an already painted picture.
func BenchmarkPutImage(b *testing.B) {
	s := mustOpen(b)
	var imgs []image.Image
	for i := range 8 {
		imgs = append(imgs, Scene(SceneKinds[i], int64(i), 1600, 900))
	}
	for i := 0; b.Loop(); i++ {
		// A fresh directory each time, so every put writes its files.
		if i%len(imgs) == 0 {
			b.StopTimer()
			s = mustOpen(b)
			b.StartTimer()
		}
		if _, err := s.PutImage(imgs[i%len(imgs)]); err != nil {
			b.Fatal(err)
		}
	}
}
