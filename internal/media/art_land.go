package media

import (
	"math"
)

// Open country: mountains, desert, night hills, fields and forest.

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
