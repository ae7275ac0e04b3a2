package media

import (
	"hash/fnv"
	"image"
	"math"
)

// The demo newsroom's pictures are painted here rather than shipped or
// fetched: flat shapes, gradients and layered silhouettes in hand-picked
// palettes, in the manner of an editorial illustration. Everything is
// deterministic: the same kind, seed and size give the same pixels, so
// re-seeding the demo stores nothing new.

// SceneKinds are the kinds Scene draws; any other kind gets an abstract
// composition.
var SceneKinds = []string{
	"city", "sea", "mountains", "desert", "stadium", "lab", "market",
	"parliament", "night", "field", "harbour", "forest", "space", "factory",
}

// Scene draws a landscape-style illustration w×h pixels for a story lead
// or inline image. kind is one of SceneKinds; unknown kinds fall back to a
// generic abstract composition. The seed varies palette and layout so no
// two stories look the same.
func Scene(kind string, seed int64, w, h int) image.Image {
	w, h = max(w, 1), max(h, 1)
	c := newCanvas(w, h, mixSeed(kind, seed))
	p := c.palette(kind)
	switch kind {
	case "city":
		c.city(p)
	case "sea":
		c.sea(p)
	case "mountains":
		c.mountains(p)
	case "desert":
		c.desert(p)
	case "stadium":
		c.stadium(p)
	case "lab":
		c.lab(p)
	case "market":
		c.market(p)
	case "parliament":
		c.parliament(p)
	case "night":
		c.night(p)
	case "field":
		c.field(p)
	case "harbour":
		c.harbour(p)
	case "forest":
		c.forest(p)
	case "space":
		c.space(p)
	case "factory":
		c.factory(p)
	default:
		c.abstract(p)
	}
	return c.done()
}

func mixSeed(kind string, seed int64) uint64 {
	f := fnv.New64a()
	f.Write([]byte(kind))
	return f.Sum64() ^ uint64(seed)*0x9e3779b97f4a7c15
}

// palette is a mood: the colours of one time of day or light.
type palette struct {
	skyTop, skyLow rgb // zenith and horizon
	sun            rgb // sun or moon
	far, near      rgb // distant and foreground silhouettes
	accents        [4]rgb
	light          rgb  // lit windows and lamps
	dark           bool // a night sky, with stars and lit windows
}

func mood(skyTop, skyLow, sun, far, near, a0, a1, a2, a3, light string, dark bool) palette {
	return palette{
		skyTop: hexRGB(skyTop), skyLow: hexRGB(skyLow), sun: hexRGB(sun),
		far: hexRGB(far), near: hexRGB(near),
		accents: [4]rgb{hexRGB(a0), hexRGB(a1), hexRGB(a2), hexRGB(a3)},
		light:   hexRGB(light), dark: dark,
	}
}

var moods = map[string]palette{
	"dawn":   mood("#7fb3d5", "#f8d5b8", "#fff4e0", "#b7a3c2", "#3b3456", "#e07a5f", "#81b29a", "#f2cc8f", "#3d405b", "#ffd98e", false),
	"golden": mood("#e9965a", "#fde4b0", "#fff6dc", "#d08c60", "#5a2e3b", "#c8553d", "#588b8b", "#ffd5c2", "#f28f3b", "#fff1c1", false),
	"day":    mood("#4f9fd6", "#d4ecfa", "#fffbea", "#8fb9a8", "#2f5d50", "#e76f51", "#2a9d8f", "#e9c46a", "#264653", "#fefae0", false),
	"dusk":   mood("#2d2a55", "#f0a384", "#ffd7b0", "#7c5c8a", "#1e1a33", "#ff8c61", "#6fd3c4", "#ce6a85", "#f6d186", "#ffd27a", false),
	"mist":   mood("#8fbfbd", "#eef5ef", "#ffffff", "#a3bfb9", "#24423f", "#e26d5c", "#5b8e7d", "#f0b67f", "#1d3557", "#fff1c1", false),
	"night":  mood("#081a33", "#2b4f75", "#f3efd8", "#1c3556", "#0b1526", "#f2c14e", "#5ec2b7", "#e76f51", "#8e7dbe", "#ffd37a", true),
	"rose":   mood("#a9c2d6", "#fbe3d6", "#fff2e6", "#c7a4a8", "#4b3f4e", "#f28482", "#84a59d", "#f6bd60", "#355070", "#fff0c9", false),
	"ochre":  mood("#5c9ead", "#f5d9a8", "#fff1d0", "#d9a273", "#8c4a2f", "#e07a3f", "#2a7f8a", "#f2c572", "#7a3b2e", "#fff1c1", false),
	"space":  mood("#04050d", "#1d1842", "#ffffff", "#2d2a5a", "#0a0a1a", "#ff6f91", "#4ecdc4", "#ffc75f", "#845ec2", "#ffffff", true),
}

