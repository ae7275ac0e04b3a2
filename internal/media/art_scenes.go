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

func (c *canvas) mountains(p palette) {
	c.sky(p, c.h*0.85)
	c.sun(p, c.w*c.rf(0.15, 0.85), c.h*c.rf(0.15, 0.35), c.u*c.rf(35, 55))
	c.clouds(p, c.ri(0, 3), c.h*0.08, c.h*0.3)
	const layers = 5
	for l := range layers {
		t := float32(l) / (layers - 1)
		base := c.h * (0.5 + 0.38*t)
		amp := c.h * (0.2 - 0.12*t)
		rough := 0.62 - 0.15*t
		pts := c.hills(base, amp, 32, rough)
		col := p.layer(l, layers)
		var pa path
		if l < 2 {
			// Jagged peaks with a light edge where the sun catches them.
			pa.poly(append([]float32{pts[0], c.h + 1}, append(pts, pts[len(pts)-2], c.h+1)...)...)
			c.fill(&pa, col.mix(p.sun, 0.45).a(1))
			for i := 1; i < len(pts); i += 2 {
				pts[i] += c.u * 5
			}
			pa = path{}
			pa.poly(append([]float32{pts[0], c.h + 1}, append(pts, pts[len(pts)-2], c.h+1)...)...)
		} else {
			pa.smooth(c.h+1, pts...)
		}
		c.fill(&pa, col.a(1))
		if l == layers-1 || l == layers-2 {
			c.pines(pts, col.scale(0.85), c.u*(30+25*t), 0.3)
		}
		if l < layers-1 {
			c.haze(base-amp*0.4, c.h, p.skyLow, 0, 0.45)
		}
	}
}

// pines stands fir trees along a line of points with the given density.
func (c *canvas) pines(pts []float32, col rgb, size, density float32) {
	for i := 0; i+3 < len(pts); i += 2 {
		x0, y0, x1, y1 := pts[i], pts[i+1], pts[i+2], pts[i+3]
		for x := x0; x < x1; x += size * c.rf(0.5, 1.5) {
			if !c.chance(density) {
				continue
			}
			y := y0 + (y1-y0)*(x-x0)/(x1-x0) + size*0.2
			c.pine(x, y, size*c.rf(0.7, 1.3), col)
		}
	}
}

// pine paints a fir tree with its foot at (x, y).
func (c *canvas) pine(x, y, hgt float32, col rgb) {
	w := hgt * 0.32
	tiers := 4
	pts := []float32{x, y - hgt}
	for i := 1; i <= tiers; i++ {
		t := float32(i) / float32(tiers)
		ty := y - hgt + hgt*0.92*t
		pts = append(pts, x+w*t, ty, x+w*t*0.45, ty)
	}
	pts = append(pts, x+w*0.08, y, x-w*0.08, y)
	for i := tiers; i >= 1; i-- {
		t := float32(i) / float32(tiers)
		ty := y - hgt + hgt*0.92*t
		pts = append(pts, x-w*t*0.45, ty, x-w*t, ty)
	}
	c.poly(col.a(1), pts...)
}

func (c *canvas) desert(p palette) {
	hz := c.h * c.rf(0.58, 0.66)
	c.sky(p, hz)
	c.sun(p, c.w*c.rf(0.2, 0.8), hz-c.h*c.rf(0.08, 0.3), c.u*c.rf(55, 85))
	// Mesas on the horizon.
	for range c.ri(1, 3) {
		x, w, h := c.rf(-0.1, 0.9)*c.w, c.rf(0.1, 0.25)*c.w, c.h*c.rf(0.06, 0.14)
		c.poly(p.layer(0, 4).a(1), x, hz+2, x+w*0.12, hz-h*0.6, x+w*0.16, hz-h, x+w*0.78, hz-h, x+w*0.84, hz-h*0.5, x+w, hz+2)
	}
	c.haze(hz-c.h*0.15, hz+2, p.skyLow, 0, 0.35)
	sand := p.far.mix(p.accents[2], 0.3)
	for i := range 4 {
		t := float32(i) / 3
		base := hz + (c.h-hz)*(0.05+0.3*t)
		amp := c.u * (25 + 30*t)
		ph, f := c.rf(0, 6), c.rf(0.8, 1.8)
		var pts []float32
		for x := -0.05 * c.w; x <= 1.05*c.w; x += c.w / 24 {
			v := 0.65*math.Sin(float64(ph+f*x/c.w*2*math.Pi)) + 0.35*math.Sin(float64(2.3*ph+2.7*f*x/c.w*2*math.Pi))
			pts = append(pts, x, base-amp*float32(v))
		}
		col := sand.mix(p.skyLow, 0.35*(1-t)).mix(p.near, 0.45*t)
		// The lit face first, then the body a little lower and to the
		// side, so each crest keeps a bright edge.
		var lit path
		lit.smooth(c.h+1, pts...)
		c.fill(&lit, col.mix(p.sun, 0.3).a(1))
		for j := 0; j < len(pts); j += 2 {
			pts[j] += c.u * 30
			pts[j+1] += c.u * 6
		}
		var body path
		body.smooth(c.h+1, pts...)
		c.fill(&body, col.a(1))
		if i == 3 {
			for range c.ri(0, 2) {
				c.cactus(c.rf(0.05, 0.95)*c.w, base+c.u*c.rf(20, 60), c.u*c.rf(0.8, 1.3), p.near.scale(0.8))
			}
		}
	}
}

