package media

import (
	"math"
)

// Places: scenes built around a structure (a stadium, a harbour, a
// parliament), plus the abstract fallback.

// ellipseSlice fills the part of an ellipse between the rows y0 and y1.
func (c *canvas) ellipseSlice(cx, cy, rx, ry, y0, y1 float32, col rgb, alpha float32) {
	y0, y1 = max(y0, cy-ry), min(y1, cy+ry)
	if y1 <= y0 {
		return
	}
	const n = 12
	half := func(y float32) float32 {
		d := (y - cy) / ry
		return rx * float32(math.Sqrt(float64(max(0, 1-d*d))))
	}
	pts := make([]float32, 0, 4*(n+1))
	for i := range n + 1 {
		y := y0 + (y1-y0)*float32(i)/n
		pts = append(pts, cx-half(y), y)
	}
	for i := n; i >= 0; i-- {
		y := y0 + (y1-y0)*float32(i)/n
		pts = append(pts, cx+half(y), y)
	}
	c.poly(col.a(alpha), pts...)
}

func (c *canvas) stadium(p palette) {
	rim := c.h * c.rf(0.26, 0.34)
	c.sky(p, rim+c.h*0.1)
	if p.dark {
		c.stars(150, 0, rim, p.sun)
	}
	cx, cy := c.w/2+c.rf(-0.05, 0.05)*c.w, c.h*1.02
	rx, ry := c.w*0.95, cy-rim
	// Roof, then tiers of seats narrowing towards the pitch.
	c.oval(cx, cy, rx*1.02, ry*1.03, p.near.a(1))
	seatA := p.accents[0].mix(p.near, 0.35)
	seatB := seatA.scale(0.8)
	const tiers = 8
	pitchRx, pitchRy := c.w*0.5, ry*0.42
	for i := range tiers {
		t := float32(i) / tiers
		col := seatA
		if i%2 == 1 {
			col = seatB
		}
		col = col.mix(p.near, 0.3*(1-t))
		c.oval(cx, cy, rx-(rx-pitchRx*1.12)*t, ry*0.97-(ry*0.97-pitchRy*1.15)*t, col.a(1))
		if i == 3 { // a concourse between the upper and lower stands
			c.oval(cx, cy, rx-(rx-pitchRx*1.12)*(t+0.04), ry*0.97-(ry*0.97-pitchRy*1.15)*(t+0.04), p.near.mix(seatB, 0.3).a(1))
		}
	}
	// The crowd: specks of colour in the stands.
	crowd := []rgb{p.accents[1], p.accents[2], p.accents[3], white, p.light}
	for range 5000 {
		x, y := c.rf(0, c.w), c.rf(rim, c.h)
		dx, dy := (x-cx)/rx, (y-cy)/(ry*0.95)
		px, py := (x-cx)/(pitchRx*1.15), (y-cy)/(pitchRy*1.18)
		if dx*dx+dy*dy < 1 && px*px+py*py > 1 {
			c.dot(x, y, max(1, int(c.u*2.5)), crowd[c.rnd.IntN(len(crowd))], 0.55)
		}
	}
	c.pitch(p, cx, cy, pitchRx, pitchRy)
	// Floodlights on the rim.
	for i := range 4 {
		x := cx + rx*0.85*float32(math.Cos(math.Pi*(1.15+0.7*float64(i)/3)))
		y := cy + ry*1.03*float32(math.Sin(math.Pi*(1.15+0.7*float64(i)/3))) - c.u*20
		c.rect(x-c.u*22, y-c.u*10, x+c.u*22, y+c.u*10, p.light.mix(white, 0.5).a(1))
		c.glow(x, y, c.u*120, p.light, 0.45)
	}
}

