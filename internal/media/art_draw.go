package media

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"sync"

	"golang.org/x/image/draw"
	"golang.org/x/image/vector"
)

// This file is the small painting kit the demo artwork is drawn with:
// colours, gradients, glows and anti-aliased paths. Every operation
// touches only the pixels its shape covers, which is what keeps a whole
// scene to a few milliseconds.

// rgb is an sRGB colour with channels in 0..1.
type rgb struct{ r, g, b float32 }

// hexRGB parses "#rrggbb"; the palettes are written by hand, so a typo
// should fail loudly in tests rather than be guessed at.
func hexRGB(s string) rgb {
	if len(s) != 7 || s[0] != '#' {
		panic("media: bad colour " + s)
	}
	v := func(i int) float32 {
		n := 0
		for _, c := range s[i : i+2] {
			n <<= 4
			switch {
			case c >= '0' && c <= '9':
				n += int(c - '0')
			case c >= 'a' && c <= 'f':
				n += int(c-'a') + 10
			default:
				panic("media: bad colour " + s)
			}
		}
		return float32(n) / 255
	}
	return rgb{v(1), v(3), v(5)}
}

// mix is c moved towards d by t (0 = c, 1 = d).
func (c rgb) mix(d rgb, t float32) rgb {
	return rgb{c.r + (d.r-c.r)*t, c.g + (d.g-c.g)*t, c.b + (d.b-c.b)*t}
}

// scale darkens (k < 1) or brightens (k > 1) c.
func (c rgb) scale(k float32) rgb {
	return rgb{clamp01(c.r * k), clamp01(c.g * k), clamp01(c.b * k)}
}

// a is c with opacity alpha, premultiplied as image/draw expects.
func (c rgb) a(alpha float32) color.RGBA {
	alpha = clamp01(alpha)
	return color.RGBA{
		R: uint8(c.r*alpha*255 + 0.5), G: uint8(c.g*alpha*255 + 0.5),
		B: uint8(c.b*alpha*255 + 0.5), A: uint8(alpha*255 + 0.5),
	}
}

// rotateHue turns c's hue by deg degrees, keeping lightness and
// saturation, to vary a hand-made palette without spoiling it.
func (c rgb) rotateHue(deg float32) rgb {
	// Rotation about the grey axis in RGB space: cheap and close enough to
	// an HSL hue shift for small angles.
	th := float64(deg) * math.Pi / 180
	cos, sin := float32(math.Cos(th)), float32(math.Sin(th))
	const k = 1.0 / 3
	s3 := float32(math.Sqrt(k))
	r := c.r*(cos+(1-cos)*k) + c.g*((1-cos)*k-s3*sin) + c.b*((1-cos)*k+s3*sin)
	g := c.r*((1-cos)*k+s3*sin) + c.g*(cos+(1-cos)*k) + c.b*((1-cos)*k-s3*sin)
	b := c.r*((1-cos)*k-s3*sin) + c.g*((1-cos)*k+s3*sin) + c.b*(cos+(1-cos)*k)
	return rgb{clamp01(r), clamp01(g), clamp01(b)}
}

func clamp01(v float32) float32 { return min(1, max(0, v)) }

// canvas is an image being painted, with the random source that varies it.
type canvas struct {
	img  *image.RGBA
	w, h float32
	u    float32 // one unit of length, 1/900 of the height at 16:9, so scenes scale
	rnd  *rand.Rand
	*kit
}

// kit is the scratch memory for filling shapes. It is several megabytes
// for a large picture, so kits are pooled rather than allocated per
// picture: the demo paints hundreds.
type kit struct {
	z     vector.Rasterizer
	mask  image.Alpha // coverage of the shape being filled
	solid []uint8     // a row of the fill colour, for fully covered runs
}

var kits = sync.Pool{New: func() any { return new(kit) }}

