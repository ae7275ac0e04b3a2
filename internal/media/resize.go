package media

import (
	"image"
	"math"

	"golang.org/x/image/draw"
)

// Derivatives are made by area averaging: each destination pixel is the
// mean of the source pixels it covers, weighted by how much of each it
// covers. For shrinking that is alias-free (every source pixel counts,
// unlike bilinear sampling) and much cheaper than a Catmull-Rom kernel.
// Measured on this project's 2-core machine for the four derivatives of a
// 1600×900 picture, x/image/draw took 44 ms with ApproxBiLinear and
// 128 ms with CatmullRom; shrink takes a fraction of that, which matters
// when the demo seeds hundreds of pictures. x/image/draw still makes the
// crops, which may enlarge slightly and are made once, on demand.

// weightBits is the fixed-point precision of the filter weights.
const weightBits = 14

// filter maps one axis of sn source pixels onto dn destination pixels.
type filter struct {
	start []int   // first source pixel of each destination pixel
	count []int   // how many source pixels it covers
	w     []int32 // their weights, taps per destination pixel, each row summing to 1<<weightBits
	taps  int
}

func newFilter(sn, dn int) filter {
	r := float64(sn) / float64(dn)
	f := filter{start: make([]int, dn), count: make([]int, dn), taps: int(math.Ceil(r)) + 1}
	f.w = make([]int32, dn*f.taps)
	for o := range dn {
		lo, hi := float64(o)*r, float64(o+1)*r
		s := min(int(lo), sn-1)
		f.start[o] = s
		var sum int32
		n := 0
		for i := s; i < sn && float64(i) < hi && n < f.taps; i++ {
			cover := min(hi, float64(i+1)) - max(lo, float64(i))
			v := int32(cover/r*(1<<weightBits) + 0.5)
			f.w[o*f.taps+n] = v
			sum += v
			n++
		}
		f.count[o] = n
		f.w[o*f.taps+n-1] += 1<<weightBits - sum // exact, so flat colours stay exact
	}
	return f
}

// shrink returns src scaled to w×h (each no larger than the source's) by
// area averaging.
func shrink(src image.Image, w, h int) *image.RGBA {
	in, ok := src.(*image.RGBA)
	if !ok || in.Rect.Min != (image.Point{}) {
		b := src.Bounds()
		in = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(in, in.Rect, src, b.Min, draw.Src)
	}
	sw, sh := in.Rect.Dx(), in.Rect.Dy()
	fx, fy := newFilter(sw, w), newFilter(sh, h)

	// Across: each source row becomes w pixels, kept with 8 extra bits.
	tmp := make([]uint16, sh*w*4)
	for y := range sh {
		row := in.Pix[y*in.Stride : y*in.Stride+sw*4]
		out := tmp[y*w*4 : (y+1)*w*4]
		for o := range w {
			s := fx.start[o] * 4
			ws := fx.w[o*fx.taps : o*fx.taps+fx.count[o]]
			var r, g, b, a uint32
			for k, wk := range ws {
				p := row[s+k*4 : s+k*4+4 : s+k*4+4]
				u := uint32(wk)
				r += uint32(p[0]) * u
				g += uint32(p[1]) * u
				b += uint32(p[2]) * u
				a += uint32(p[3]) * u
			}
			const shift, half = weightBits - 8, 1 << (weightBits - 9)
			q := out[o*4 : o*4+4 : o*4+4]
			q[0], q[1], q[2], q[3] = uint16((r+half)>>shift), uint16((g+half)>>shift), uint16((b+half)>>shift), uint16((a+half)>>shift)
		}
	}

	// Down: each destination row is a weighted sum of whole rows.
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	acc := make([]uint32, w*4)
	for o := range h {
		clear(acc)
		s := fy.start[o]
		for k, wk := range fy.w[o*fy.taps : o*fy.taps+fy.count[o]] {
			trow := tmp[(s+k)*w*4 : (s+k+1)*w*4]
			u := uint32(wk)
			for i, v := range trow {
				acc[i] += uint32(v) * u
			}
		}
		drow := dst.Pix[o*dst.Stride : o*dst.Stride+w*4]
		const shift, half = weightBits + 8, 1 << (weightBits + 7)
		for i, v := range acc {
			drow[i] = uint8((v + half) >> shift)
		}
	}
	return dst
}
