package main

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// genVersion names the generator's algorithm; it is part of the cache key,
// so change it whenever the output for a given scale and seed changes.
const genVersion = "covplan-bench-gen-1"

// scale is one benchmark size. Zones are a zx × zy lattice of ~2.5 km cells.
type scale struct {
	Name     string
	Premises int
	ZX, ZY   int
}

var scales = []scale{
	{"S", 10_000, 10, 10},
	{"M", 100_000, 40, 25},
	{"L", 1_000_000, 100, 50},
	{"XL", 10_000_000, 200, 100},
}

func scaleByName(name string) (scale, bool) {
	for _, s := range scales {
		if s.Name == name {
			return s, true
		}
	}
	return scale{}, false
}

// The region is centred in the Massif Central; ground metres are mapped to
// lon/lat with a local equirectangular approximation (distances in the
// files are then measured in Lambert-93 by covplan and the peers alike).
const (
	centreLon, centreLat = 2.65, 45.05
	cellM                = 2500.0
	metresPerDegLat      = 111_132.954
)

var metresPerDegLon = 111_319.491 * math.Cos(centreLat*math.Pi/180)

type xy struct{ x, y float64 }

func lonLat(p xy) (lon, lat float64) {
	return centreLon + p.x/metresPerDegLon, centreLat + p.y/metresPerDegLat
}

