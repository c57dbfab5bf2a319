package coverage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// ---- brute-force twins: the original O(n) logic, kept as the reference ----

func naiveZoneOf(in *Input, p orb.Point) int32 {
	for i, z := range in.Zones {
		if naiveContains(z.Geom, p) {
			return int32(i)
		}
	}
	return -1
}

func naiveNearestNode(in *Input, p orb.Point) (node int32, distM float64) {
	node, distM = -1, math.Inf(1)
	for i, n := range in.Nodes {
		if !n.Active {
			continue
		}
		if d := planar.Distance(p, n.Pt); d < distM {
			node, distM = int32(i), d
		}
	}
	return node, distM
}

func naiveFibreDist(in *Input, p orb.Point) (distM float64, passed bool) {
	d, passed, _ := naiveFibreDistVia(in, p, naiveContains)
	return d, passed
}

// naiveFibreDistVia is the distance to the nearest active node, line or
// served-area edge (0 inside a served area, by contains), and whether the
// nearest is a served-area edge.
func naiveFibreDistVia(in *Input, p orb.Point, contains func(orb.Geometry, orb.Point) bool) (distM float64, passed, viaServed bool) {
	for _, s := range in.Served {
		if s.Active && contains(s.Geom, p) {
			return 0, true, false
		}
	}
	_, distM = naiveNearestNode(in, p)
	for _, l := range in.Lines {
		if !l.Active {
			continue
		}
		if d := planar.DistanceFrom(l.Line, p); d < distM {
			distM = d
		}
	}
	for _, s := range in.Served {
		if !s.Active {
			continue
		}
		eachRing(s.Geom, func(r orb.Ring) {
			if d := planar.DistanceFrom(orb.LineString(r), p); d < distM {
				distM, viaServed = d, true
			}
		})
	}
	return distM, false, viaServed
}

func naiveAPsInRange(in *Input, p orb.Point, fn func(ap int32, distM float64) bool) {
	for i, a := range in.APs {
		if !a.Operational {
			continue
		}
		if d := planar.Distance(p, a.Pt); d <= a.RangeM {
			if !fn(int32(i), d) {
				return
			}
		}
	}
}

func naiveMeasure(in *Input, premises []Premise) []PremiseMeasure {
	out := make([]PremiseMeasure, len(premises))
	for i, pr := range premises {
		m := &out[i]
		m.Zone = naiveZoneOf(in, pr.Pt)
		m.FibreNode, m.NodeDistM = naiveNearestNode(in, pr.Pt)
		m.FibreDistM, m.Passed, m.ViaServed = naiveFibreDistVia(in, pr.Pt, naiveContains)
		m.NearestAP = -1
		best := math.Inf(1)
		naiveAPsInRange(in, pr.Pt, func(ap int32, d float64) bool {
			m.APs++
			if d < best { // in index order: ties keep the lowest index
				best, m.NearestAP = d, ap
			}
			return true
		})
	}
	return out
}

func naiveContains(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p)
	}
	return false
}

// ---- random inputs ----

// seedFor returns a seed for a randomized test and logs it, so that a
// failure can be replayed by pinning the seed.
func seedFor(t testing.TB) uint64 {
	s := uint64(time.Now().UnixNano())
	t.Logf("seed %d", s)
	return s
}

