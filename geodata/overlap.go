package geodata

// Overlaps between zones: candidate pairs from a sweep over the zones'
// bounding boxes, then, per pair, the area of the intersection computed
// from the boundaries: the parts of each zone's boundary inside the other
// (found by splitting the edges in the common box at their crossings and
// testing each piece's midpoint) enclose the intersection, so their
// shoelace sum is its area and their first moments its centroid.
// Neighbours that share a boundary exactly give 0.

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"
)

// DefaultMinOverlapM2 is the smallest overlap between two zones reported:
// below it, the overlap is rounding between boundaries meant to be shared.
const DefaultMinOverlapM2 = 1.0

// overlap is the intersection of two zones.
type overlap struct {
	i, j   int
	areaM2 float64
	at     orb.Point
}

// zoneBoxes are the zones' bounding boxes.
func zoneBoxes(geoms []orb.Geometry) []orb.Bound {
	bs := make([]orb.Bound, len(geoms))
	for i, g := range geoms {
		bs[i] = g.Bound()
	}
	return bs
}

// overlaps returns every pair of zones whose intersection is at least
// minM2 square metres, ordered by (i, j), computed on workers goroutines.
func overlaps(geoms []orb.Geometry, minM2 float64, workers int) []overlap {
	bs := zoneBoxes(geoms)
	order := make([]int, len(geoms))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(bs[a].Min[0], bs[b].Min[0]) })
	type pair struct{ i, j int }
	var pairs []pair
	for k, i := range order {
		for _, j := range order[k+1:] {
			if bs[j].Min[0] >= bs[i].Max[0] {
				break
			}
			if bs[j].Min[1] >= bs[i].Max[1] || bs[j].Max[1] <= bs[i].Min[1] {
				continue
			}
			pairs = append(pairs, pair{min(i, j), max(i, j)})
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(pairs))
	// Zones' edge indexes are built on first use, once each.
	idx := make([]*edgeIndex, len(geoms))
	once := make([]sync.Once, len(geoms))
	index := func(i int) *edgeIndex {
		once[i].Do(func() { idx[i] = newEdgeIndex(geoms[i]) })
		return idx[i]
	}
	found := make([][]overlap, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc overlapScratch
			for k := w; k < len(pairs); k += workers {
				p := pairs[k]
				box := boxIntersect(bs[p.i], bs[p.j])
				if a, at := sc.area(index(p.i), index(p.j), box); a >= minM2 {
					found[w] = append(found[w], overlap{p.i, p.j, a, at})
				}
			}
		}()
	}
	wg.Wait()
	var out []overlap
	for _, f := range found {
		out = append(out, f...)
	}
	slices.SortFunc(out, func(a, b overlap) int {
		if a.i != b.i {
			return cmp.Compare(a.i, b.i)
		}
		return cmp.Compare(a.j, b.j)
	})
	return out
}

// edgeIndex holds a zone's edges (interior on the left) and, for point in
// polygon tests, the edges crossing each of a set of horizontal strips.
type edgeIndex struct {
	es     []edge
	minY   float64
	stripH float64
	strips [][]int32
}

func newEdgeIndex(g orb.Geometry) *edgeIndex {
	x := &edgeIndex{es: appendEdges(nil, g, true)}
	b := g.Bound()
	n := min(max(len(x.es)/4, 1), 4096)
	x.minY = b.Min[1]
	x.stripH = (b.Max[1] - b.Min[1]) / float64(n)
	if !(x.stripH > 0) {
		x.stripH, n = 1, 1
	}
	x.strips = make([][]int32, n)
	for i := range x.es {
		e := &x.es[i]
		lo, hi := x.strip(e.minY()), x.strip(e.maxY())
		for s := lo; s <= hi; s++ {
			x.strips[s] = append(x.strips[s], int32(i))
		}
	}
	return x
}

func (x *edgeIndex) strip(y float64) int {
	s := int((y - x.minY) / x.stripH)
	return min(max(s, 0), len(x.strips)-1)
}

// boundaryTol is how close to an edge, in degrees (about 0.1 mm), a point
// counts as on it.
const boundaryTol = 1e-9

// classify tells where p, the midpoint of a piece of boundary running in
// direction (dx, dy), lies against the zone: 1 inside, -1 outside, 2 on
// its boundary running the same way, -2 on it the other way.
func (x *edgeIndex) classify(px, py, dx, dy float64) int {
	in := false
	for _, k := range x.strips[x.strip(py)] {
		e := &x.es[k]
		if onEdge(px, py, e) {
			if dx*(e.bx-e.ax)+dy*(e.by-e.ay) > 0 {
				return 2
			}
			return -2
		}
		if (e.ay > py) != (e.by > py) {
			if px < e.ax+(py-e.ay)*(e.bx-e.ax)/(e.by-e.ay) {
				in = !in
			}
		}
	}
	if in {
		return 1
	}
	return -1
}