// pitch paints the grass inside the ellipse of the stands, mown in
// stripes, with its lines in perspective.
func (c *canvas) pitch(p palette, cx, cy, rx, ry float32) {
	g1, g2 := hexRGB("#5a9a4a").mix(p.skyLow, 0.1), hexRGB("#4d8a3f").mix(p.skyLow, 0.1)
	top := cy - ry
	for k := range 10 {
		y0 := top + (c.h-top)*float32(math.Pow(float64(k)/10, 1.3))
		y1 := top + (c.h-top)*float32(math.Pow(float64(k+1)/10, 1.3))
		col := g1
		if k%2 == 1 {
			col = g2
		}
		c.ellipseSlice(cx, cy, rx, ry, y0, y1+1, col, 1)
	}
	chalk := white.a(0.85)
	lw := c.u * 3
	ty, by := top+c.u*25, c.h+c.u*40
	tl, tr := cx-rx*0.62, cx+rx*0.62
	bl, br := cx-rx*0.92, cx+rx*0.92
	c.line(tl, ty, tr, ty, lw, chalk)
	c.line(tl, ty, bl, by, lw, chalk)
	c.line(tr, ty, br, by, lw, chalk)
	my := ty + (by-ty)*0.45
	c.line(cx-(cx-tl)*1.2, my, cx+(tr-cx)*1.2, my, lw, chalk)
	var ring path
	ring.ellipse(cx, my, rx*0.18, ry*0.22, false)
	ring.ellipse(cx, my, rx*0.18-lw, ry*0.22-lw, true)
	c.fill(&ring, chalk)
}

func (c *canvas) market(p palette) {
	ground := c.h * 0.86
	c.sky(p, c.h*0.5)
	c.clouds(p, c.ri(1, 3), c.h*0.05, c.h*0.2)
	// Houses behind the square.
	x := -c.rf(0, 50) * c.u
	for x < c.w {
		bw := c.u * c.rf(140, 240)
		top := c.h * c.rf(0.12, 0.3)
		col := p.accents[c.rnd.IntN(4)].mix(white, 0.55).mix(p.skyLow, 0.2)
		c.rect(x, top, x+bw, ground, col.a(1))
		c.rect(x-c.u*4, top, x+bw+c.u*4, top+c.u*10, col.scale(0.85).a(1))
		for wy := top + c.u*40; wy < c.h*0.45; wy += c.u * 70 {
			for wx := x + c.u*25; wx+c.u*30 < x+bw-c.u*10; wx += c.u * 60 {
				c.rect(wx, wy, wx+c.u*30, wy+c.u*42, col.scale(0.55).a(1))
				c.rect(wx-c.u*6, wy, wx, wy+c.u*42, p.accents[1].mix(col, 0.4).a(1))
				c.rect(wx+c.u*30, wy, wx+c.u*36, wy+c.u*42, p.accents[1].mix(col, 0.4).a(1))
			}
		}
		x += bw
	}
	c.haze(0, ground, p.skyLow, 0.1, 0.1)
	c.rect(0, ground, c.w, c.h, p.far.mix(p.near, 0.4).a(1))
	for y := ground + c.u*12; y < c.h; y += c.u * 18 {
		c.rect(0, y, c.w, y+c.u*2, p.near.a(0.15))
	}
	// Stalls, each with a striped awning and a counter of produce.
	n := c.ri(3, 4)
	sw := c.w / float32(n)
	for i := range n {
		c.stall(p, float32(i)*sw+c.u*20, float32(i+1)*sw-c.u*20, ground)
	}
	// A string of lights across the top.
	for i := range 40 {
		t := float32(i) / 39
		x := t * c.w
		y := c.h*0.33 + c.h*0.06*float32(math.Abs(math.Sin(float64(t)*math.Pi*float64(n))))
		c.circle(x, y, c.u*4, p.light.a(1))
		c.glow(x, y, c.u*14, p.light, 0.3)
	}
}

// fruits are the colours of produce on a market stall.
var fruits = []string{"#f4a261", "#e63946", "#8ab17d", "#e9c46a", "#6d597a", "#ee9b00"}

