package media

import (
	"math"
)

// Workplaces: a laboratory, a harbour and a factory.

func (c *canvas) lab(p palette) {
	bench := c.h * c.rf(0.74, 0.8)
	wallTop, wallLow := p.skyTop.mix(white, 0.6), p.skyLow.mix(white, 0.35)
	c.vgrad(0, bench, wallTop, wallLow)
	// A window on the outside world.
	wx := c.w * c.rf(0.55, 0.7)
	ww, wy0, wy1 := c.w*0.26, c.h*0.1, c.h*0.5
	c.vgradRect(wx, wy0, wx+ww, wy1, p.skyTop, p.skyLow)
	c.view(wx, wx+ww, wy1, p)
	frame := p.near.mix(white, 0.55).a(1)
	c.rect(wx-c.u*6, wy0-c.u*6, wx+ww+c.u*6, wy0, frame)
	c.rect(wx-c.u*6, wy1, wx+ww+c.u*6, wy1+c.u*8, frame)
	c.rect(wx-c.u*6, wy0, wx, wy1, frame)
	c.rect(wx+ww, wy0, wx+ww+c.u*6, wy1, frame)
	c.rect(wx+ww/2-c.u*3, wy0, wx+ww/2+c.u*3, wy1, frame)
	// A molecule diagram pinned to the wall.
	mx, my, mr := c.w*c.rf(0.15, 0.3), c.h*0.3, c.u*80
	ink := p.accents[3].mix(wallTop, 0.25)
	pts := ellipsePts(mx, my, mr, mr, math.Pi/6, math.Pi/6+2*math.Pi, 6)
	for i := 0; i+3 < len(pts); i += 2 {
		c.line(pts[i], pts[i+1], pts[i+2], pts[i+3], c.u*4, ink.a(0.9))
	}
	c.line(pts[0], pts[1], pts[0]+mr*0.9, pts[1]-mr*0.5, c.u*4, ink.a(0.9))
	c.line(pts[6], pts[7], pts[6]-mr*0.9, pts[7]+mr*0.5, c.u*4, ink.a(0.9))
	for i := 0; i+1 < len(pts)-2; i += 2 {
		c.circle(pts[i], pts[i+1], c.u*12, p.accents[i/2%4].a(1))
	}
	c.circle(pts[0]+mr*0.9, pts[1]-mr*0.5, c.u*9, p.accents[1].a(1))
	c.circle(pts[6]-mr*0.9, pts[7]+mr*0.5, c.u*9, p.accents[2].a(1))
	// The bench.
	top := p.near.mix(white, 0.3)
	c.rect(0, bench, c.w, bench+c.h*0.035, top.a(1))
	c.vgrad(bench+c.h*0.035, c.h, p.near.mix(top, 0.3), p.near)
	c.rect(0, bench+c.h*0.035, c.w, bench+c.h*0.045, p.near.scale(0.7).a(0.6))
	for x := c.w * c.rf(0.1, 0.2); x < c.w; x += c.w * 0.25 {
		c.rect(x, bench+c.h*0.1, x+c.u*70, bench+c.h*0.11, p.near.mix(white, 0.2).a(1))
	}
	// Glassware along the bench.
	x := c.w * c.rf(0.04, 0.1)
	for x < c.w*0.95 {
		s := c.rf(1.3, 1.8)
		liquid := p.accents[c.rnd.IntN(4)]
		switch c.rnd.IntN(3) {
		case 0:
			x += c.flask(x+60*c.u*s, bench, s, liquid, p) + c.u*c.rf(20, 60)
		case 1:
			x += c.beaker(x, bench, s, liquid, p) + c.u*c.rf(20, 60)
		default:
			x += c.tubes(x, bench, s, p) + c.u*c.rf(20, 60)
		}
	}
}

// glass is the tint and outline of laboratory glass.
func glass(p palette) (fill, edge rgb) { return p.skyLow.mix(white, 0.7), p.near.mix(white, 0.35) }

