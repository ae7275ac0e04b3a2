package media

import (
	"image"
	"math"
)

// Portrait draws a stylised head-and-shoulders figure on a coloured
// background, size×size pixels, for a staff profile. The seed varies the
// background, skin, hair and clothes. It has no face: it stands for a
// person without pretending to be one.
func Portrait(seed int64, size int) image.Image {
	size = max(size, 1)
	c := newCanvas(size, size, mixSeed("portrait", seed))
	u := float32(size) / 100 // the figure is drawn on a 100×100 grid
	pick := func(list ...string) rgb { return hexRGB(list[c.rnd.IntN(len(list))]) }
	bg := pick("#f4d6cc", "#cde7e0", "#d9d4f0", "#f6e3b4", "#cfe1f2", "#f2c9c9", "#d8e8c8", "#e8d5c4", "#c9dbd2")
	skin := pick("#f3d3bd", "#e8b896", "#d49a6a", "#b57a50", "#8d5a3b", "#5e3a26")
	hair := pick("#2b1d14", "#4a3021", "#7a4e2d", "#b98a52", "#d9c08f", "#9a9a9a", "#1c1c1c", "#a0452d")
	cloth := pick("#264653", "#2a9d8f", "#e76f51", "#6d597a", "#355070", "#8d99ae", "#bc6c25", "#9b2226", "#588157", "#b5838d", "#457b9d")
	shirt := pick("#ffffff", "#f1ede4", "#dfe7ef", "#f6e7c1")
	style := hairStyle(c.rnd.IntN(int(shaved) + 1))

	c.vgrad(0, c.h, bg.mix(white, 0.25), bg.scale(0.9))
	c.glow(50*u, 40*u, 55*u, white, 0.3)
	c.hairBehind(style, hair, u)

	// Shoulders, the neck and the open collar.
	var body path
	body.moveTo(6*u, 101*u)
	body.cubeTo(8*u, 82*u, 24*u, 74*u, 38*u, 71*u)
	body.lineTo(62*u, 71*u)
	body.cubeTo(76*u, 74*u, 92*u, 82*u, 94*u, 101*u)
	body.close()
	c.fill(&body, cloth.a(1))
	c.poly(shirt.a(1), 41*u, 71*u, 59*u, 71*u, 50*u, 87*u)
	c.poly(skin.scale(0.88).a(1), 43.5*u, 71*u, 56.5*u, 71*u, 50*u, 80*u)
	c.rect(43.5*u, 54*u, 56.5*u, 71.5*u, skin.scale(0.88).a(1))
	c.rect(43.5*u, 54*u, 56.5*u, 67*u, skin.scale(0.75).a(1)) // under the chin

	// Ears and head.
	c.oval((headX-headRX)*u, 46*u, 3.2*u, 5*u, skin.scale(0.93).a(1))
	c.oval((headX+headRX)*u, 46*u, 3.2*u, 5*u, skin.scale(0.93).a(1))
	c.oval(headX*u, headY*u, headRX*u, headRY*u, skin.a(1))

	c.hairFront(style, hair, u)
	return c.done()
}

// The head on the portrait's 100×100 grid: chin at 63, shoulders at 71.
const headX, headY, headRX, headRY = 50, 44, 15.5, 19

type hairStyle int

const (
	short hairStyle = iota
	parted
	bun
	long
	curls
	cropped
	shaved
)

// hairBehind paints the hair that lies behind the head and shoulders.
func (c *canvas) hairBehind(style hairStyle, hair rgb, u float32) {
	switch style {
	case long: // falls behind the shoulders
		var p path
		p.ellipse(headX*u, (headY-3)*u, (headRX+4)*u, (headRY+3)*u, false)
		p.poly(30*u, 42*u, 70*u, 42*u, 72*u, 82*u, 28*u, 82*u)
		c.fill(&p, hair.a(1))
	case curls:
		pts := ellipsePts(headX*u, (headY-3)*u, (headRX+2)*u, (headRY+1)*u, math.Pi*0.9, math.Pi*2.1, 10)
		for i := 0; i < len(pts); i += 2 {
			c.circle(pts[i], pts[i+1], 6.5*u, hair.a(1))
		}
	case bun:
		c.circle(headX*u, (headY-headRY-4)*u, 7*u, hair.a(1))
	}
	if style < cropped { // volume round the top of the head, down to the ears
		pts := ellipsePts(headX*u, (headY-2)*u, (headRX+2)*u, (headRY+2.5)*u, math.Pi, 2*math.Pi, 24)
		pts = append(pts, (headX+headRX+2)*u, 50*u, (headX-headRX-2)*u, 50*u)
		c.poly(hair.a(1), pts...)
	}
}

// hairFront paints the hair over the forehead: the top of the head down
// to a hairline.
func (c *canvas) hairFront(style hairStyle, hair rgb, u float32) {
	if style == shaved {
		return
	}
	const k = 0.5522848 // control distance for a quarter ellipse
	cx, cy := headX*u, headY*u
	top, side := (headY-headRY-0.6)*u, 40*u
	l, r := (headX-headRX-0.6)*u, (headX+headRX+0.6)*u
	var f path
	f.moveTo(l, side)
	f.cubeTo(l, cy-(cy-top)*k*1.2, cx-(cx-l)*k, top, cx, top)
	f.cubeTo(cx+(r-cx)*k, top, r, cy-(cy-top)*k*1.2, r, side)
	switch style {
	case parted:
		f.cubeTo(r-2*u, 30*u, 58*u, 27*u, 54*u, 29*u)
		f.cubeTo(46*u, 31*u, 38*u, 34*u, l, 46*u)
	case cropped: // a high, straight hairline
		f.cubeTo(r-3*u, 30*u, 60*u, 29*u, 50*u, 29*u)
		f.cubeTo(40*u, 29*u, l+3*u, 30*u, l, side)
	default:
		f.cubeTo(r-1*u, 31*u, 60*u, 30*u, 50*u, 32*u)
		f.cubeTo(40*u, 30*u, l+1*u, 31*u, l, side)
	}
	f.close()
	alpha := float32(1)
	if style == cropped {
		alpha = 0.85
	}
	c.fill(&f, hair.a(alpha))
	if style == curls {
		pts := ellipsePts(cx, (headY-1)*u, (headRX-1)*u, (headRY-1)*u, math.Pi*1.12, math.Pi*1.88, 5)
		for i := 0; i < len(pts); i += 2 {
			c.circle(pts[i], pts[i+1], 4.5*u, hair.a(1))
		}
	}
}
