package geodata

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"
)

// Geometry validation of zones and served areas, in lon/lat.
//
// Each feature's rings are checked for self-intersections and for rings
// that cross each other (a hole crossing its shell, two parts of a
// MultiPolygon crossing) by a sweep over the feature's edges sorted by x:
// each edge is compared only with the edges whose x-range it overlaps, so
// the cost is O(n log n) for the rings of real boundaries. Touching at a
// vertex is allowed (ESRI's inverted holes); crossing, or running along
// another edge, is not. Such a ring has no unambiguous repair, so it is an
// error located by feature, ring and position.
//
// Overlaps between zones are found by a sweep over the zones' bounding
// boxes for candidate pairs, then, per pair, by the area of the
// intersection computed from the boundaries: the parts of each zone's
// boundary inside the other (found by splitting the edges in the common
// box at their crossings and testing each piece's midpoint) enclose the
// intersection, so their shoelace sum is its area and their first moments
// its centroid. Neighbours that share a boundary exactly give 0.

// orient is the sign of the turn a→b→c: 1 left, -1 right, 0 collinear
// (within the rounding of the determinant, Shewchuk's first error bound).
func orient(ax, ay, bx, by, cx, cy float64) int {
	l := (bx - ax) * (cy - ay)
	r := (by - ay) * (cx - ax)
	det := l - r
	bound := 3.3306690738754716e-16 * (math.Abs(l) + math.Abs(r))
	switch {
	case det > bound:
		return 1
	case det < -bound:
		return -1
	}
	return 0
}

// edge is one segment of a ring: from (ax, ay) to (bx, by). ring numbers
// the feature's rings (polygon parts flattened), idx the segment in its
// ring, n the ring's segment count.
type edge struct {
	ax, ay, bx, by float64
	ring, idx, n   int32
}

func (e *edge) minX() float64 { return min(e.ax, e.bx) }
func (e *edge) maxX() float64 { return max(e.ax, e.bx) }
func (e *edge) minY() float64 { return min(e.ay, e.by) }
func (e *edge) maxY() float64 { return max(e.ay, e.by) }

// polygons returns g's polygons (nil for another type).
func polygons(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// appendEdges appends the edges of g's rings, each ring oriented with its
// interior on the left (outer rings counter-clockwise, holes clockwise)
// when normalise is set.
func appendEdges(dst []edge, g orb.Geometry, normalise bool) []edge {
	ring := int32(0)
	for _, p := range polygons(g) {
		for k, r := range p {
			n := len(r) - 1
			if n < 1 {
				ring++
				continue
			}
			rev := false
			if normalise {
				a := signedArea(r)
				rev = (k == 0) == (a < 0)
			}
			for i := range n {
				a, b := r[i], r[i+1]
				if rev {
					a, b = r[n-i], r[n-i-1]
				}
				dst = append(dst, edge{a[0], a[1], b[0], b[1], ring, int32(i), int32(n)})
			}
			ring++
		}
	}
	return dst
}

// ringProblem is a crossing found in a feature's rings.
type ringProblem struct {
	what string
	at   orb.Point
}

// sweepBudget bounds the edge comparisons of one feature's sweep (per
// edge), against rings built to defeat it.
const sweepBudget = 256

// checkRings reports the first crossing among g's rings, or nil; done is
// false when the sweep gave up on a pathological ring.
func checkRings(g orb.Geometry, es []edge) (*ringProblem, []edge, bool) {
	es = appendEdges(es[:0], g, false)
	var rings []orb.Ring
	for _, p := range polygons(g) {
		rings = append(rings, p...)
	}
	// Sort by min x; sorting 16-byte keys is much cheaper than the edges.
	keys := make([]sweepKey, len(es))
	for i := range es {
		keys[i] = sweepKey{es[i].minX(), int32(i)}
	}
	slices.SortFunc(keys, func(a, b sweepKey) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return 0
	})
	active := make([]int32, 0, 16)
	work, budget := 0, sweepBudget*len(es)+1<<16
	for _, key := range keys {
		e := &es[key.i]
		eMinY, eMaxY := e.minY(), e.maxY()
		k := 0
		for _, j := range active {
			if es[j].maxX() >= key.x {
				active[k] = j
				k++
			}
		}
		active = active[:k]
		for _, j := range active {
			if work++; work > budget {
				return nil, es, false
			}
			o := &es[j]
			if o.maxY() < eMinY || o.minY() > eMaxY {
				continue
			}
			if p := crossing(o, e, rings); p != nil {
				return p, es, true
			}
		}
		active = append(active, key.i)
	}
	return nil, es, true
}