// generate writes zones.geojson, premises.csv, fibre_nodes.csv and
// wifi_aps.csv for sc into dir, deterministically for seed, then meta.json
// (last, so that its presence marks a complete data set).
//
// The data resemble the peers' (docs/performance.md): a jittered lattice of
// ~2.5 km zones whose shared edges carry 5–18 wiggled vertices each, so
// every polygon has 25–77 vertices, is irregular and often non-convex, and
// the zones tile the bounding box exactly (shared edges use the same
// vertices on both sides); 85 % of the premises in villages (three per zone
// on average, heavy-tailed sizes, Gaussian spread growing with size) and
// 15 % scattered farms, with multi-unit buildings likelier in big villages;
// premises/100 fibre nodes, 70 % near premises; premises/50 access points,
// 60 % near premises, ranges 100–500 m (75 %) or 500–3000 m.
func generate(dir string, sc scale, seed uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g := &gen{dir: dir, sc: sc, seed: seed,
		rng: rand.New(rand.NewPCG(seed, uint64(sc.Premises)^0x9e3779b97f4a7c15))}
	g.W, g.H = float64(sc.ZX)*cellM, float64(sc.ZY)*cellM
	g.x0, g.y0 = -g.W/2, -g.H/2
	// The steps draw from one random stream in this order: the data depend
	// on it.
	g.lattice()
	for _, step := range []func() error{g.writeZones, g.writePremises, g.writeNodes, g.writeAPs, g.writeMeta} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// gen is one generation: the random stream, the box, and what later steps
// reuse (the zone lattice, the premises).
type gen struct {
	dir          string
	sc           scale
	seed         uint64
	rng          *rand.Rand
	W, H, x0, y0 float64
	corner       [][]xy
	horiz, vert  [][][]xy // edges corner[i][j] → corner[i+1][j], and → corner[i][j+1]
	px           []xy
}

// lattice jitters the zone corners by up to ±20 % of a cell inside the box
// and draws every zone edge.
func (g *gen) lattice() {
	sc, rng := g.sc, g.rng
	g.corner = make([][]xy, sc.ZX+1)
	for i := range g.corner {
		g.corner[i] = make([]xy, sc.ZY+1)
		for j := range g.corner[i] {
			jx, jy := (rng.Float64()*2-1)*0.2*cellM, (rng.Float64()*2-1)*0.2*cellM
			if i == 0 || i == sc.ZX {
				jx = 0
			}
			if j == 0 || j == sc.ZY {
				jy = 0
			}
			g.corner[i][j] = xy{g.x0 + float64(i)*cellM + jx, g.y0 + float64(j)*cellM + jy}
		}
	}
	g.horiz = make([][][]xy, sc.ZX)
	for i := range g.horiz {
		g.horiz[i] = make([][]xy, sc.ZY+1)
		for j := range g.horiz[i] {
			g.horiz[i][j] = g.side(g.corner[i][j], g.corner[i+1][j], j == 0 || j == sc.ZY)
		}
	}
	g.vert = make([][][]xy, sc.ZX+1)
	for i := range g.vert {
		g.vert[i] = make([][]xy, sc.ZY)
		for j := range g.vert[i] {
			g.vert[i][j] = g.side(g.corner[i][j], g.corner[i][j+1], i == 0 || i == sc.ZX)
		}
	}
}

// side is an edge's inner vertices: evenly spaced along a→b, pushed
// sideways by a smoothed random walk that vanishes at both ends. Border
// edges stay straight so that the union is the bounding box.
func (g *gen) side(a, b xy, border bool) []xy {
	k := 5 + g.rng.IntN(14)
	L := math.Hypot(b.x-a.x, b.y-a.y)
	nx, ny := -(b.y-a.y)/L, (b.x-a.x)/L
	out := make([]xy, k)
	walk := 0.0
	for m := range out {
		t := float64(m+1) / float64(k+1)
		walk = 0.5*walk + (g.rng.Float64()*2 - 1)
		off := 0.06 * L * math.Sin(math.Pi*t) * walk / 2
		if border {
			off = 0
		}
		out[m] = xy{a.x + t*(b.x-a.x) + off*nx, a.y + t*(b.y-a.y) + off*ny}
	}
	return out
}

// ring is zone (i, j)'s boundary.
func (g *gen) ring(i, j int) []xy {
	ring := []xy{g.corner[i][j]}
	ring = append(ring, g.horiz[i][j]...)
	ring = append(ring, g.corner[i+1][j])
	ring = append(ring, g.vert[i+1][j]...)
	ring = append(ring, g.corner[i+1][j+1])
	ring = appendReversed(ring, g.horiz[i][j+1])
	ring = append(ring, g.corner[i][j+1])
	ring = appendReversed(ring, g.vert[i][j])
	return append(ring, g.corner[i][j])
}

func (g *gen) writeZones() error {
	sc := g.sc
	return writeFile(filepath.Join(g.dir, "zones.geojson"), func(w *bufio.Writer) {
		w.WriteString(`{"type":"FeatureCollection","name":"zones","features":[` + "\n")
		var b []byte
		for j := range sc.ZY {
			for i := range sc.ZX {
				id := j*sc.ZX + i + 1
				b = b[:0]
				if id > 1 {
					b = append(b, ",\n"...)
				}
				b = fmt.Appendf(b, `{"type":"Feature","properties":{"zone_id":%d},"geometry":{"type":"Polygon","coordinates":[[`, id)
				for m, p := range g.ring(i, j) {
					if m > 0 {
						b = append(b, ',')
					}
					lon, lat := lonLat(p)
					b = append(b, '[')
					b = strconv.AppendFloat(b, lon, 'f', 7, 64)
					b = append(b, ',')
					b = strconv.AppendFloat(b, lat, 'f', 7, 64)
					b = append(b, ']')
				}
				b = append(b, "]]}}"...)
				w.Write(b)
			}
		}
		w.WriteString("\n]}\n")
	})
}

func (g *gen) inBox(p xy) bool {
	return p.x > g.x0+1 && p.x < g.x0+g.W-1 && p.y > g.y0+1 && p.y < g.y0+g.H-1
}

func (g *gen) anywhere() xy {
	return xy{g.x0 + 1 + g.rng.Float64()*(g.W-2), g.y0 + 1 + g.rng.Float64()*(g.H-2)}
}

// writePremises places 85 % of the premises in villages of heavy-tailed
// sizes (a Pareto tail with index 1.25, capped), the rest anywhere.
func (g *gen) writePremises() error {
	rng := g.rng
	type village struct {
		c    xy
		size float64 // relative size ≥ 1
	}
	vs := make([]village, 3*g.sc.ZX*g.sc.ZY)
	cum := make([]float64, len(vs))
	total := 0.0
	for v := range vs {
		vs[v] = village{g.anywhere(), math.Min(math.Pow(1-rng.Float64(), -1/1.25), 250)}
		total += vs[v].size
		cum[v] = total
	}
	g.px = make([]xy, g.sc.Premises)
	return writeFile(filepath.Join(g.dir, "premises.csv"), func(w *bufio.Writer) {
		w.WriteString("id,lon,lat,units\n")
		var b []byte
		for n := range g.px {
			p, units := g.anywhere(), 1
			if rng.Float64() < 0.85 {
				v := vs[searchCum(cum, rng.Float64()*total)]
				sig := 90 * math.Sqrt(v.size)
				for {
					p = xy{v.c.x + rng.NormFloat64()*sig, v.c.y + rng.NormFloat64()*sig}
					if g.inBox(p) {
						break
					}
				}
				if rng.Float64() < 0.04+0.0015*v.size {
					units = min(2+int(rng.ExpFloat64()*3), 48)
				}
			}
			g.px[n] = p
			b = appendRow(b[:0], n+1, p, units, true)
			w.Write(b)
		}
	})
}

func (g *gen) nearPremise(sig float64) xy {
	c := g.px[g.rng.IntN(len(g.px))]
	for {
		p := xy{c.x + g.rng.NormFloat64()*sig, c.y + g.rng.NormFloat64()*sig}
		if g.inBox(p) {
			return p
		}
	}
}

func (g *gen) nodes() int { return max(10, g.sc.Premises/100) }
func (g *gen) aps() int   { return max(10, g.sc.Premises/50) }

func (g *gen) writeNodes() error {
	return writeFile(filepath.Join(g.dir, "fibre_nodes.csv"), func(w *bufio.Writer) {
		w.WriteString("id,lon,lat\n")
		var b []byte
		for n := range g.nodes() {
			p := g.anywhere()
			if g.rng.Float64() < 0.7 {
				p = g.nearPremise(200)
			}
			b = appendRow(b[:0], n+1, p, 0, false)
			w.Write(b)
		}
	})
}

func (g *gen) writeAPs() error {
	return writeFile(filepath.Join(g.dir, "wifi_aps.csv"), func(w *bufio.Writer) {
		w.WriteString("id,lon,lat,range_m\n")
		var b []byte
		for n := range g.aps() {
			p := g.anywhere()
			if g.rng.Float64() < 0.6 {
				p = g.nearPremise(300)
			}
			r := 100 + g.rng.IntN(401)
			if g.rng.Float64() < 0.25 {
				r = 500 + g.rng.IntN(2501)
			}
			b = appendRow(b[:0], n+1, p, r, true)
			w.Write(b)
		}
	})
}

func (g *gen) writeMeta() error {
	lon0, lat0 := lonLat(xy{g.x0, g.y0})
	lon1, lat1 := lonLat(xy{g.x0 + g.W, g.y0 + g.H})
	meta := fmt.Sprintf(`{"generator":%q,"scale":%q,"seed":%d,"zones":%d,"premises":%d,"fibre_nodes":%d,"wifi_aps":%d,"bbox":[%.7f,%.7f,%.7f,%.7f]}`+"\n",
		genVersion, g.sc.Name, g.seed, g.sc.ZX*g.sc.ZY, g.sc.Premises, g.nodes(), g.aps(), lon0, lat0, lon1, lat1)
	return os.WriteFile(filepath.Join(g.dir, "meta.json"), []byte(meta), 0o644)
}

func appendReversed(dst, src []xy) []xy {
	for i := len(src) - 1; i >= 0; i-- {
		dst = append(dst, src[i])
	}
	return dst
}

// searchCum returns the first index whose cumulative weight is ≥ r.
func searchCum(cum []float64, r float64) int {
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid] < r {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

func appendRow(b []byte, id int, p xy, extra int, withExtra bool) []byte {
	lon, lat := lonLat(p)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, ',')
	b = strconv.AppendFloat(b, lon, 'f', 7, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, lat, 'f', 7, 64)
	if withExtra {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(extra), 10)
	}
	return append(b, '\n')
}

// writeFile creates path, lets fill write it through a buffer, and reports
// the first error of writing, flushing or closing.
func writeFile(path string, fill func(w *bufio.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
