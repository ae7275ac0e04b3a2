package media

import (
	"math"
)

// Space, and the abstract composition for kinds Scene does not know.

func (c *canvas) space(p palette) {
	c.vgrad(0, c.h, p.skyTop, p.skyLow)
	for k := range 4 {
		c.glow(c.rf(0, c.w), c.rf(0, c.h), c.h*c.rf(0.3, 0.45), p.accents[k], 0.2)
	}
	size := max(1, int(c.u*1.6))
	for range 600 {
		c.dot(c.rf(0, c.w), c.rf(0, c.h), size, white, c.rf(0.2, 1))
	}
	for range 6 {
		x, y := c.rf(0, c.w), c.rf(0, c.h)
		c.glow(x, y, c.u*18, white, 0.7)
		c.line(x-c.u*14, y, x+c.u*14, y, c.u*1.5, white.a(0.6))
		c.line(x, y-c.u*14, x, y+c.u*14, c.u*1.5, white.a(0.6))
	}
	right := c.chance(0.5)
	cx := c.w * c.rf(0.25, 0.42)
	if right {
		cx = c.w - cx
	}
	cy, r := c.h*c.rf(0.42, 0.58), c.h*c.rf(0.24, 0.32)
	tilt := c.rf(-0.35, -0.1)
	if right {
		tilt = -tilt
	}
	bands := []rgb{p.accents[2], p.accents[0], p.accents[2].mix(white, 0.3), p.accents[3], p.accents[0].mix(p.accents[2], 0.5), p.accents[2]}
	ringCol := p.accents[2].mix(white, 0.35)
	c.ring(cx, cy, r, tilt, ringCol, true)
	c.sphere(cx, cy, r, tilt, bands)
	c.ring(cx, cy, r, tilt, ringCol, false)
	mx := cx - c.w*0.3
	if !right {
		mx = cx + c.w*0.32
	}
	c.sphere(mx, c.h*c.rf(0.2, 0.35), c.h*0.05, 0, []rgb{p.accents[1], p.accents[1].mix(white, 0.2), p.accents[1]})
}

// sphere paints a lit globe striped with bands at an angle of tilt
// radians, light coming from the upper left.
func (c *canvas) sphere(cx, cy, r, tilt float32, bands []rgb) {
	lx, ly, lz := float32(-0.55), float32(-0.45), float32(0.70)
	sin, cos := float32(math.Sin(float64(tilt))), float32(math.Cos(float64(tilt)))
	x0, x1 := max(0, int(cx-r-1)), min(c.img.Rect.Dx(), int(cx+r+2))
	y0, y1 := max(0, int(cy-r-1)), min(c.img.Rect.Dy(), int(cy+r+2))
	nb := float32(len(bands))
	for y := y0; y < y1; y++ {
		dy := (float32(y) + 0.5 - cy) / r
		row := c.img.Pix[y*c.img.Stride:]
		for x := x0; x < x1; x++ {
			dx := (float32(x) + 0.5 - cx) / r
			r2 := dx*dx + dy*dy
			d := float32(math.Sqrt(float64(r2)))
			cover := clamp01((1 - d) * r)
			if cover <= 0 {
				continue
			}
			nz := float32(math.Sqrt(float64(max(0, 1-r2))))
			lat := dy*cos - dx*sin
			v := clamp01((lat+1)/2) * (nb - 0.001)
			i := int(v)
			col := bands[i]
			if f := v - float32(i); f < 0.15 && i > 0 {
				col = bands[i-1].mix(col, 0.5+f/0.3)
			}
			light := 0.15 + 0.95*max(0, dx*lx+dy*ly+nz*lz)
			col = col.scale(light)
			k := x * 4
			row[k] = uint8(float32(row[k])*(1-cover) + col.r*255*cover)
			row[k+1] = uint8(float32(row[k+1])*(1-cover) + col.g*255*cover)
			row[k+2] = uint8(float32(row[k+2])*(1-cover) + col.b*255*cover)
		}
	}
}

// ring paints the far (back) or near half of a planet's ring.
func (c *canvas) ring(cx, cy, r, tilt float32, col rgb, back bool) {
	a0, a1 := 0.0, math.Pi
	if back {
		a0, a1 = math.Pi, 2*math.Pi
	}
	outer := ellipsePts(0, 0, r*2.1, r*0.5, a0, a1, 32)
	inner := ellipsePts(0, 0, r*1.4, r*0.3, a1, a0, 32)
	pts := append(outer, inner...)
	sin, cos := float32(math.Sin(float64(tilt))), float32(math.Cos(float64(tilt)))
	for i := 0; i < len(pts); i += 2 {
		x, y := pts[i], pts[i+1]
		pts[i], pts[i+1] = cx+x*cos-y*sin, cy+x*sin+y*cos
	}
	alpha := float32(0.85)
	if back {
		col = col.scale(0.8)
	}
	c.poly(col.a(alpha), pts...)
}

// abstract is a calm composition of discs, arcs and bands in the palette,
// laid out on a loose grid so shapes do not pile up.
func (c *canvas) abstract(p palette) {
	bg := p.skyLow.mix(white, 0.35)
	c.vgrad(0, c.h, bg, bg.mix(p.skyTop, 0.3))
	cols := []rgb{p.accents[0], p.accents[1], p.accents[2], p.accents[3], p.far, p.near}
	col := func() rgb { return cols[c.rnd.IntN(len(cols))] }
	c.circle(c.w*c.rf(0.25, 0.75), c.h*c.rf(0.3, 0.55), c.h*c.rf(0.25, 0.38), p.accents[0].a(0.9))
	base := c.h * c.rf(0.62, 0.75)
	pts := c.hills(base, c.h*0.05, 8, 0.4)
	var pa path
	pa.smooth(c.h+1, pts...)
	c.fill(&pa, p.far.a(0.9))
	c.band(pts, c.h*0.08, c.h*0.16, p.near.mix(p.far, 0.4))
	c.band(pts, c.h*0.16, c.h*0.5, p.near)

	const gx, gy = 4, 3
	cw, ch := c.w/gx, c.h/gy
	for _, cell := range c.rnd.Perm(gx * gy)[:c.ri(4, 6)] {
		x := (float32(cell%gx) + c.rf(0.3, 0.7)) * cw
		y := (float32(cell/gx) + c.rf(0.3, 0.7)) * ch
		s := min(cw, ch) * c.rf(0.25, 0.45)
		k := col()
		switch c.rnd.IntN(5) {
		case 0: // half disc
			c.poly(k.a(0.9), ellipsePts(x, y, s, s, math.Pi, 2*math.Pi, 24)...)
		case 1: // ring
			var r path
			r.ellipse(x, y, s, s, false)
			r.ellipse(x, y, s*0.7, s*0.7, true)
			c.fill(&r, k.a(0.85))
		case 2: // dot grid
			for i := range 5 {
				for j := range 4 {
					c.circle(x-s+float32(i)*s*0.5, y-s*0.75+float32(j)*s*0.5, s*0.07, k.a(0.9))
				}
			}
		case 3: // tall bar
			c.rect(x-s*0.2, y-s, x+s*0.2, y+s, k.a(0.85))
		case 4: // quarter disc
			c.poly(k.a(0.9), append(ellipsePts(x-s/2, y+s/2, s, s, math.Pi*1.5, 2*math.Pi, 16), x-s/2, y+s/2)...)
		}
	}
}