// flask paints a conical flask standing at (x, y) and returns its width.
func (c *canvas) flask(x, y, s float32, liquid rgb, p palette) float32 {
	u := c.u * s
	fill, edge := glass(p)
	body := func(grow float32) []float32 {
		return []float32{x - 12*u - grow, y - 190*u - grow, x + 12*u + grow, y - 190*u - grow,
			x + 12*u + grow, y - 120*u, x + 60*u + grow, y + grow, x - 60*u - grow, y + grow, x - 12*u - grow, y - 120*u}
	}
	c.poly(edge.a(1), body(c.u*3)...)
	c.poly(fill.a(0.95), body(0)...)
	level := c.rf(0.35, 0.7)
	lx := 12*u + 48*u*(1-level)
	ly := y - 120*u*level
	c.poly(liquid.a(0.9), x-lx, ly, x+lx, ly, x+60*u, y, x-60*u, y)
	c.line(x-8*u, y-180*u, x-8*u, y-125*u, 3*u, white.a(0.7))
	for range 4 {
		c.circle(x+c.rf(-20, 20)*u, ly+c.rf(10, 50)*u, c.rf(2, 5)*u, white.a(0.6))
	}
	return 120 * u
}

// beaker paints a beaker standing at (x, y) and returns its width.
func (c *canvas) beaker(x, y, s float32, liquid rgb, p palette) float32 {
	u := c.u * s
	fill, edge := glass(p)
	w, h := 90*u, 120*u
	c.rect(x-3*u, y-h-3*u, x+w+3*u, y, edge.a(1))
	c.rect(x, y-h, x+w, y-3*u, fill.a(0.95))
	c.rect(x, y-h*c.rf(0.3, 0.7), x+w, y-3*u, liquid.a(0.85))
	c.rect(x+10*u, y-h+10*u, x+15*u, y-12*u, white.a(0.6))
	return w
}

// tubes paints a rack of test tubes standing at (x, y) and returns its
// width.
func (c *canvas) tubes(x, y, s float32, p palette) float32 {
	u := c.u * s
	fill, edge := glass(p)
	n := c.ri(3, 5)
	w := float32(n)*28*u + 10*u
	for i := range n {
		tx := x + 10*u + float32(i)*28*u
		c.rect(tx-2*u, y-150*u, tx+20*u, y-30*u, edge.a(1))
		c.rect(tx, y-148*u, tx+18*u, y-30*u, fill.a(0.95))
		c.rect(tx, y-c.rf(70, 120)*u, tx+18*u, y-30*u, p.accents[c.rnd.IntN(4)].a(0.9))
	}
	wood := p.near.mix(p.accents[2], 0.3)
	c.rect(x, y-90*u, x+w, y-75*u, wood.a(1))
	c.rect(x, y-30*u, x+w, y, wood.scale(0.85).a(1))
	return w
}

// view paints far rooftops seen through a window between x0 and x1.
func (c *canvas) view(x0, x1, bottom float32, p palette) {
	col := p.layer(0, 3)
	for x := x0; x < x1; {
		w := min(x1-x, c.u*c.rf(30, 70))
		c.rect(x, bottom-c.h*c.rf(0.05, 0.15), x+w, bottom, col.a(1))
		x += w
	}
}

func (c *canvas) harbour(p palette) {
	hz := c.h * c.rf(0.62, 0.68)
	c.sky(p, hz)
	c.sun(p, c.w*c.rf(0.55, 0.9), c.h*c.rf(0.15, 0.35), c.u*c.rf(35, 55))
	c.clouds(p, c.ri(1, 3), c.h*0.06, c.h*0.3)
	far := c.hills(hz, c.h*0.04, 16, 0.5)
	for i := 1; i < len(far); i += 2 {
		far[i] -= c.h * 0.03
	}
	var pa path
	pa.smooth(hz+1, far...)
	c.fill(&pa, p.layer(0, 4).a(1))
	c.haze(hz-c.h*0.12, hz, p.skyLow, 0, 0.3)

	quayEnd := c.w * c.rf(0.5, 0.62)
	steel := p.accents[0].mix(p.far, 0.25)
	for k := range c.ri(2, 3) {
		c.crane(quayEnd*(0.22+0.33*float32(k))+c.rf(-20, 20)*c.u, hz-c.u*14, c.u*c.rf(0.85, 1.1), steel)
	}
	c.containers(c.u*10, quayEnd*0.95, hz-c.u*14, 4, p)
	c.ship(quayEnd+c.u*40, c.w*c.rf(0.95, 1.1), hz, p)

	seaTop := p.skyLow.mix(p.accents[1], 0.25)
	c.vgrad(hz, c.h, seaTop, p.near.mix(p.accents[1], 0.3))
	c.reflect(hz, c.h, 0.45)
	for range 30 {
		x, y := c.rf(0, c.w), c.rf(hz+c.u*10, c.h)
		w := c.u * c.rf(20, 90)
		c.rect(x, y, x+w, y+c.u*2, p.skyLow.mix(white, 0.5).a(0.35))
	}
	c.rect(0, hz-c.u*14, quayEnd, hz+c.u*4, p.near.a(1))
	c.rect(0, hz-c.u*14, quayEnd, hz-c.u*10, p.near.mix(p.skyLow, 0.3).a(1))
}