// lattice returns nx×ny zones tiling [0, nx·cell]×[0, ny·cell] exactly: a
// jittered lattice whose shared edges carry 4–20 wiggled vertices each, so
// the polygons are irregular, often non-convex, with 24–80 vertices. With
// integer set, every coordinate is an integer (exact boundary tests).
func lattice(rng *rand.Rand, nx, ny int, cell float64, integer bool) []Zone {
	round := func(v float64) float64 {
		if integer {
			return math.Round(v)
		}
		return v
	}
	V := make([][]orb.Point, nx+1)
	for i := range V {
		V[i] = make([]orb.Point, ny+1)
		for j := range V[i] {
			dx := (rng.Float64()*2 - 1) * 0.22 * cell
			dy := (rng.Float64()*2 - 1) * 0.22 * cell
			if i == 0 || i == nx {
				dx = 0
			}
			if j == 0 || j == ny {
				dy = 0
			}
			V[i][j] = orb.Point{round(float64(i)*cell + dx), round(float64(j)*cell + dy)}
		}
	}
	wiggle := func(a, b orb.Point, straight bool) []orb.Point {
		k := 4 + rng.IntN(17)
		L := math.Hypot(b[0]-a[0], b[1]-a[1])
		nxv, nyv := -(b[1]-a[1])/L, (b[0]-a[0])/L
		ps := make([]orb.Point, 0, k)
		for m := range k {
			t := float64(m+1) / float64(k+1)
			off := 0.07 * L * math.Sin(math.Pi*t) * (rng.Float64()*2 - 1)
			if straight {
				off = 0
			}
			p := orb.Point{round(a[0] + t*(b[0]-a[0]) + off*nxv), round(a[1] + t*(b[1]-a[1]) + off*nyv)}
			if len(ps) > 0 && ps[len(ps)-1] == p || p == a || p == b {
				continue
			}
			ps = append(ps, p)
		}
		return ps
	}
	H := make([][][]orb.Point, nx)
	for i := range H {
		H[i] = make([][]orb.Point, ny+1)
		for j := range H[i] {
			H[i][j] = wiggle(V[i][j], V[i+1][j], j == 0 || j == ny)
		}
	}
	Vt := make([][][]orb.Point, nx+1)
	for i := range Vt {
		Vt[i] = make([][]orb.Point, ny)
		for j := range Vt[i] {
			Vt[i][j] = wiggle(V[i][j], V[i][j+1], i == 0 || i == nx)
		}
	}
	var zones []Zone
	for j := range ny {
		for i := range nx {
			r := orb.Ring{V[i][j]}
			r = append(r, H[i][j]...)
			r = append(r, V[i+1][j])
			r = append(r, Vt[i+1][j]...)
			r = append(r, V[i+1][j+1])
			r = append(r, reversed(H[i][j+1])...)
			r = append(r, V[i][j+1])
			r = append(r, reversed(Vt[i][j])...)
			r = append(r, V[i][j])
			zones = append(zones, Zone{ID: fmt.Sprint(len(zones) + 1), Geom: orb.Polygon{r}})
		}
	}
	return zones
}

func reversed(ps []orb.Point) []orb.Point {
	out := slices.Clone(ps)
	slices.Reverse(out)
	return out
}

// star returns a non-convex star-shaped ring with k spikes around c.
func star(rng *rand.Rand, c orb.Point, r float64, k int, integer bool) orb.Ring {
	var ring orb.Ring
	for i := range 2 * k {
		a := 2 * math.Pi * float64(i) / float64(2*k)
		rr := r * (0.5 + 0.5*rng.Float64())
		if i%2 == 1 {
			rr *= 0.4
		}
		p := orb.Point{c[0] + rr*math.Cos(a), c[1] + rr*math.Sin(a)}
		if integer {
			p = orb.Point{math.Round(p[0]), math.Round(p[1])}
		}
		if len(ring) > 0 && ring[len(ring)-1] == p {
			continue
		}
		ring = append(ring, p)
	}
	return append(ring, ring[0])
}