// kindMoods are the moods that suit each kind of scene.
var kindMoods = map[string][]string{
	"city":       {"dawn", "golden", "dusk", "night", "mist", "rose"},
	"sea":        {"dawn", "golden", "day", "dusk", "mist", "rose"},
	"mountains":  {"dawn", "day", "dusk", "mist", "golden"},
	"desert":     {"ochre", "golden", "dusk"},
	"stadium":    {"dusk", "night", "day"},
	"lab":        {"mist", "rose", "day", "dawn"},
	"market":     {"day", "golden", "rose", "dawn"},
	"parliament": {"day", "dawn", "golden", "mist", "rose", "dusk"},
	"night":      {"night"},
	"field":      {"day", "golden", "dawn", "mist"},
	"harbour":    {"dawn", "dusk", "mist", "golden", "day"},
	"forest":     {"mist", "dawn", "golden", "day"},
	"space":      {"space"},
	"factory":    {"golden", "dusk", "mist", "dawn"},
}

var abstractMoods = []string{"dawn", "golden", "day", "dusk", "mist", "rose", "ochre"}

// palette picks a mood that suits kind and turns its hues a little, so
// stories of the same kind still differ in colour.
func (c *canvas) palette(kind string) palette {
	names, ok := kindMoods[kind]
	if !ok {
		names = abstractMoods
	}
	p := moods[names[c.rnd.IntN(len(names))]]
	deg := c.rf(-14, 14)
	for _, col := range []*rgb{&p.skyTop, &p.skyLow, &p.sun, &p.far, &p.near, &p.light,
		&p.accents[0], &p.accents[1], &p.accents[2], &p.accents[3]} {
		*col = col.rotateHue(deg)
	}
	// Shuffle the accents so the same mood does not always paint its
	// buildings, boats and flags the same colours.
	c.rnd.Shuffle(len(p.accents), func(i, j int) { p.accents[i], p.accents[j] = p.accents[j], p.accents[i] })
	return p
}

var white = rgb{1, 1, 1}

// sky fills the canvas with the palette's sky, graded down to the
// horizon and even below it.
func (c *canvas) sky(p palette, horizon float32) {
	c.vgrad(0, horizon, p.skyTop, p.skyLow)
	if horizon < c.h {
		c.vgrad(horizon, c.h, p.skyLow, p.skyLow)
	}
}

// sun paints a sun (or, at night, a moon with a soft glow and a crescent
// shadow).
func (c *canvas) sun(p palette, x, y, r float32) {
	if p.dark {
		// The moon's shadow is painted in the colour just outside its
		// glow, so the dark side matches the sky around it.
		shade := c.at(x+r*3, y-r*1.2)
		c.glow(x, y, r*4, p.sun, 0.18)
		c.circle(x, y, r, p.sun.a(1))
		if c.chance(0.6) {
			c.circle(x+r*0.45, y-r*0.25, r*0.92, shade.a(0.96))
		}
		return
	}
	c.glow(x, y, r*6, p.sun, 0.45)
	c.glow(x, y, r*2, p.sun, 0.5)
	c.circle(x, y, r, p.sun.a(1))
}

// clouds paints n soft flat-bottomed clouds in the band y0..y1.
func (c *canvas) clouds(p palette, n int, y0, y1 float32) {
	col := p.skyLow.mix(white, 0.6)
	for range n {
		x, y := c.rf(0.08, 0.92)*c.w, c.rf(y0, y1)
		s := c.u * c.rf(30, 60)
		var pa path
		pa.ellipse(x, y, s*2.6, s*0.55, false)
		pa.ellipse(x-s*0.9, y-s*0.35, s*0.9, s*0.7, false)
		pa.ellipse(x+s*0.3, y-s*0.55, s*1.1, s*0.95, false)
		pa.ellipse(x+s*1.4, y-s*0.2, s*0.8, s*0.6, false)
		c.fill(&pa, col.a(c.rf(0.45, 0.75)))
	}
}

// stars scatters n stars over the band y0..y1.
func (c *canvas) stars(n int, y0, y1 float32, col rgb) {
	size := max(1, int(c.u*1.6))
	for range n {
		x, y := c.rf(0, c.w), c.rf(y0, y1)
		a := c.rf(0.25, 1) * (1 - 0.7*(y-y0)/(y1-y0))
		c.dot(x, y, size, col, a)
		if c.chance(0.03) {
			c.glow(x, y, c.u*c.rf(6, 12), col, 0.5)
		}
	}
}

// ellipsePts samples n+1 points on an ellipse from angle a0 to a1
// (radians, clockwise on screen from the +x axis).
func ellipsePts(cx, cy, rx, ry float32, a0, a1 float64, n int) []float32 {
	pts := make([]float32, 0, 2*(n+1))
	for i := range n + 1 {
		a := a0 + (a1-a0)*float64(i)/float64(n)
		pts = append(pts, cx+rx*float32(math.Cos(a)), cy+ry*float32(math.Sin(a)))
	}
	return pts
}
