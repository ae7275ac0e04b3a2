package media

import (
	"image/color"
	"math"
)

// Landscapes: scenes built from a sky and layers that darken towards the
// viewer, each layer mixed with the horizon colour by its distance.

// layer is the colour of silhouette layer i of n, from the far colour
// melting into the sky to the foreground colour.
func (p palette) layer(i, n int) rgb {
	t := float32(i) / float32(max(1, n-1))
	far := p.skyLow.mix(p.far, 0.55)
	return far.mix(p.near, t*t*0.7+t*0.3)
}

func (c *canvas) city(p palette) {
	river := c.chance(0.5)
	street := c.h * c.rf(0.78, 0.84)
	if river {
		street = c.h * c.rf(0.66, 0.72)
	}
	c.sky(p, street)
	c.sun(p, c.w*c.rf(0.12, 0.88), c.h*c.rf(0.16, 0.36), c.u*c.rf(38, 62))
	if p.dark {
		c.stars(260, 0, c.h*0.5, p.sun)
	} else {
		c.clouds(p, c.ri(2, 4), c.h*0.1, c.h*0.35)
	}
	const layers = 3
	for l := range layers {
		col := p.layer(l, layers+1)
		if l == layers-1 {
			col = p.near.mix(p.far, 0.15)
		}
		c.skyline(p, l, street, col)
		c.haze(street-c.h*0.35, street, p.skyLow, 0, 0.28-0.08*float32(l))
	}
	if river {
		// An embankment, then the river mirroring the skyline.
		c.rect(0, street, c.w, street+c.u*14, p.near.mix(p.far, 0.3).a(1))
		water := street + c.u*14
		c.vgrad(water, c.h, p.skyLow.mix(p.near, 0.45), p.near.mix(p.accents[1], 0.2))
		c.reflect(water, c.h, 0.5)
		return
	}
	c.rect(0, street, c.w, c.h, p.near.scale(0.8).a(1))
	c.rect(0, street, c.w, street+c.u*18, p.near.mix(p.far, 0.3).a(1))
	mid := street + (c.h-street)*0.55
	for x := c.rf(0, 80) * c.u; x < c.w; x += c.u * 110 {
		c.rect(x, mid, x+c.u*55, mid+c.u*5, p.light.mix(p.near, 0.5).a(0.8))
	}
	// Street trees and lamps in front of the nearest buildings.
	green := p.near.mix(p.accents[1], 0.35)
	for x := c.rf(0, 120) * c.u; x < c.w; x += c.u * c.rf(160, 280) {
		if c.chance(0.4) {
			lamp := p.near.scale(0.7).a(1)
			c.rect(x-c.u*2.5, street-c.u*110, x+c.u*2.5, street+c.u*16, lamp)
			c.rect(x-c.u*2.5, street-c.u*110, x+c.u*26, street-c.u*105, lamp)
			c.oval(x+c.u*24, street-c.u*103, c.u*7, c.u*4, p.light.a(1))
			if p.dark {
				c.glow(x+c.u*24, street-c.u*100, c.u*60, p.light, 0.35)
			}
			continue
		}
		r := c.u * c.rf(22, 32)
		c.rect(x-c.u*2.5, street-r, x+c.u*2.5, street+c.u*16, p.near.scale(0.7).a(1))
		c.circle(x, street-r*1.4, r, green.a(1))
		c.circle(x-r*0.5, street-r*1.1, r*0.75, green.a(1))
		c.circle(x+r*0.55, street-r*1.15, r*0.7, green.scale(0.9).a(1))
	}
}

// skyline paints one row of buildings standing on the street line; the
// nearer the row (l), the lower the buildings and the more windows show.
func (c *canvas) skyline(p palette, l int, street float32, col rgb) {
	minH, maxH := c.h*(0.2-0.03*float32(l)), c.h*(0.55-0.1*float32(l))
	x := -c.rf(0, 60) * c.u
	for x < c.w {
		bw := c.u * c.rf(55, 140) * (1 + 0.25*float32(l))
		bh := c.rf(minH, maxH)
		top := street - bh
		c.rect(x, top, x+bw, street+1, col.a(1))
		switch c.ri(0, 6) {
		case 0: // set-back top storey
			c.rect(x+bw*0.18, top-bh*0.1, x+bw*0.82, top+1, col.a(1))
		case 1: // mast
			c.rect(x+bw*0.5-c.u*2, top-c.u*c.rf(40, 90), x+bw*0.5+c.u*2, top+1, col.a(1))
		case 2: // gable
			c.poly(col.a(1), x, top+1, x+bw/2, top-bw*0.35, x+bw, top+1)
		case 3: // dome
			c.oval(x+bw/2, top+1, bw*0.3, bw*0.25, col.a(1))
		}
		if l > 0 {
			c.windows(p, x, top, bw, street, col, l)
		}
		// Buildings stand shoulder to shoulder or leave a clear gap;
		// a sliver of background between them reads as a glitch.
		if c.chance(0.6) {
			x += bw - c.u*c.rf(0, 8)
		} else {
			x += bw + c.u*c.rf(10, 24)
		}
	}
}

// windows paints a grid of windows on a building front.
func (c *canvas) windows(p palette, x, top, bw, street float32, col rgb, l int) {
	ww, wh := c.u*7*(1+0.2*float32(l)), c.u*10*(1+0.2*float32(l))
	sx, sy := ww*2.1, wh*1.9
	cols := int((bw - ww) / sx)
	if cols < 1 {
		return
	}
	margin := (bw - float32(cols-1)*sx - ww) / 2
	lit := float32(0.12)
	if p.dark {
		lit = 0.55
	}
	dim := col.mix(p.skyLow, 0.18).a(1)
	bright := p.light.a(0.95)
	if !p.dark {
		bright = p.light.mix(col, 0.35).a(1)
	}
	for y := top + wh*1.5; y+wh < street-c.u*10; y += sy {
		for i := range cols {
			wx := x + margin + float32(i)*sx
			if c.chance(lit) {
				c.rect(wx, y, wx+ww, y+wh, bright)
			} else {
				c.rect(wx, y, wx+ww, y+wh, dim)
			}
		}
	}
}