// box returns an axis-aligned square ring (counter-clockwise).
func box(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// randomInput builds an input mixing a wiggly lattice, overlapping
// non-convex stars, multipolygons with holes, lines, served areas, inactive
// nodes and non-operational access points. integer makes every coordinate an
// integer, so that points can sit exactly on edges.
func randomInput(rng *rand.Rand, integer bool) *Input {
	nx, ny := 2+rng.IntN(5), 2+rng.IntN(4)
	cell := 1000.0
	in := &Input{Zones: lattice(rng, nx, ny, cell, integer)}
	W, H := float64(nx)*cell, float64(ny)*cell
	rp := func() orb.Point {
		p := orb.Point{-200 + rng.Float64()*(W+400), -200 + rng.Float64()*(H+400)}
		if integer {
			p = orb.Point{math.Round(p[0]), math.Round(p[1])}
		}
		return p
	}
	// Overlapping stars and a multipolygon with holes over the lattice:
	// which zone wins depends on the index order.
	for range 2 {
		in.Zones = append(in.Zones, Zone{ID: "star", Geom: orb.Polygon{star(rng, rp(), 300+rng.Float64()*500, 5+rng.IntN(8), integer)}})
	}
	c := rp()
	mp := orb.MultiPolygon{
		{box(c[0]-400, c[1]-400, c[0]+400, c[1]+400), reversedRing(box(c[0]-100, c[1]-100, c[0]+100, c[1]+100)), reversedRing(box(c[0]+150, c[1]+150, c[0]+300, c[1]+350))},
		{box(c[0]+600, c[1], c[0]+900, c[1]+300)},
		{box(c[0]-50, c[1]-50, c[0]+50, c[1]+50)}, // island inside the first hole
	}
	in.Zones = slices.Insert(in.Zones, rng.IntN(len(in.Zones)+1), Zone{ID: "holes", Geom: mp})

	for i := range 30 + rng.IntN(50) {
		n := FibreNode{ID: fmt.Sprint(i), Pt: rp(), Active: rng.IntN(5) > 0}
		if i > 0 && rng.IntN(6) == 0 { // duplicates: ties go to the lowest index
			n.Pt = in.Nodes[rng.IntN(i)].Pt
		}
		in.Nodes = append(in.Nodes, n)
	}
	for i := range rng.IntN(6) {
		var l orb.LineString
		for range 2 + rng.IntN(6) {
			l = append(l, rp())
		}
		in.Lines = append(in.Lines, FibreLine{ID: fmt.Sprint(i), Line: l, Active: rng.IntN(4) > 0})
	}
	for i := range rng.IntN(4) {
		var g orb.Geometry = orb.Polygon{star(rng, rp(), 200+rng.Float64()*300, 6, integer)}
		if i%2 == 1 {
			c := rp()
			g = orb.MultiPolygon{{box(c[0], c[1], c[0]+200, c[1]+200), reversedRing(box(c[0]+50, c[1]+50, c[0]+150, c[1]+150))}}
		}
		in.Served = append(in.Served, ServedArea{ID: fmt.Sprint(i), Geom: g, Active: rng.IntN(3) > 0})
	}
	for i := range 40 + rng.IntN(80) {
		r := 100 + rng.Float64()*400
		if rng.IntN(4) == 0 {
			r = 500 + rng.Float64()*2500
		}
		if integer {
			r = math.Round(r)
		}
		in.APs = append(in.APs, AccessPoint{ID: fmt.Sprint(i), Pt: rp(), RangeM: r, Operational: rng.IntN(5) > 0})
	}
	return in
}

func reversedRing(r orb.Ring) orb.Ring {
	out := slices.Clone(r)
	slices.Reverse(out)
	return out
}

// probePoints returns random points plus points exactly on vertices, on
// edges (midpoints: exactly on the edge with integer coordinates, within
// rounding of it otherwise) and at exactly an access point's range.
// near[i] reports that pts[i] is a float midpoint: orb/planar's slope
// comparison is not exact that close to an edge, so those points are checked
// against exactZoneOf instead.
func probePoints(rng *rand.Rand, in *Input, n int, integer bool) (pts []orb.Point, near []bool) {
	var verts []orb.Point
	var mids []orb.Point
	addRing := func(r orb.Ring) {
		for i := 0; i+1 < len(r); i++ {
			verts = append(verts, r[i])
			m := orb.Point{(r[i][0] + r[i+1][0]) / 2, (r[i][1] + r[i+1][1]) / 2}
			if !integer || (m[0] == math.Trunc(m[0]) && m[1] == math.Trunc(m[1])) {
				mids = append(mids, m)
			}
		}
	}
	for _, g := range append(zoneGeoms(in.Zones), servedGeoms(in.Served)...) {
		eachRing(g, addRing)
	}
	for range n {
		switch k := rng.IntN(10); {
		case k < 6:
			p := orb.Point{-300 + rng.Float64()*7000, -300 + rng.Float64()*6000}
			if integer {
				p = orb.Point{math.Round(p[0]), math.Round(p[1])}
			}
			pts, near = append(pts, p), append(near, false)
		case k < 8 && len(verts) > 0:
			pts, near = append(pts, verts[rng.IntN(len(verts))]), append(near, false)
		case k < 9 && len(mids) > 0:
			pts, near = append(pts, mids[rng.IntN(len(mids))]), append(near, !integer)
		default:
			a := in.APs[rng.IntN(len(in.APs))]
			// a 3-4-5 triangle puts the point at exactly RangeM
			p := orb.Point{a.Pt[0] + a.RangeM*0.6, a.Pt[1] + a.RangeM*0.8}
			if !integer {
				p = orb.Point{a.Pt[0] + a.RangeM, a.Pt[1]}
			}
			pts, near = append(pts, p), append(near, false)
		}
	}
	return pts, near
}

// exactContains is a brute-force twin of the prepared polygon test: the
// exact crossing test over every edge of every polygon of g, no slabs.
func exactContains(g orb.Geometry, p orb.Point) bool {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, pg := range polys {
		var outer, holes []edge
		eachEdge(pg, func(e edge, hole bool) {
			if hole {
				holes = append(holes, e)
			} else {
				outer = append(outer, e)
			}
		})
		in, on := crossings(outer, p[0], p[1])
		if on {
			return true
		}
		hin, hon := crossings(holes, p[0], p[1])
		if !hon && in != hin {
			return true
		}
	}
	return false
}

func exactZoneOf(in *Input, p orb.Point) int32 {
	for i, z := range in.Zones {
		if exactContains(z.Geom, p) {
			return int32(i)
		}
	}
	return -1
}

// exactFibreDist is naiveFibreDist with exactContains for served areas.
func exactFibreDist(in *Input, p orb.Point) (distM float64, passed bool) {
	d, passed, _ := naiveFibreDistVia(in, p, exactContains)
	return d, passed
}

// ---- differential tests ----

func TestIndexMatchesBruteForce(t *testing.T) {
	seed := seedFor(t)
	for _, tc := range []struct {
		name    string
		integer bool
	}{{"float", false}, {"integer", true}} {
		t.Run(tc.name, func(t *testing.T) {
			for round := range 30 {
				rng := rand.New(rand.NewPCG(seed, uint64(round)))
				in := randomInput(rng, tc.integer)
				ix := NewIndex(in)
				pts, near := probePoints(rng, in, 600, tc.integer)
				for k, p := range pts {
					twin, fibreTwin := naiveZoneOf, naiveFibreDist
					if near[k] {
						twin, fibreTwin = exactZoneOf, exactFibreDist
					}
					if got, want := ix.ZoneOf(p), twin(in, p); got != want {
						t.Fatalf("seed %d round %d: ZoneOf(%v) = %d, brute force %d (near an edge: %v)", seed, round, p, got, want, near[k])
					}
					gn, gd := ix.NearestNode(p)
					wn, wd := naiveNearestNode(in, p)
					if gn != wn || gd != wd {
						t.Fatalf("seed %d round %d: NearestNode(%v) = %d %v, brute force %d %v", seed, round, p, gn, gd, wn, wd)
					}
					gd, gp := ix.FibreDist(p)
					wd, wp := fibreTwin(in, p)
					if gd != wd || gp != wp {
						t.Fatalf("seed %d round %d: FibreDist(%v) = %v %v, brute force %v %v", seed, round, p, gd, gp, wd, wp)
					}
					got, want := collectAPs(func(fn func(int32, float64) bool) { ix.APsInRange(p, fn) }),
						collectAPs(func(fn func(int32, float64) bool) { naiveAPsInRange(in, p, fn) })
					if !slices.Equal(got, want) {
						t.Fatalf("seed %d round %d: APsInRange(%v) = %v, brute force %v", seed, round, p, got, want)
					}
				}
			}
		})
	}
}

type apHit struct {
	ap int32
	d  float64
}

func collectAPs(q func(fn func(int32, float64) bool)) []apHit {
	var hs []apHit
	q(func(ap int32, d float64) bool { hs = append(hs, apHit{ap, d}); return true })
	slices.SortFunc(hs, func(a, b apHit) int { return int(a.ap - b.ap) })
	return hs
}

func TestAPsInRangeStops(t *testing.T) {
	in := &Input{Network: Network{APs: []AccessPoint{
		{Pt: orb.Point{0, 0}, RangeM: 10, Operational: true},
		{Pt: orb.Point{1, 0}, RangeM: 10, Operational: true},
		{Pt: orb.Point{2, 0}, RangeM: 10, Operational: true},
	}}}
	n := 0
	NewIndex(in).APsInRange(orb.Point{0, 0}, func(int32, float64) bool { n++; return false })
	if n != 1 {
		t.Fatalf("fn called %d times after returning false, want 1", n)
	}
}

func TestMeasureMatchesBruteForce(t *testing.T) {
	seed := seedFor(t)
	for _, tc := range []struct {
		name    string
		integer bool
		n       int
		workers int
	}{
		{"small/1-worker", false, 3000, 1},
		{"small/4-workers", true, 3000, 4},
		// above spatialOrderMin: premises are visited in Hilbert order
		{"hilbert/all-cpus", false, spatialOrderMin + 1234, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, uint64(tc.n)))
			in := randomInput(rng, tc.integer)
			pts, near := probePoints(rng, in, tc.n, tc.integer)
			for i, p := range pts {
				in.Premises = append(in.Premises, Premise{ID: fmt.Sprint(i), Pt: p, Units: 1})
			}
			got := NewIndex(in).Measure(in.Premises, tc.workers)
			defer func(old bool) { measureBuffered = old }(measureBuffered)
			measureBuffered = false // the direct write-back must agree too
			if direct := NewIndex(in).Measure(in.Premises, tc.workers); !slices.Equal(direct, got) {
				t.Fatalf("seed %d: buffered and direct write-back differ", seed)
			}
			want := naiveMeasure(in, in.Premises)
			for i := range want {
				if near[i] {
					want[i].Zone = exactZoneOf(in, pts[i])
					want[i].FibreDistM, want[i].Passed = exactFibreDist(in, pts[i])
				}
				if got[i] != want[i] {
					t.Fatalf("seed %d: premise %d at %v: Measure = %+v, brute force %+v", seed, i, in.Premises[i].Pt, got[i], want[i])
				}
			}
		})
	}
}