func newCanvas(w, h int, seed uint64) *canvas {
	c := &canvas{
		img: image.NewRGBA(image.Rect(0, 0, w, h)),
		w:   float32(w), h: float32(h),
		// From the area rather than the height, so a long thin banner
		// does not fill with thousands of tiny buildings.
		u:   float32(math.Sqrt(float64(w)*float64(h)) / 1200),
		rnd: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
		kit: kits.Get().(*kit),
	}
	// Size the rasterizer's buffers for the largest shape once, rather
	// than growing them shape by shape. It keeps one buffer for shapes
	// up to 512 pixels across and another for larger ones.
	c.z.Reset(w, h)
	c.z.Reset(min(w, 512), min(h, 512))
	if cap(c.mask.Pix) < w*h {
		c.mask.Pix = make([]uint8, w*h)
	}
	return c
}

// done returns the canvas's scratch memory to the pool and its picture.
func (c *canvas) done() *image.RGBA {
	kits.Put(c.kit)
	c.kit = nil
	return c.img
}

// rf is a random float in [lo, hi).
func (c *canvas) rf(lo, hi float32) float32 { return lo + (hi-lo)*c.rnd.Float32() }

// ri is a random int in [lo, hi].
func (c *canvas) ri(lo, hi int) int { return lo + c.rnd.IntN(hi-lo+1) }

// chance is true with probability p.
func (c *canvas) chance(p float32) bool { return c.rnd.Float32() < p }

// vgrad fills rows y0..y1 with a vertical gradient from top to bottom.
func (c *canvas) vgrad(y0, y1 float32, top, bottom rgb) {
	c.vgradRect(0, y0, c.w, y1, top, bottom)
}

// vgradRect fills a rectangle with a vertical gradient.
func (c *canvas) vgradRect(x0, y0, x1, y1 float32, top, bottom rgb) {
	b := c.img.Bounds()
	ix0, ix1 := max(b.Min.X, int(x0+0.5)), min(b.Max.X, int(x1+0.5))
	iy0, iy1 := max(b.Min.Y, int(y0)), min(b.Max.Y, int(math.Ceil(float64(y1))))
	if ix1 <= ix0 {
		return
	}
	for y := iy0; y < iy1; y++ {
		t := (float32(y) + 0.5 - y0) / (y1 - y0)
		col := top.mix(bottom, clamp01(t)).a(1)
		row := c.img.Pix[y*c.img.Stride+ix0*4 : y*c.img.Stride+ix1*4]
		row[0], row[1], row[2], row[3] = col.R, col.G, col.B, col.A
		for n := 4; n < len(row); n *= 2 {
			copy(row[n:], row[:n])
		}
	}
}

// haze lays col over rows y0..y1 with opacity rising from a0 to a1: mist
// between layers of a landscape, light near a horizon.
func (c *canvas) haze(y0, y1 float32, col rgb, a0, a1 float32) {
	iy0, iy1 := max(0, int(y0)), min(c.img.Rect.Dy(), int(math.Ceil(float64(y1))))
	for y := iy0; y < iy1; y++ {
		t := clamp01((float32(y) + 0.5 - y0) / (y1 - y0))
		a := uint32(clamp01(a0+(a1-a0)*t)*256 + 0.5)
		if a == 0 {
			continue
		}
		// Fixed point, 8 fractional bits: this runs over most of the
		// picture several times, so it avoids float conversions.
		inv := 256 - a
		cr, cg, cb := uint32(col.r*255)*a, uint32(col.g*255)*a, uint32(col.b*255)*a
		row := c.img.Pix[y*c.img.Stride : y*c.img.Stride+c.img.Rect.Dx()*4]
		for i := 0; i+3 < len(row); i += 4 {
			row[i] = uint8((uint32(row[i])*inv + cr) >> 8)
			row[i+1] = uint8((uint32(row[i+1])*inv + cg) >> 8)
			row[i+2] = uint8((uint32(row[i+2])*inv + cb) >> 8)
		}
	}
}