// onEdge reports whether p is within boundaryTol of edge e.
func onEdge(px, py float64, e *edge) bool {
	if px < e.minX()-boundaryTol || px > e.maxX()+boundaryTol || py < e.minY()-boundaryTol || py > e.maxY()+boundaryTol {
		return false
	}
	dx, dy := e.bx-e.ax, e.by-e.ay
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(px-e.ax, py-e.ay) <= boundaryTol
	}
	t := ((px-e.ax)*dx + (py-e.ay)*dy) / l2
	t = min(max(t, 0), 1)
	return math.Hypot(px-(e.ax+t*dx), py-(e.ay+t*dy)) <= boundaryTol
}

// overlapScratch holds one worker's buffers.
type overlapScratch struct {
	a, b   []int32 // edges in the common box
	cuts   []cut
	sweepA []int32
	sweepB []int32
}

// cut is a crossing on edge e (of side 0 or 1) at parameter t.
type cut struct {
	side int8
	e    int32
	t    float64
}

// area is the area in m² of the intersection of zones A and B, whose
// bounding boxes meet in box, and its centroid in lon/lat.
func (sc *overlapScratch) area(A, B *edgeIndex, box orb.Bound) (float64, orb.Point) {
	if box.Max[0]-box.Min[0] <= 0 || box.Max[1]-box.Min[1] <= 0 {
		return 0, orb.Point{}
	}
	sc.a = inBox(sc.a[:0], A.es, box)
	sc.b = inBox(sc.b[:0], B.es, box)
	if len(sc.a) == 0 && len(sc.b) == 0 {
		return 0, orb.Point{}
	}
	sc.cuts = sc.crossings(A, B)
	ox, oy := box.Center()[0], box.Center()[1]
	var s2, mx, my float64 // twice the signed area, and the first moments times 6
	add := func(px, py, qx, qy float64) {
		px, py, qx, qy = px-ox, py-oy, qx-ox, qy-oy
		c := px*qy - qx*py
		s2 += c
		mx += (px + qx) * c
		my += (py + qy) * c
	}
	pieces := func(side int8, own, other *edgeIndex, ids []int32) {
		cuts := sc.cuts
		for _, k := range ids {
			e := &own.es[k]
			ts := []float64{0}
			for len(cuts) > 0 && cuts[0].side == side && cuts[0].e == k {
				ts = append(ts, cuts[0].t)
				cuts = cuts[1:]
			}
			ts = append(ts, 1)
			for i := 1; i < len(ts); i++ {
				t0, t1 := ts[i-1], ts[i]
				if t1-t0 <= 1e-12 {
					continue
				}
				px, py := e.ax+t0*(e.bx-e.ax), e.ay+t0*(e.by-e.ay)
				qx, qy := e.ax+t1*(e.bx-e.ax), e.ay+t1*(e.by-e.ay)
				c := other.classify((px+qx)/2, (py+qy)/2, e.bx-e.ax, e.by-e.ay)
				if c == 1 || (c == 2 && side == 0) {
					add(px, py, qx, qy)
				}
			}
		}
		sc.cuts = cuts
	}
	all := sc.cuts
	pieces(0, A, B, sc.a)
	pieces(1, B, A, sc.b)
	sc.cuts = all
	if s2 <= 0 {
		return 0, orb.Point{}
	}
	cx, cy := mx/(3*s2)+ox, my/(3*s2)+oy
	return s2 / 2 * mPerDegLat * mPerDegLat * math.Cos(cy*math.Pi/180), orb.Point{cx, cy}
}

// inBox appends the indices of the edges whose bounding box meets box.
func inBox(dst []int32, es []edge, box orb.Bound) []int32 {
	for i := range es {
		e := &es[i]
		const tol = boundaryTol
		if e.maxX() >= box.Min[0]-tol && e.minX() <= box.Max[0]+tol && e.maxY() >= box.Min[1]-tol && e.minY() <= box.Max[1]+tol {
			dst = append(dst, int32(i))
		}
	}
	return dst
}