func TestIndexEmptyAndDegenerate(t *testing.T) {
	nan := math.NaN()
	in := &Input{
		Zones: []Zone{
			{ID: "nil"},
			{ID: "empty", Geom: orb.Polygon{}},
			{ID: "nan", Geom: orb.Polygon{{{nan, 0}, {1, 0}, {1, 1}, {nan, 0}}}},
			{ID: "flat", Geom: orb.Polygon{{{0, 0}, {10, 0}, {5, 0}, {0, 0}}}},
		},
		Network: Network{
			Nodes: []FibreNode{{Pt: orb.Point{nan, 0}, Active: true}},
			APs:   []AccessPoint{{Pt: orb.Point{0, 0}, RangeM: nan, Operational: true}},
		},
	}
	ix := NewIndex(in)
	for _, p := range []orb.Point{{0, 0}, {5, 0}, {nan, nan}, {math.Inf(1), 0}, {1e300, -1e300}} {
		if z := ix.ZoneOf(p); z != -1 && z != 3 {
			t.Errorf("ZoneOf(%v) = %d", p, z)
		}
		if n, d := ix.NearestNode(p); n != -1 || !math.IsInf(d, 1) {
			t.Errorf("NearestNode(%v) = %d %v, want -1 +Inf", p, n, d)
		}
		if d, passed := ix.FibreDist(p); passed || !math.IsInf(d, 1) {
			t.Errorf("FibreDist(%v) = %v %v, want +Inf false", p, d, passed)
		}
		ix.APsInRange(p, func(ap int32, _ float64) bool { t.Errorf("APsInRange(%v) found %d", p, ap); return true })
	}
	// A degenerate (zero-area) polygon contains its own boundary, as orb says.
	flat := in.Zones[3].Geom.(orb.Polygon)
	if got, want := ix.ZoneOf(orb.Point{5, 0}), planar.PolygonContains(flat, orb.Point{5, 0}); (got == 3) != want {
		t.Errorf("ZoneOf on a flat polygon = %d, planar.PolygonContains %v", got, want)
	}
	if got := NewIndex(&Input{}).Measure(nil, 0); len(got) != 0 {
		t.Errorf("Measure(nil) = %v", got)
	}
}