// glow brightens a disc of radius r around (cx, cy) towards col, strongest
// (opacity strength) at the centre and fading smoothly to nothing.
func (c *canvas) glow(cx, cy, r float32, col rgb, strength float32) {
	x0, x1 := max(0, int(cx-r)), min(c.img.Rect.Dx(), int(cx+r)+1)
	y0, y1 := max(0, int(cy-r)), min(c.img.Rect.Dy(), int(cy+r)+1)
	cr, cg, cb := col.r*255, col.g*255, col.b*255
	inv := 1 / (r * r)
	for y := y0; y < y1; y++ {
		dy := float32(y) + 0.5 - cy
		row := c.img.Pix[y*c.img.Stride:]
		for x := x0; x < x1; x++ {
			dx := float32(x) + 0.5 - cx
			q := (dx*dx + dy*dy) * inv
			if q >= 1 {
				continue
			}
			a := strength * (1 - q) * (1 - q)
			i := x * 4
			row[i] = uint8(float32(row[i])*(1-a) + cr*a)
			row[i+1] = uint8(float32(row[i+1])*(1-a) + cg*a)
			row[i+2] = uint8(float32(row[i+2])*(1-a) + cb*a)
		}
	}
}

// at is the colour of the pixel nearest (x, y), clamped to the canvas.
func (c *canvas) at(x, y float32) rgb {
	b := c.img.Rect
	px := min(b.Max.X-1, max(0, int(x)))
	py := min(b.Max.Y-1, max(0, int(y)))
	i := c.img.PixOffset(px, py)
	return rgb{float32(c.img.Pix[i]) / 255, float32(c.img.Pix[i+1]) / 255, float32(c.img.Pix[i+2]) / 255}
}

// rect fills an axis-aligned rectangle.
func (c *canvas) rect(x0, y0, x1, y1 float32, col color.RGBA) {
	r := image.Rect(int(x0+0.5), int(y0+0.5), int(x1+0.5), int(y1+0.5))
	op := draw.Over
	if col.A == 255 {
		op = draw.Src
	}
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, op)
}

// dot sets a small square of pixels, for stars and crowds where a path
// would be wasted effort.
func (c *canvas) dot(x, y float32, size int, col rgb, alpha float32) {
	x0, y0 := int(x), int(y)
	cr, cg, cb := col.r*255, col.g*255, col.b*255
	for yy := y0; yy < y0+size; yy++ {
		if yy < 0 || yy >= c.img.Rect.Dy() {
			continue
		}
		for xx := x0; xx < x0+size; xx++ {
			if xx < 0 || xx >= c.img.Rect.Dx() {
				continue
			}
			i := yy*c.img.Stride + xx*4
			p := c.img.Pix[i : i+3 : i+3]
			p[0] = uint8(float32(p[0])*(1-alpha) + cr*alpha)
			p[1] = uint8(float32(p[1])*(1-alpha) + cg*alpha)
			p[2] = uint8(float32(p[2])*(1-alpha) + cb*alpha)
		}
	}
}

// path is an outline to fill: straight and curved segments, in canvas
// coordinates, with its bounding box so filling touches no other pixels.
type path struct {
	ops                    []pathOp
	minX, minY, maxX, maxY float32
}

type pathOp struct {
	kind byte // 'M', 'L', 'Q', 'C' or 'Z'
	p    [6]float32
}

func (p *path) grow(pts ...float32) {
	if len(p.ops) == 0 {
		p.minX, p.minY, p.maxX, p.maxY = pts[0], pts[1], pts[0], pts[1]
	}
	for i := 0; i < len(pts); i += 2 {
		p.minX, p.maxX = min(p.minX, pts[i]), max(p.maxX, pts[i])
		p.minY, p.maxY = min(p.minY, pts[i+1]), max(p.maxY, pts[i+1])
	}
}

func (p *path) add(kind byte, pts ...float32) {
	p.grow(pts...)
	op := pathOp{kind: kind}
	copy(op.p[:], pts)
	p.ops = append(p.ops, op)
}

func (p *path) moveTo(x, y float32)                 { p.add('M', x, y) }
func (p *path) lineTo(x, y float32)                 { p.add('L', x, y) }
func (p *path) quadTo(bx, by, x, y float32)         { p.add('Q', bx, by, x, y) }
func (p *path) cubeTo(bx, by, cx, cy, x, y float32) { p.add('C', bx, by, cx, cy, x, y) }
func (p *path) close()                              { p.ops = append(p.ops, pathOp{kind: 'Z'}) }