// crane paints a ship-to-shore container crane standing at (x, y).
func (c *canvas) crane(x, y, s float32, col rgb) {
	u := c.u * s
	k := col.a(1)
	c.line(x-45*u, y, x-32*u, y-210*u, 8*u, k)
	c.line(x+45*u, y, x+32*u, y-210*u, 8*u, k)
	c.line(x-40*u, y-100*u, x+40*u, y-100*u, 6*u, k)
	c.line(x-43*u, y-20*u, x+43*u, y-20*u, 6*u, k)
	c.rect(x-130*u, y-232*u, x+290*u, y-218*u, k)
	c.rect(x-5*u, y-320*u, x+5*u, y-218*u, k)
	c.line(x, y-318*u, x+280*u, y-226*u, 2.5*u, k)
	c.line(x, y-318*u, x-120*u, y-226*u, 2.5*u, k)
	c.rect(x-36*u, y-266*u, x+30*u, y-232*u, col.scale(0.8).a(1))
	t := x + c.rf(60, 240)*u
	c.rect(t-10*u, y-218*u, t+10*u, y-206*u, col.scale(0.7).a(1))
	c.line(t, y-206*u, t, y-120*u, 1.5*u, col.scale(0.6).a(1))
}

// containerColours are the dulled primaries of shipping containers.
var containerColours = []string{"#c8553d", "#2a9d8f", "#e9c46a", "#264653", "#f4a261", "#8d99ae", "#6d597a", "#3a7d44"}

// containers stacks shipping containers between x0 and x1 on the line y,
// at most high boxes tall.
func (c *canvas) containers(x0, x1, y float32, high int, p palette) {
	w, h := c.u*62, c.u*26
	for x := x0; x+w < x1; x += w + c.u*4 {
		if c.chance(0.15) {
			continue
		}
		for k := range c.ri(1, high) {
			col := hexRGB(containerColours[c.rnd.IntN(len(containerColours))]).mix(p.far, 0.25)
			top := y - h*float32(k+1)
			c.rect(x, top, x+w, top+h-c.u*2, col.a(1))
			for rx := x + c.u*5; rx < x+w-c.u*3; rx += c.u * 7 {
				c.rect(rx, top+c.u*3, rx+c.u*2, top+h-c.u*5, col.scale(0.8).a(1))
			}
		}
	}
}

// ship paints a container ship with its waterline at y, bow to the right.
func (c *canvas) ship(x0, x1, y float32, p palette) {
	u := c.u
	hull := p.near.mix(p.accents[3], 0.3)
	c.poly(hull.a(1), x0, y-70*u, x1+30*u, y-80*u, x1, y, x0+25*u, y)
	c.poly(p.accents[0].scale(0.8).a(1), x0+18*u, y-14*u, x1+6*u, y-14*u, x1, y, x0+25*u, y)
	deck := y - 70*u
	sup := p.skyLow.mix(white, 0.75)
	c.rect(x0+30*u, deck-120*u, x0+110*u, deck, sup.a(1))
	c.rect(x0+22*u, deck-128*u, x0+118*u, deck-118*u, sup.scale(0.9).a(1))
	for wy := deck - 108*u; wy < deck-10*u; wy += 22 * u {
		c.rect(x0+38*u, wy, x0+102*u, wy+8*u, p.near.mix(p.skyTop, 0.3).a(1))
	}
	c.rect(x0+60*u, deck-170*u, x0+84*u, deck-128*u, p.accents[0].a(1))
	c.containers(x0+130*u, x1-20*u, deck, 3, p)
}