func TestZoneOfBoundaryRule(t *testing.T) {
	// Two unit squares sharing the edge x = 1, the second with a hole.
	in := &Input{Zones: []Zone{
		{ID: "a", Geom: orb.Polygon{box(0, 0, 1, 1)}},
		{ID: "b", Geom: orb.Polygon{box(1, 0, 2, 1), reversedRing(box(1.25, 0.25, 1.75, 0.75))}},
	}}
	ix := NewIndex(in)
	for _, tc := range []struct {
		name string
		p    orb.Point
		want int32
	}{
		{"inside a", orb.Point{0.5, 0.5}, 0},
		{"shared edge goes to the lower index", orb.Point{1, 0.5}, 0},
		{"shared vertex", orb.Point{1, 1}, 0},
		{"outer edge of b", orb.Point{2, 0.5}, 1},
		{"vertex of b", orb.Point{2, 0}, 1},
		{"inside b", orb.Point{1.1, 0.5}, 1},
		{"in the hole", orb.Point{1.5, 0.5}, -1},
		{"on the hole's ring", orb.Point{1.25, 0.5}, -1},
		{"on a hole vertex", orb.Point{1.75, 0.75}, -1},
		{"outside", orb.Point{3, 0.5}, -1},
		{"just outside", orb.Point{math.Nextafter(2, 3), 0.5}, -1},
		{"just inside", orb.Point{math.Nextafter(2, 1), 0.5}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ix.ZoneOf(tc.p); got != tc.want {
				t.Errorf("ZoneOf(%v) = %d, want %d", tc.p, got, tc.want)
			}
			if got := naiveZoneOf(in, tc.p); got != tc.want {
				t.Errorf("brute force ZoneOf(%v) = %d, want %d", tc.p, got, tc.want)
			}
		})
	}
}