// crossings finds where the edges of A and B in the box cross or overlap,
// by a sweep in x, and returns the cuts sorted by (side, edge order in
// sc.a or sc.b, t).
func (sc *overlapScratch) crossings(A, B *edgeIndex) []cut {
	type ev struct {
		x    float64
		side int8
		k    int32
	}
	evs := make([]ev, 0, len(sc.a)+len(sc.b))
	for _, k := range sc.a {
		evs = append(evs, ev{A.es[k].minX(), 0, k})
	}
	for _, k := range sc.b {
		evs = append(evs, ev{B.es[k].minX(), 1, k})
	}
	slices.SortFunc(evs, func(a, b ev) int { return cmp.Compare(a.x, b.x) })
	cuts := sc.cuts[:0]
	actA, actB := sc.sweepA[:0], sc.sweepB[:0]
	prune := func(act []int32, es []edge, x float64) []int32 {
		n := 0
		for _, k := range act {
			if es[k].maxX() >= x-boundaryTol {
				act[n] = k
				n++
			}
		}
		return act[:n]
	}
	for _, v := range evs {
		actA, actB = prune(actA, A.es, v.x), prune(actB, B.es, v.x)
		if v.side == 0 {
			e := &A.es[v.k]
			for _, k := range actB {
				cuts = appendCuts(cuts, v.k, e, k, &B.es[k])
			}
			actA = append(actA, v.k)
		} else {
			e := &B.es[v.k]
			for _, k := range actA {
				cuts = appendCuts(cuts, k, &A.es[k], v.k, e)
			}
			actB = append(actB, v.k)
		}
	}
	sc.sweepA, sc.sweepB = actA, actB
	pos := func(side int8, k int32) int {
		ids := sc.a
		if side == 1 {
			ids = sc.b
		}
		i, _ := slices.BinarySearch(ids, k)
		return i
	}
	slices.SortFunc(cuts, func(x, y cut) int {
		if x.side != y.side {
			return cmp.Compare(x.side, y.side)
		}
		if x.e != y.e {
			return cmp.Compare(pos(x.side, x.e), pos(y.side, y.e))
		}
		return cmp.Compare(x.t, y.t)
	})
	return cuts
}

// appendCuts adds the cuts where edge a (of A, index ka) and edge b (of B,
// index kb) meet: at the ends of each that lie on the other (within
// boundaryTol, as classify decides what is on a boundary: a T-junction or
// the ends of a shared stretch), else at their proper crossing.
func appendCuts(cuts []cut, ka int32, a *edge, kb int32, b *edge) []cut {
	const tol = boundaryTol
	if a.maxY() < b.minY()-tol || a.minY() > b.maxY()+tol || a.maxX() < b.minX()-tol || a.minX() > b.maxX()+tol {
		return cuts
	}
	touch := false
	cutAt := func(side int8, k int32, e *edge, x, y float64) {
		if !onEdge(x, y, e) {
			return
		}
		touch = true
		if t := paramOn(e, x, y); t > 1e-12 && t < 1-1e-12 {
			cuts = append(cuts, cut{side, k, t})
		}
	}
	cutAt(0, ka, a, b.ax, b.ay)
	cutAt(0, ka, a, b.bx, b.by)
	cutAt(1, kb, b, a.ax, a.ay)
	cutAt(1, kb, b, a.bx, a.by)
	if touch {
		return cuts
	}
	o1 := orient(a.ax, a.ay, a.bx, a.by, b.ax, b.ay)
	o2 := orient(a.ax, a.ay, a.bx, a.by, b.bx, b.by)
	o3 := orient(b.ax, b.ay, b.bx, b.by, a.ax, a.ay)
	o4 := orient(b.ax, b.ay, b.bx, b.by, a.bx, a.by)
	if o1*o2 >= 0 || o3*o4 >= 0 {
		return cuts
	}
	ta, tb := crossParams(a, b)
	if ta > 0 && ta < 1 {
		cuts = append(cuts, cut{0, ka, ta})
	}
	if tb > 0 && tb < 1 {
		cuts = append(cuts, cut{1, kb, tb})
	}
	return cuts
}

// paramOn is the parameter of point (x, y) projected on edge e.
func paramOn(e *edge, x, y float64) float64 {
	dx, dy := e.bx-e.ax, e.by-e.ay
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.NaN()
	}
	return ((x-e.ax)*dx + (y-e.ay)*dy) / l2
}

// boxIntersect is the intersection of two bounding boxes that meet.
func boxIntersect(a, b orb.Bound) orb.Bound {
	return orb.Bound{Min: orb.Point{max(a.Min[0], b.Min[0]), max(a.Min[1], b.Min[1])}, Max: orb.Point{min(a.Max[0], b.Max[0]), min(a.Max[1], b.Max[1])}}
}