func (c *canvas) factory(p palette) {
	ground := c.h * c.rf(0.8, 0.86)
	c.sky(p, ground)
	c.sun(p, c.w*c.rf(0.1, 0.9), c.h*c.rf(0.2, 0.45), c.u*c.rf(50, 80))
	// Far works: a cooling tower and tanks.
	farCol := p.layer(0, 3)
	tx := c.w * c.rf(0.1, 0.9)
	var tower path
	u := c.u
	tower.moveTo(tx-90*u, ground)
	tower.quadTo(tx-45*u, ground-160*u, tx-55*u, ground-250*u)
	tower.lineTo(tx+55*u, ground-250*u)
	tower.quadTo(tx+45*u, ground-160*u, tx+90*u, ground)
	tower.close()
	c.fill(&tower, farCol.a(1))
	c.smoke(tx, ground-260*u, c.rf(1, 3)*u, 40*u, p.skyLow.mix(white, 0.6), 0.4)
	for range c.ri(2, 4) {
		x := c.rf(0, c.w)
		r := u * c.rf(40, 70)
		c.rect(x-r, ground-r*1.6, x+r, ground, farCol.a(1))
		c.oval(x, ground-r*1.6, r, r*0.3, farCol.a(1))
	}
	c.haze(ground-c.h*0.35, ground, p.skyLow, 0, 0.35)

	// Halls with sawtooth roofs, their glazing catching the light.
	body := p.layer(1, 3)
	x := -c.rf(0, 60) * u
	for x < c.w {
		w := c.w * c.rf(0.25, 0.4)
		top := ground - c.h*c.rf(0.16, 0.24)
		c.rect(x, top, x+w, ground, body.a(1))
		tw := u * 60
		for t := x; t+tw <= x+w; t += tw {
			c.poly(body.a(1), t, top+1, t, top-40*u, t+tw, top+1)
			c.rect(t, top-38*u, t+5*u, top, p.light.mix(p.sun, 0.4).a(0.9))
		}
		for wy := top + 30*u; wy < ground-40*u; wy += 60 * u {
			c.rect(x+20*u, wy, x+w-20*u, wy+22*u, body.mix(p.skyLow, 0.35).a(1))
		}
		x += w + u*c.rf(30, 120)
	}
	// Chimneys with banded tops, and their smoke.
	for range c.ri(2, 3) {
		cx := c.rf(0.1, 0.9) * c.w
		top := c.h * c.rf(0.12, 0.3)
		cw := u * c.rf(18, 26)
		c.poly(p.near.a(1), cx-cw*1.3, ground, cx-cw, top, cx+cw, top, cx+cw*1.3, ground)
		for k := range 2 {
			y := top + u*float32(14+28*k)
			c.rect(cx-cw-1, y, cx+cw+1, y+u*12, p.accents[0].mix(p.near, 0.2).a(1))
		}
		c.smoke(cx, top-u*10, c.rf(2, 5)*u, 18*u, p.skyLow.mix(p.far, 0.3), 0.45)
	}
	c.rect(0, ground, c.w, c.h, p.near.scale(0.85).a(1))
	c.rect(0, ground, c.w, ground+u*6, p.near.mix(p.far, 0.3).a(1))
}

// smoke paints a soft plume rising from (x, y), drifting sideways by
// drift per puff, its puffs starting at radius r.
func (c *canvas) smoke(x, y, drift, r float32, col rgb, alpha float32) {
	const puffs = 12
	for k := range puffs {
		t := float32(k) / puffs
		c.glow(x, y, r*(1.6+3*t), col, alpha*(1-t))
		x += drift * float32(k) * 0.8
		y -= r * (1.1 + 0.4*c.rnd.Float32())
	}
}