func TestOrientExact(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		ax, ay, bx, by, cx, cy float64
		want                   int
	}{
		{"left", 0, 0, 1, 0, 0, 1, 1},
		{"right", 0, 0, 1, 0, 0, -1, -1},
		{"collinear", 0, 0, 2, 2, 1, 1, 0},
		{"collinear far", 1e6, 1e6, 3e6, 3e6, 2e6, 2e6, 0},
		// c is one ulp off the line y = x at 0.1: the naive determinant rounds
		// to zero or the wrong sign; the exact predicate does not.
		{"one ulp left", 0.5, 0.5, 12, 12, 0.1, math.Nextafter(0.1, 1), 1},
		{"one ulp right", 0.5, 0.5, 12, 12, 0.1, math.Nextafter(0.1, 0), -1},
		// collinear in decimal, not in binary: the exact sign, not zero
		{"decimal collinear", 700000.1, 6600000.3, 700000.7, 6600000.9, 700000.4, 6600000.6, -1},
		{"binary collinear", 700000.25, 6600000.5, 700000.75, 6600001, 700000.5, 6600000.75, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := orient(tc.ax, tc.ay, tc.bx, tc.by, tc.cx, tc.cy); got != tc.want {
				t.Errorf("orient = %d, want %d (exact %d)", got, tc.want, orientExact(tc.ax, tc.ay, tc.bx, tc.by, tc.cx, tc.cy))
			}
		})
	}
	// The filter never disagrees with rational arithmetic.
	seed := seedFor(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	for range 20000 {
		ax, ay := rng.Float64()*1e6, rng.Float64()*1e6
		bx, by := ax+rng.NormFloat64()*100, ay+rng.NormFloat64()*100
		t0 := rng.Float64()
		cx, cy := ax+t0*(bx-ax), ay+t0*(by-ay) // near the line, often rounded off it
		if got, want := orient(ax, ay, bx, by, cx, cy), orientExact(ax, ay, bx, by, cx, cy); got != want {
			t.Fatalf("seed %d: orient(%v,%v,%v,%v,%v,%v) = %d, exact %d", seed, ax, ay, bx, by, cx, cy, got, want)
		}
	}
}

func TestSpatialOrderIsPermutation(t *testing.T) {
	rng := rand.New(rand.NewPCG(seedFor(t), 2))
	for _, n := range []int{1, 7, 1000, 100000} {
		ps := make([]Premise, n)
		for i := range ps {
			ps[i].Pt = orb.Point{rng.Float64() * 1e5, rng.Float64() * 5e4}
		}
		if n > 3 {
			ps[1].Pt = orb.Point{math.NaN(), 0}
			ps[2].Pt = ps[0].Pt
		}
		perm, pts := spatialOrder(ps)
		seen := make([]bool, n)
		for k, i := range perm {
			if seen[i] {
				t.Fatalf("n=%d: %d twice", n, i)
			}
			seen[i] = true
			if pts[k] != ps[i].Pt && !math.IsNaN(pts[k][0]) {
				t.Fatalf("n=%d: pts[%d] = %v, want premise %d's %v", n, k, pts[k], i, ps[i].Pt)
			}
		}
		if len(perm) != n {
			t.Fatalf("n=%d: len %d", n, len(perm))
		}
	}
}