// stall paints a market stall between x0 and x1 standing on ground.
func (c *canvas) stall(p palette, x0, x1, ground float32) {
	at := c.h * c.rf(0.4, 0.46)
	ab := at + c.h*0.1
	stripe := p.accents[c.rnd.IntN(4)]
	pole := p.near.scale(0.9).a(1)
	c.rect(x0+c.u*8, ab, x0+c.u*16, ground, pole)
	c.rect(x1-c.u*16, ab, x1-c.u*8, ground, pole)
	c.rect(x0, ab, x1, ground*0.9, p.near.a(0.18))
	const stripes = 8
	stw := (x1 - x0) / stripes
	for k := range stripes {
		col := stripe
		if k%2 == 1 {
			col = white.mix(stripe, 0.08)
		}
		sx := x0 + float32(k)*stw
		c.poly(col.a(1), sx+stw*0.1, at, sx+stw*1.1, at, sx+stw, ab, sx, ab)
		c.oval(sx+stw/2, ab, stw/2, stw*0.35, col.a(1))
	}
	// Counter and produce in three crates.
	ct := c.h * 0.7
	wood := hexRGB("#a47148").mix(p.near, 0.25)
	for k := range 3 {
		bx := x0 + c.u*30 + float32(k)*(x1-x0-c.u*60)/3
		bw := (x1-x0-c.u*60)/3 - c.u*10
		fruit := hexRGB(fruits[c.rnd.IntN(len(fruits))])
		r := c.u * c.rf(9, 13)
		for row := range 3 {
			y := ct - r*0.6 - float32(row)*r*1.5
			inset := float32(row) * r
			for fx := bx + r + inset; fx < bx+bw-r-inset+1; fx += r * 1.9 {
				c.circle(fx, y, r, fruit.scale(c.rf(0.85, 1.05)).a(1))
				c.circle(fx-r*0.35, y-r*0.35, r*0.25, white.a(0.45))
			}
		}
		c.rect(bx, ct-r*0.6, bx+bw, ct+c.u*20, wood.scale(1.1).a(1))
	}
	c.rect(x0+c.u*10, ct+c.u*20, x1-c.u*10, ground, wood.a(1))
	c.rect(x0+c.u*10, ct+c.u*20, x1-c.u*10, ct+c.u*28, wood.scale(0.7).a(1))
}

func (c *canvas) parliament(p palette) {
	ground := c.h * c.rf(0.84, 0.88)
	c.sky(p, ground)
	sx := c.rf(0.08, 0.22)
	if c.chance(0.5) {
		sx = 1 - sx
	}
	c.sun(p, c.w*sx, c.h*c.rf(0.14, 0.3), c.u*c.rf(35, 50))
	c.clouds(p, c.ri(1, 3), c.h*0.08, c.h*0.3)

	stone := p.skyLow.mix(hexRGB("#efe6d6"), 0.6)
	shade := stone.mix(p.near, 0.25)
	deep := stone.mix(p.near, 0.55)
	cx := c.w/2 + c.rf(-0.06, 0.06)*c.w
	bw, pw := c.w*c.rf(0.62, 0.78), c.w*c.rf(0.22, 0.28)
	u := c.u
	wingTop := c.h * 0.52
	colTop := c.h * 0.5
	entTop := colTop - c.h*0.05
	pedTop := entTop - c.h*0.08

	c.dome(p, cx, pw*0.4, pedTop-c.h*0.1, entTop, stone, shade, deep)

	// Wings with two rows of windows.
	c.rect(cx-bw/2, wingTop, cx+bw/2, ground, stone.a(1))
	c.rect(cx-bw/2-u*6, wingTop-u*8, cx+bw/2+u*6, wingTop+u*6, shade.a(1))
	c.rect(cx-bw/2, ground-u*40, cx+bw/2, ground, shade.a(0.6))
	for _, wy := range []float32{wingTop + c.h*0.06, wingTop + c.h*0.17} {
		for x := cx - bw/2 + u*30; x < cx+bw/2-u*40; x += u * 58 {
			if x > cx-pw/2-u*40 && x < cx+pw/2+u*20 {
				continue
			}
			c.rect(x, wy, x+u*22, wy+u*50, deep.a(1))
			c.oval(x+u*11, wy, u*11, u*10, deep.a(1))
		}
	}

	// Portico: a shadowed recess, columns, entablature and pediment.
	c.rect(cx-pw/2, colTop, cx+pw/2, ground, deep.a(1))
	n := 2 * c.ri(3, 4)
	cw := pw / float32(n) * 0.48
	for k := range n {
		x := cx - pw/2 + cw*0.6 + (pw-cw*2.2)*float32(k)/float32(n-1)
		c.rect(x, colTop, x+cw, ground, stone.a(1))
		c.rect(x+cw*0.65, colTop, x+cw, ground, shade.a(0.55))
		c.rect(x-cw*0.2, colTop, x+cw*1.2, colTop+u*10, stone.a(1))
	}
	c.rect(cx-pw/2-u*12, entTop, cx+pw/2+u*12, colTop+u*2, stone.a(1))
	c.rect(cx-pw/2-u*12, colTop-u*8, cx+pw/2+u*12, colTop+u*2, shade.a(0.6))
	c.poly(stone.a(1), cx-pw/2-u*18, entTop+1, cx, pedTop, cx+pw/2+u*18, entTop+1)
	c.poly(shade.a(1), cx-pw/2+u*14, entTop-u*7, cx, pedTop+u*14, cx+pw/2-u*14, entTop-u*7)
	// Steps.
	for k := range 5 {
		y := ground - u*8*float32(5-k)
		c.rect(cx-pw/2-u*14*float32(k+1), y, cx+pw/2+u*14*float32(k+1), y+u*8, stone.mix(shade, float32(k%2)*0.6).a(1))
	}

	// Trees at the ends and the square in front.
	green := p.near.mix(hexRGB("#3a6b4a"), 0.55)
	for _, x := range []float32{cx - bw/2 - u*10, cx + bw/2 + u*10} {
		for k := range 3 {
			tx := x + c.rf(-80, 80)*u
			r := u * c.rf(40, 60)
			c.rect(tx-u*4, ground-r, tx+u*4, ground, p.near.a(1))
			c.circle(tx, ground-r*1.6-float32(k)*u*5, r, green.scale(c.rf(0.85, 1.1)).a(1))
		}
	}
	c.rect(0, ground, c.w, c.h, stone.mix(p.far, 0.35).a(1))
	c.rect(0, ground, c.w, ground+u*5, shade.a(1))
}