// sweepKey orders edges for a sweep in x.
type sweepKey struct {
	x float64
	i int32
}

// adjacent reports whether two edges of the same ring share a vertex as
// consecutive segments.
func adjacent(a, b *edge) bool {
	if a.ring != b.ring {
		return false
	}
	d := a.idx - b.idx
	return d == 1 || d == -1 || (a.n > 2 && (d == a.n-1 || d == 1-a.n))
}

// crossing classifies two edges: a proper crossing, a crossing through a
// vertex, or a collinear overlap (a spike or a doubled edge) is a
// problem; touching is not. rings are the feature's rings, numbered as
// the edges' ring field, to look at the edges around a shared point.
func crossing(a, b *edge, rings []orb.Ring) *ringProblem {
	if p := alongProblem(a, b); p != nil {
		return p
	}
	o1 := orient(a.ax, a.ay, a.bx, a.by, b.ax, b.ay)
	o2 := orient(a.ax, a.ay, a.bx, a.by, b.bx, b.by)
	if o1 != 0 && o1 == o2 {
		return nil
	}
	o3 := orient(b.ax, b.ay, b.bx, b.by, a.ax, a.ay)
	o4 := orient(b.ax, b.ay, b.bx, b.by, a.bx, a.by)
	if o3 != 0 && o3 == o4 {
		return nil
	}
	if o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 {
		if adjacent(a, b) {
			return nil // consecutive edges cross only at their shared vertex
		}
		p := lineCross(a, b)
		return &ringProblem{what: crossWhat(a, b, "crosses"), at: p}
	}
	if o1 == 0 && o2 == 0 {
		return nil // collinear without overlapping along a length (alongProblem)
	}
	if adjacent(a, b) || rings == nil {
		return nil
	}
	// They meet at a point that is a vertex of one or both: the paths
	// cross there when the boundary on one side passes from one side of
	// the other to the other.
	for _, c := range [2][2]*edge{{a, b}, {b, a}} {
		e, f := c[0], c[1]
		for end := range 2 {
			px, py := e.ax, e.ay
			if end == 1 {
				px, py = e.bx, e.by
			}
			if !onEdge(px, py, f) {
				continue
			}
			if pathsCross(rings, e, end, f, px, py) {
				return &ringProblem{what: crossWhat(a, b, "crosses"), at: orb.Point{px, py}}
			}
		}
	}
	return nil
}

// pathsCross reports whether the boundary through vertex P (the end `end`
// of edge e) crosses the boundary along edge f, on which P lies: when P
// is inside f, the vertices before and after P lie strictly on opposite
// sides of f; when P is also an end of f, the two pairs of edges at P
// alternate around it.
func pathsCross(rings []orb.Ring, e *edge, end int, f *edge, px, py float64) bool {
	prev, next := around(rings, e, end)
	atF := -1
	switch {
	case px == f.ax && py == f.ay:
		atF = 0
	case px == f.bx && py == f.by:
		atF = 1
	}
	if atF < 0 {
		s1 := orient(f.ax, f.ay, f.bx, f.by, prev[0], prev[1])
		s2 := orient(f.ax, f.ay, f.bx, f.by, next[0], next[1])
		return s1*s2 < 0
	}
	fp, fn := around(rings, f, atF)
	ang := func(q orb.Point) float64 { return math.Atan2(q[1]-py, q[0]-px) }
	a1, a2, b1, b2 := ang(prev), ang(next), ang(fp), ang(fn)
	if a1 == b1 || a1 == b2 || a2 == b1 || a2 == b2 {
		return false // a shared edge direction: touching, or a run along (caught as collinear)
	}
	in := func(x float64) bool { // x strictly inside the counter-clockwise arc from a1 to a2
		d, w := math.Mod(x-a1+4*math.Pi, 2*math.Pi), math.Mod(a2-a1+4*math.Pi, 2*math.Pi)
		return d > 0 && d < w
	}
	return in(b1) != in(b2)
}