// poly adds a closed polygon through the points x0, y0, x1, y1, ...
func (p *path) poly(pts ...float32) {
	p.moveTo(pts[0], pts[1])
	for i := 2; i < len(pts); i += 2 {
		p.lineTo(pts[i], pts[i+1])
	}
	p.close()
}

// ellipse adds an ellipse; reverse winds it the other way, which cuts a
// hole when it lies inside another shape of the same path.
func (p *path) ellipse(cx, cy, rx, ry float32, reverse bool) {
	const k = 0.5522848 // control distance for a quarter circle
	if reverse {
		ry = -ry
	}
	p.moveTo(cx+rx, cy)
	p.cubeTo(cx+rx, cy+k*ry, cx+k*rx, cy+ry, cx, cy+ry)
	p.cubeTo(cx-k*rx, cy+ry, cx-rx, cy+k*ry, cx-rx, cy)
	p.cubeTo(cx-rx, cy-k*ry, cx-k*rx, cy-ry, cx, cy-ry)
	p.cubeTo(cx+k*rx, cy-ry, cx+rx, cy-k*ry, cx+rx, cy)
	p.close()
}

// smooth adds a curve through the points (x0, y0, x1, y1, ...) using their
// midpoints as knots, then closes the shape down to the line y = base.
func (p *path) smooth(base float32, pts ...float32) {
	n := len(pts) / 2
	p.moveTo(pts[0], base)
	p.lineTo(pts[0], pts[1])
	for i := 1; i < n-1; i++ {
		mx, my := (pts[2*i]+pts[2*i+2])/2, (pts[2*i+1]+pts[2*i+3])/2
		p.quadTo(pts[2*i], pts[2*i+1], mx, my)
	}
	p.lineTo(pts[2*n-2], pts[2*n-1])
	p.lineTo(pts[2*n-2], base)
	p.close()
}

// fill paints the inside of p with col, anti-aliased.
//
// The rasterizer only computes coverage, into an alpha mask; compositing
// is done here because most pixels of a large shape are either untouched
// or fully covered, and a run of fully covered pixels is a plain copy.
// That makes the big shapes (hills, stands, the sea) several times
// cheaper than drawing through the rasterizer.
func (c *canvas) fill(p *path, col color.RGBA) {
	if len(p.ops) == 0 || col.A == 0 {
		return
	}
	r := image.Rect(int(math.Floor(float64(p.minX))), int(math.Floor(float64(p.minY))),
		int(math.Ceil(float64(p.maxX))), int(math.Ceil(float64(p.maxY)))).Intersect(c.img.Rect)
	if r.Empty() {
		return
	}
	ox, oy := float32(r.Min.X), float32(r.Min.Y)
	c.z.Reset(r.Dx(), r.Dy())
	c.z.DrawOp = draw.Src
	for _, op := range p.ops {
		q := op.p
		switch op.kind {
		case 'M':
			c.z.MoveTo(q[0]-ox, q[1]-oy)
		case 'L':
			c.z.LineTo(q[0]-ox, q[1]-oy)
		case 'Q':
			c.z.QuadTo(q[0]-ox, q[1]-oy, q[2]-ox, q[3]-oy)
		case 'C':
			c.z.CubeTo(q[0]-ox, q[1]-oy, q[2]-ox, q[3]-oy, q[4]-ox, q[5]-oy)
		case 'Z':
			c.z.ClosePath()
		}
	}
	n := r.Dx() * r.Dy()
	if cap(c.mask.Pix) < n {
		c.mask.Pix = make([]uint8, n)
	}
	c.mask.Pix, c.mask.Stride, c.mask.Rect = c.mask.Pix[:n], r.Dx(), image.Rect(0, 0, r.Dx(), r.Dy())
	c.z.Draw(&c.mask, c.mask.Rect, image.Opaque, image.Point{})
	c.composite(r, col)
}