// dome paints a dome of radius dr on a drum from drumTop down to base,
// with a lantern and a flag on top.
func (c *canvas) dome(p palette, cx, dr, drumTop, base float32, stone, shade, deep rgb) {
	u := c.u
	c.rect(cx-dr, drumTop, cx+dr, base, shade.a(1))
	for k := range 9 {
		x := cx - dr + dr*2*(float32(k)+0.5)/9
		c.rect(x-u*3, drumTop+u*14, x+u*3, base, deep.a(0.7))
	}
	c.rect(cx-dr*1.06, drumTop, cx+dr*1.06, drumTop+u*10, stone.a(1))
	c.poly(stone.mix(p.accents[1], 0.12).a(1), ellipsePts(cx, drumTop, dr*0.98, dr*0.8, math.Pi, 2*math.Pi, 24)...)
	c.poly(shade.a(0.5), append(ellipsePts(cx, drumTop, dr*0.98, dr*0.8, math.Pi*1.5, 2*math.Pi, 12), cx, drumTop)...)
	lt := drumTop - dr*0.8
	c.rect(cx-u*10, lt-u*30, cx+u*10, lt+u*2, stone.a(1))
	c.oval(cx, lt-u*30, u*11, u*9, stone.a(1))
	c.rect(cx-u*1.5, lt-u*95, cx+u*1.5, lt-u*36, p.near.a(1))
	c.flag(cx+u*1.5, lt-u*95, u*52, u*32, p)
}

// flag paints a flag flying right from the top of a pole at (x, y).
func (c *canvas) flag(x, y, w, h float32, p palette) {
	var pa path
	pa.moveTo(x, y)
	pa.cubeTo(x+w*0.35, y-h*0.2, x+w*0.65, y+h*0.2, x+w, y)
	pa.lineTo(x+w, y+h)
	pa.cubeTo(x+w*0.65, y+h*1.2, x+w*0.35, y+h*0.8, x, y+h)
	pa.close()
	c.fill(&pa, p.accents[0].a(1))
	var band path
	band.moveTo(x, y+h*0.36)
	band.cubeTo(x+w*0.35, y+h*0.16, x+w*0.65, y+h*0.56, x+w, y+h*0.36)
	band.lineTo(x+w, y+h*0.64)
	band.cubeTo(x+w*0.65, y+h*0.84, x+w*0.35, y+h*0.44, x, y+h*0.64)
	band.close()
	c.fill(&band, white.a(0.9))
}
