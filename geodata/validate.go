package geodata

import (
	"fmt"
	"math"
	"slices"

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
// error located by feature, ring and position. Overlaps between zones are
// in overlap.go.

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