func TestHilbertD(t *testing.T) {
	// The order-1 curve visits (0,0), (0,1), (1,1), (1,0); every order is a
	// bijection whose consecutive cells are neighbours.
	want := [][2]uint32{{0, 0}, {0, 1}, {1, 1}, {1, 0}}
	for d, c := range want {
		if got := hilbertD(1, c[0], c[1]); got != uint32(d) {
			t.Errorf("hilbertD(1, %v) = %d, want %d", c, got, d)
		}
	}
	const order = 4
	pos := make(map[uint32][2]uint32)
	for x := range uint32(1 << order) {
		for y := range uint32(1 << order) {
			pos[hilbertD(order, x, y)] = [2]uint32{x, y}
		}
	}
	for d := uint32(1); d < 1<<(2*order); d++ {
		a, b := pos[d-1], pos[d]
		if dist := absDiff(a[0], b[0]) + absDiff(a[1], b[1]); dist != 1 {
			t.Fatalf("cells %d %v and %d %v are not neighbours", d-1, a, d, b)
		}
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func zoneGeoms(zs []Zone) []orb.Geometry {
	var g []orb.Geometry
	for _, z := range zs {
		g = append(g, z.Geom)
	}
	return g
}

func servedGeoms(ss []ServedArea) []orb.Geometry {
	var g []orb.Geometry
	for _, s := range ss {
		g = append(g, s.Geom)
	}
	return g
}

// FuzzZoneOf checks the prepared polygons against both brute forces on small
// integer polygons (where orb/planar is exact too): the fuzzer's bytes are
// vertex coordinates, the last two the probe point.
func FuzzZoneOf(f *testing.F) {
	f.Add([]byte{0, 0, 10, 0, 10, 10, 0, 10, 5, 5})
	f.Add([]byte{0, 0, 10, 0, 5, 5, 10, 10, 0, 10, 5, 5})
	f.Add([]byte{0, 0, 8, 2, 3, 3, 9, 9, 1, 7, 3, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 8 || len(b) > 64 {
			return
		}
		n := (len(b) - 2) / 2
		var r orb.Ring
		for i := range n {
			r = append(r, orb.Point{float64(b[2*i] % 32), float64(b[2*i+1] % 32)})
		}
		r = append(r, r[0])
		p := orb.Point{float64(b[len(b)-2] % 32), float64(b[len(b)-1] % 32)}
		// A second zone: the square [8, 24]², whose lower index loses ties.
		in := &Input{Zones: []Zone{{Geom: orb.Polygon{r}}, {Geom: orb.Polygon{box(8, 8, 24, 24)}}}}
		got := NewIndex(in).ZoneOf(p)
		if want := exactZoneOf(in, p); got != want {
			t.Fatalf("ZoneOf(%v) = %d, exact brute force %d, ring %v", p, got, want, r)
		}
		if want := naiveZoneOf(in, p); got != want {
			t.Fatalf("ZoneOf(%v) = %d, orb/planar %d, ring %v", p, got, want, r)
		}
	})
}

func TestZoneLocatorAndMeasureZoned(t *testing.T) {
	seed := seedFor(t)
	for _, n := range []int{500, spatialOrderMin + 777} { // input order, Hilbert order
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, uint64(n)))
			in := randomInput(rng, true)
			pts, _ := probePoints(rng, in, n, true)
			geoms := zoneGeoms(in.Zones)
			l := NewZoneLocator(geoms)
			got := l.Locate(pts, 0)
			for i, p := range pts {
				if want := naiveZoneOf(in, p); got[i] != want || l.ZoneOf(p) != want {
					t.Fatalf("seed %d: point %d %v: Locate %d, ZoneOf %d, brute force %d", seed, i, p, got[i], l.ZoneOf(p), want)
				}
			}
			// Zones from elsewhere (here: shifted by one) replace Measure's own.
			for i, p := range pts {
				in.Premises = append(in.Premises, Premise{ID: fmt.Sprint(i), Pt: p, Units: 1})
			}
			shifted := make([]int32, n)
			for i := range shifted {
				shifted[i] = got[i] + 1
			}
			ix := NewIndex(in)
			plain := ix.Measure(in.Premises, 0)
			zoned := ix.MeasureZoned(in.Premises, shifted, 0)
			for i := range plain {
				want := plain[i]
				want.Zone = shifted[i]
				if zoned[i] != want {
					t.Fatalf("seed %d: premise %d: MeasureZoned %+v, want %+v", seed, i, zoned[i], want)
				}
			}
			if bad := ix.MeasureZoned(in.Premises, shifted[:1], 0); !slices.Equal(bad, plain) {
				t.Fatalf("MeasureZoned with a short zones slice should measure the zones itself")
			}
		})
	}
}