// cactus paints a saguaro with its foot at (x, y).
func (c *canvas) cactus(x, y, s float32, col rgb) {
	u := c.u * s
	k := col.a(1)
	stem := func(x0, y0, x1, y1 float32) {
		r := (x1 - x0) / 2
		c.rect(x0, y0+r, x1, y1, k)
		c.circle(x0+r, y0+r, r, k)
	}
	stem(x-9*u, y-120*u, x+9*u, y)
	stem(x-34*u, y-85*u, x-20*u, y-45*u)
	c.rect(x-34*u, y-52*u, x, y-40*u, k)
	stem(x+20*u, y-95*u, x+34*u, y-60*u)
	c.rect(x, y-67*u, x+34*u, y-55*u, k)
}

func (c *canvas) night(p palette) {
	c.sky(p, c.h)
	c.stars(420, 0, c.h*0.7, p.sun)
	c.sun(p, c.w*c.rf(0.15, 0.85), c.h*c.rf(0.12, 0.28), c.u*c.rf(30, 45))
	// A town's glow on the horizon.
	c.glow(c.w*c.rf(0.2, 0.8), c.h*0.6, c.h*0.35, p.light, 0.18)
	const layers = 4
	for l := range layers {
		t := float32(l) / (layers - 1)
		base := c.h * (0.56 + 0.3*t)
		pts := c.hills(base, c.h*(0.1-0.04*t), 16, 0.45)
		col := p.skyLow.mix(p.far, 0.5).mix(p.near, t)
		var pa path
		pa.smooth(c.h+1, pts...)
		c.fill(&pa, col.a(1))
		if l == 1 || l == 2 {
			c.houses(p, pts, col.scale(0.8), c.u*(16+16*t))
		}
		if l == 2 {
			c.pines(pts, col.scale(0.9), c.u*60, 0.2)
		}
		c.haze(base-c.h*0.1, c.h, p.skyLow, 0, 0.1)
	}
}

// houses puts small houses with lit windows along a line of points.
func (c *canvas) houses(p palette, pts []float32, col rgb, s float32) {
	for i := 0; i+3 < len(pts); i += 2 {
		if !c.chance(0.35) {
			continue
		}
		x := pts[i] + (pts[i+2]-pts[i])*c.rf(0.2, 0.8)
		y := pts[i+1] + (pts[i+3]-pts[i+1])*(x-pts[i])/(pts[i+2]-pts[i]) + s*0.3
		w := s * c.rf(1.2, 2)
		c.rect(x, y-s, x+w, y+s, col.a(1))
		c.poly(col.a(1), x-s*0.15, y-s+1, x+w/2, y-s*1.7, x+w+s*0.15, y-s+1)
		for k := range 2 {
			if c.chance(0.7) {
				wx := x + w*(0.2+0.45*float32(k))
				c.rect(wx, y-s*0.55, wx+s*0.3, y-s*0.15, p.light.a(0.95))
				c.glow(wx+s*0.15, y-s*0.35, s*1.2, p.light, 0.15)
			}
		}
	}
}

func (c *canvas) field(p palette) {
	c.sky(p, c.h*0.5)
	c.sun(p, c.w*c.rf(0.1, 0.9), c.h*c.rf(0.1, 0.3), c.u*c.rf(35, 55))
	c.clouds(p, c.ri(2, 5), c.h*0.08, c.h*0.35)
	far := c.hills(c.h*0.5, c.h*0.05, 16, 0.5)
	var pa path
	pa.smooth(c.h+1, far...)
	c.fill(&pa, p.layer(0, 4).mix(hexRGB("#9cb59a"), 0.3).a(1))
	if c.chance(0.7) {
		c.barn(p, c.w*c.rf(0.1, 0.85), c.h*0.52, c.u*c.rf(0.6, 0.9))
	}
	c.haze(c.h*0.4, c.h, p.skyLow, 0, 0.3)

	crops := [][2]string{
		{"#a7c957", "#8fb04a"}, {"#e9c46a", "#ddb45a"}, {"#6a994e", "#5c8a43"},
		{"#d4a373", "#c8955f"}, {"#b5c99a", "#a3b98a"},
	}
	for l := range 3 {
		t := float32(l) / 2
		base := c.h * (0.58 + 0.16*t)
		pts := c.hills(base, c.h*(0.06+0.02*t), 8, 0.45)
		pair := crops[c.rnd.IntN(len(crops))]
		a, b := hexRGB(pair[0]), hexRGB(pair[1])
		mixK := 0.3 * (1 - t)
		a, b = a.mix(p.skyLow, mixK).mix(p.near, 0.1*t), b.mix(p.skyLow, mixK).mix(p.near, 0.15*t)
		// Furrows: bands following the hill's curve, widening towards us.
		const bands = 9
		depth := c.h - base + c.h*0.1
		for k := range bands {
			o0 := depth * float32(math.Pow(float64(k)/bands, 1.7))
			o1 := depth * float32(math.Pow(float64(k+1)/bands, 1.7))
			col := a
			if k%2 == 1 {
				col = b
			}
			c.band(pts, o0, o1+1, col)
		}
		if l == 1 && c.chance(0.8) {
			i := 2 * c.ri(1, len(pts)/2-2)
			c.tree(p, pts[i], pts[i+1]+c.u*6, c.u*c.rf(0.8, 1.2))
		}
		if l == 2 {
			for range c.ri(2, 5) {
				x := c.rf(0.05, 0.95) * c.w
				y := base + c.h*c.rf(0.08, 0.2)
				r := c.u * c.rf(16, 24) * (0.6 + (y-base)/(c.h*0.2))
				c.oval(x, y, r, r*0.95, hexRGB("#d9a441").mix(p.sun, 0.2).a(1))
				c.oval(x-r*0.35, y, r*0.55, r*0.8, hexRGB("#b98532").a(1))
				c.oval(x-r*0.35, y, r*0.25, r*0.4, hexRGB("#a37428").a(1))
			}
		}
	}
}