func (c *canvas) sea(p palette) {
	hz := c.h * c.rf(0.5, 0.6)
	c.sky(p, hz)
	sx, sy := c.w*c.rf(0.2, 0.8), hz-c.h*c.rf(0.06, 0.26)
	r := c.u * c.rf(40, 65)
	c.sun(p, sx, sy, r)
	c.clouds(p, c.ri(1, 3), c.h*0.08, hz*0.6)

	// A headland on one side of the horizon.
	pts := c.hills(hz, c.h*0.05, 16, 0.5)
	left := c.chance(0.5)
	for i := 0; i < len(pts); i += 2 {
		t := pts[i] / c.w
		if !left {
			t = 1 - t
		}
		env := clamp01(1.6 - 3*t)
		pts[i+1] = hz - env*(c.h*0.06+(hz-pts[i+1]))
	}
	var head path
	head.smooth(hz+2, pts...)
	c.fill(&head, p.layer(0, 4).a(1))

	seaTop := p.skyLow.mix(p.accents[1], 0.3).mix(p.skyTop, 0.2)
	deep := p.near.mix(p.accents[1], 0.35)
	c.vgrad(hz, c.h, seaTop, deep)
	c.reflect(hz, c.h, 0.35)
	// The sun's path on the water.
	for y := hz + c.u*3; y < c.h; y += c.u * c.rf(7, 14) {
		t := (y - hz) / (c.h - hz)
		half := r * (0.4 + 1.6*t) * c.rf(0.5, 1.1)
		j := c.rf(-1, 1) * r * 0.3 * t
		c.rect(sx-half+j, y, sx+half+j, y+c.u*c.rf(2, 4), p.sun.a(0.55*(1-t)))
	}
	if c.chance(0.8) {
		c.boat(p, c.w*c.rf(0.1, 0.9), hz+c.u*c.rf(10, 40), c.u*c.rf(0.7, 1.2))
	}
	// Waves, each with a lighter crest.
	for i := range 4 {
		t := float32(i) / 3
		base := hz + (c.h-hz)*(0.38+0.2*float32(i))
		amp := c.u * (5 + 7*t)
		col := seaTop.mix(deep, 0.35+0.55*t)
		c.wave(base-amp*0.5, amp, c.u*(110+70*t), col.mix(white, 0.25).a(0.8))
		c.wave(base, amp, c.u*(110+70*t), col.a(1))
	}
}

// wave fills from a sine-shaped line around base down to the bottom.
func (c *canvas) wave(base, amp, length float32, col color.RGBA) {
	phase := c.rf(0, 2*math.Pi)
	var pts []float32
	for x := -length; x <= c.w+length; x += length / 4 {
		pts = append(pts, x, base+amp*float32(math.Sin(float64(phase+x/length*2*math.Pi))))
	}
	var pa path
	pa.smooth(c.h+1, pts...)
	c.fill(&pa, col)
}

// boat paints a small sailing boat with its hull at y.
func (c *canvas) boat(p palette, x, y, s float32) {
	u := c.u * s
	hull := p.near.a(1)
	c.poly(hull, x-34*u, y-6*u, x+34*u, y-6*u, x+24*u, y+4*u, x-26*u, y+4*u)
	c.rect(x-u, y-78*u, x+u, y-6*u, hull)
	c.poly(p.skyLow.mix(white, 0.7).a(1), x+3*u, y-76*u, x+3*u, y-10*u, x+30*u, y-10*u)
	c.poly(p.accents[0].a(1), x-3*u, y-66*u, x-3*u, y-10*u, x-24*u, y-10*u)
}

// reflect mirrors the rows above y0 into the rows below it, fading and
// broken into ripples, over the water already painted there.
func (c *canvas) reflect(y0, y1, alpha float32) {
	img := c.img
	iy0 := int(y0)
	w := img.Rect.Dx()
	for y := iy0; y < min(int(y1), img.Rect.Dy()); y++ {
		d := y - iy0
		sy := iy0 - 1 - d
		if sy < 0 {
			break
		}
		a := alpha * (1 - float32(d)/float32(y1-y0))
		if d%5 == 4 {
			a *= 0.4
		}
		// Each row is shifted a little and smeared sideways, as a
		// slightly troubled surface would.
		shift := int(c.u * 3 * float32(math.Sin(float64(d)*0.22)))
		spread := max(1, int(c.u*3))
		dst := img.Pix[y*img.Stride : y*img.Stride+w*4]
		src := img.Pix[sy*img.Stride : sy*img.Stride+w*4]
		a3 := a / 3
		for x := range w {
			i := x * 4
			l := min(w-1, max(0, x+shift-spread)) * 4
			m := min(w-1, max(0, x+shift)) * 4
			r := min(w-1, max(0, x+shift+spread)) * 4
			dst[i] = uint8(float32(dst[i])*(1-a) + (float32(src[l])+float32(src[m])+float32(src[r]))*a3)
			dst[i+1] = uint8(float32(dst[i+1])*(1-a) + (float32(src[l+1])+float32(src[m+1])+float32(src[r+1]))*a3)
			dst[i+2] = uint8(float32(dst[i+2])*(1-a) + (float32(src[l+2])+float32(src[m+2])+float32(src[r+2]))*a3)
		}
	}
}