// composite lays col over the pixels of r through c.mask.
func (c *canvas) composite(r image.Rectangle, col color.RGBA) {
	w := r.Dx()
	if len(c.solid) < w*4 || [4]uint8(c.solid[:4]) != [4]uint8{col.R, col.G, col.B, col.A} {
		if cap(c.solid) < c.img.Rect.Dx()*4 {
			c.solid = make([]uint8, c.img.Rect.Dx()*4)
		}
		c.solid = c.solid[:c.img.Rect.Dx()*4]
		c.solid[0], c.solid[1], c.solid[2], c.solid[3] = col.R, col.G, col.B, col.A
		for k := 4; k < len(c.solid); k *= 2 {
			copy(c.solid[k:], c.solid[:k])
		}
	}
	sr, sg, sb, sa := uint32(col.R), uint32(col.G), uint32(col.B), uint32(col.A)
	for y := range r.Dy() {
		m := c.mask.Pix[y*w : y*w+w]
		dst := c.img.Pix[(r.Min.Y+y)*c.img.Stride+r.Min.X*4:]
		for x := 0; x < w; x++ {
			a := uint32(m[x])
			if a == 0 {
				continue
			}
			if a == 255 && sa == 255 {
				end := x + 1
				for end < w && m[end] == 255 {
					end++
				}
				copy(dst[x*4:end*4], c.solid)
				x = end - 1
				continue
			}
			// Premultiplied "over" with coverage a.
			inv := 255*255 - sa*a
			i := x * 4
			dst[i] = uint8((sr*a*255 + uint32(dst[i])*inv + 32512) / 65025)
			dst[i+1] = uint8((sg*a*255 + uint32(dst[i+1])*inv + 32512) / 65025)
			dst[i+2] = uint8((sb*a*255 + uint32(dst[i+2])*inv + 32512) / 65025)
			dst[i+3] = uint8((sa*a*255 + uint32(dst[i+3])*inv + 32512) / 65025)
		}
	}
}

// Shorthands for single shapes.

func (c *canvas) poly(col color.RGBA, pts ...float32) {
	var p path
	p.poly(pts...)
	c.fill(&p, col)
}

func (c *canvas) circle(cx, cy, r float32, col color.RGBA) {
	var p path
	p.ellipse(cx, cy, r, r, false)
	c.fill(&p, col)
}

func (c *canvas) oval(cx, cy, rx, ry float32, col color.RGBA) {
	var p path
	p.ellipse(cx, cy, rx, ry, false)
	c.fill(&p, col)
}

// line paints a straight stroke of the given width.
func (c *canvas) line(x0, y0, x1, y1, width float32, col color.RGBA) {
	dx, dy := x1-x0, y1-y0
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l == 0 {
		return
	}
	nx, ny := -dy/l*width/2, dx/l*width/2
	c.poly(col, x0+nx, y0+ny, x1+nx, y1+ny, x1-nx, y1-ny, x0-nx, y0-ny)
}

// ridge returns n+1 heights (n a power of two) in about -1..1 made by midpoint displacement:
// rough near 0.5 gives rolling country, near 0.7 jagged peaks.
func (c *canvas) ridge(n int, rough float32) []float32 {
	h := make([]float32, n+1)
	h[0], h[n] = c.rf(-1, 1), c.rf(-1, 1)
	amp := float32(1)
	for step := n; step > 1; step /= 2 {
		for i := step / 2; i < n; i += step {
			h[i] = (h[i-step/2]+h[i+step/2])/2 + c.rf(-amp, amp)
		}
		amp *= rough
	}
	return h
}

// hills returns points x, y across the full width (and a little beyond, so
// edges never show) for a line of hills around base with amplitude amp.
func (c *canvas) hills(base, amp float32, n int, rough float32) []float32 {
	h := c.ridge(n, rough)
	pts := make([]float32, 0, 2*(n+1))
	for i, v := range h {
		x := -0.05*c.w + 1.1*c.w*float32(i)/float32(n)
		pts = append(pts, x, base-amp*v)
	}
	return pts
}