// band fills the strip between a hill's curve moved down by o0 and by o1.
func (c *canvas) band(pts []float32, o0, o1 float32, col rgb) {
	var pa path
	n := len(pts) / 2
	pa.moveTo(pts[0], pts[1]+o0)
	for i := 1; i < n-1; i++ {
		mx, my := (pts[2*i]+pts[2*i+2])/2, (pts[2*i+1]+pts[2*i+3])/2
		pa.quadTo(pts[2*i], pts[2*i+1]+o0, mx, my+o0)
	}
	pa.lineTo(pts[2*n-2], pts[2*n-1]+o0)
	pa.lineTo(pts[2*n-2], pts[2*n-1]+o1)
	for i := n - 2; i >= 1; i-- {
		mx, my := (pts[2*i]+pts[2*i-2])/2, (pts[2*i+1]+pts[2*i-1])/2
		pa.quadTo(pts[2*i], pts[2*i+1]+o1, mx, my+o1)
	}
	pa.lineTo(pts[0], pts[1]+o1)
	pa.close()
	c.fill(&pa, col.a(1))
}

// tree paints a broadleaf tree with its foot at (x, y).
func (c *canvas) tree(p palette, x, y, s float32) {
	u := c.u * s
	c.poly(p.near.scale(0.8).a(1), x-5*u, y, x-3*u, y-70*u, x+3*u, y-70*u, x+5*u, y)
	g := hexRGB("#4f772d").mix(p.near, 0.3)
	c.circle(x, y-100*u, 45*u, g.a(1))
	c.circle(x-35*u, y-80*u, 32*u, g.scale(0.92).a(1))
	c.circle(x+35*u, y-82*u, 34*u, g.scale(0.88).a(1))
	c.circle(x-10*u, y-118*u, 30*u, g.mix(p.sun, 0.15).a(1))
}

// barn paints a small barn with its foot at (x, y).
func (c *canvas) barn(p palette, x, y, s float32) {
	u := c.u * s
	red := hexRGB("#a44a3f").mix(p.skyLow, 0.3)
	c.rect(x, y-40*u, x+70*u, y, red.a(1))
	c.poly(red.scale(0.75).a(1), x-5*u, y-39*u, x+35*u, y-68*u, x+75*u, y-39*u)
	c.rect(x+27*u, y-24*u, x+43*u, y, red.mix(white, 0.5).a(1))
}

func (c *canvas) forest(p palette) {
	c.sky(p, c.h*0.7)
	sx := c.w * c.rf(0.15, 0.85)
	c.glow(sx, c.h*0.15, c.h*0.6, p.sun, 0.5)
	const layers = 5
	for l := range layers {
		t := float32(l) / (layers - 1)
		base := c.h * (0.5 + 0.42*t)
		pts := c.hills(base, c.h*0.03, 8, 0.5)
		col := p.layer(l, layers).mix(hexRGB("#2d4a3e"), 0.25*t)
		var pa path
		pa.smooth(c.h+1, pts...)
		c.fill(&pa, col.a(1))
		c.pines(pts, col, c.h*(0.12+0.2*t*t), 0.95)
		if l < layers-1 {
			c.haze(base-c.h*0.2, c.h, p.skyLow, 0, 0.4)
		}
		if l == 1 {
			// Shafts of light through the trees.
			for range c.ri(3, 5) {
				x0 := sx + c.rf(-0.1, 0.1)*c.w
				spread := c.rf(-0.5, 0.5) * c.w
				wide := c.rf(0.02, 0.06) * c.w
				c.poly(p.sun.a(c.rf(0.05, 0.1)), x0, 0, x0+wide*0.3, 0, x0+spread+wide, c.h, x0+spread, c.h)
			}
		}
	}
}