// around is the vertices before and after the end `end` of edge e in its
// ring.
func around(rings []orb.Ring, e *edge, end int) (prev, next orb.Point) {
	r := rings[e.ring]
	n := int(e.n)
	v := int(e.idx) + end // the vertex's index in r (0..n)
	if v == n {
		v = 0
	}
	return r[(v-1+n)%n], r[(v+1)%n]
}

// alongProblem finds two edges on one line (within boundaryTol, so that
// rounding in the input does not hide a spike) that overlap along a
// length: a spike when they are consecutive, a doubled edge otherwise.
func alongProblem(a, b *edge) *ringProblem {
	// Distances to a's line compared squared: |cross| <= tol·|a|.
	dx, dy := a.bx-a.ax, a.by-a.ay
	lim := boundaryTol * boundaryTol * (dx*dx + dy*dy)
	c1 := dx*(b.ay-a.ay) - dy*(b.ax-a.ax)
	if c1*c1 > lim {
		return nil
	}
	c2 := dx*(b.by-a.ay) - dy*(b.bx-a.ax)
	if c2*c2 > lim || dx == 0 && dy == 0 {
		return nil
	}
	lo, hi := collinearOverlap(a, b)
	if hi-lo <= boundaryTol {
		return nil
	}
	m := (lo + hi) / 2
	p := orb.Point{m, a.ay + (a.by-a.ay)*(m-a.ax)/(a.bx-a.ax)}
	if math.Abs(a.bx-a.ax) < math.Abs(a.by-a.ay) {
		p = orb.Point{a.ax + (a.bx-a.ax)*(m-a.ay)/(a.by-a.ay), m}
	}
	if adjacent(a, b) {
		return &ringProblem{what: fmt.Sprintf("ring %d folds back on itself (a spike)", a.ring), at: p}
	}
	return &ringProblem{what: crossWhat(a, b, "runs along"), at: p}
}

func crossWhat(a, b *edge, verb string) string {
	if a.ring == b.ring {
		return fmt.Sprintf("ring %d %s itself", a.ring, verb)
	}
	return fmt.Sprintf("ring %d %s ring %d", max(a.ring, b.ring), verb, min(a.ring, b.ring))
}

// collinearOverlap is the overlap of two collinear edges along the
// dominant axis of a, as an interval of that coordinate.
func collinearOverlap(a, b *edge) (lo, hi float64) {
	if math.Abs(a.bx-a.ax) >= math.Abs(a.by-a.ay) {
		return max(min(a.ax, a.bx), min(b.ax, b.bx)), min(max(a.ax, a.bx), max(b.ax, b.bx))
	}
	return max(min(a.ay, a.by), min(b.ay, b.by)), min(max(a.ay, a.by), max(b.ay, b.by))
}

// lineCross is where two properly crossing edges meet.
func lineCross(a, b *edge) orb.Point {
	t, _ := crossParams(a, b)
	return orb.Point{a.ax + t*(a.bx-a.ax), a.ay + t*(a.by-a.ay)}
}

// crossParams are the parameters along a and b of the crossing of their
// lines (NaN when parallel).
func crossParams(a, b *edge) (ta, tb float64) {
	dax, day := a.bx-a.ax, a.by-a.ay
	dbx, dby := b.bx-b.ax, b.by-b.ay
	den := dax*dby - day*dbx
	if den == 0 {
		return math.NaN(), math.NaN()
	}
	ex, ey := b.ax-a.ax, b.ay-a.ay
	return (ex*dby - ey*dbx) / den, (ex*day - ey*dax) / den
}

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
	const mPerDeg = math.Pi / 180 * 6371008.8
	return s2 / 2 * mPerDeg * mPerDeg * math.Cos(cy*math.Pi/180), orb.Point{cx, cy}
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
