package coverage

import (
	"math"
	"math/big"
	"slices"

	"github.com/paulmach/orb"
)

// A prepared polygon answers point-in-polygon in a handful of edge tests
// instead of one per vertex: its edges are bucketed into horizontal slabs of
// equal height, and a point only tests the edges of its own slab.
//
// Boundary rule (the same as orb/planar, which the brute-force twin uses):
// a point on the outer ring of a polygon is inside it; a point on the ring of
// a hole is outside it. Everything else is the crossing-number (even-odd)
// rule over the outer ring and its holes, evaluated with an exact orientation
// predicate, so the answer does not depend on rounding. Rings are assumed to
// be valid: holes inside their outer ring, rings not crossing each other.

// edge is one ring segment a→b.
type edge struct {
	ax, ay, bx, by float64
}

// prepPoly is one prepared orb.Polygon (outer ring plus holes). Its edges
// live in the owning polySet's flat arrays: slab k holds edges[slabs[so+2k]
// : slabs[so+2k+2]], the hole edges starting at slabs[so+2k+1].
type prepPoly struct {
	minX, minY, maxX, maxY float64
	slabScale              float64 // slabs per metre of y
	so                     int32   // offset of this polygon's slab table in polySet.slabs
	nslab                  int32
	owner                  int32 // the zone (or served area) this polygon belongs to
}

// polySet is a set of prepared polygons with their edges in flat arrays, so
// that a point test touches few cache lines and the garbage collector sees
// three slices instead of one per polygon.
type polySet struct {
	polys []prepPoly
	slabs []int32
	edges []edge
}

// pendingPoly is a polygon measured by prepare, waiting to be placed.
type pendingPoly struct {
	p   orb.Polygon
	pp  prepPoly
	cnt []int32 // edges per slab: outer at 2k, holes at 2k+1
}

// addAll prepares every polygon of geomOf(0..n-1) (orb.Polygon or
// orb.MultiPolygon; other types, nil included, and empty or non-finite
// polygons are ignored, as the brute-force planar.PolygonContains would),
// owned by its index; skip(i) leaves geometry i out. It measures everything
// first, so that the flat arrays are allocated once at their exact size.
func (s *polySet) addAll(n int, geomOf func(i int) orb.Geometry, skip func(i int) bool) {
	var pend []pendingPoly
	nEdges, nSlabs := 0, 0
	add := func(p orb.Polygon, owner int32) {
		pp, cnt, ok := prepare(p, owner)
		if !ok {
			return
		}
		for _, c := range cnt {
			nEdges += int(c)
		}
		nSlabs += len(cnt) + 1
		pend = append(pend, pendingPoly{p, pp, cnt})
	}
	for i := range n {
		if skip != nil && skip(i) {
			continue
		}
		switch g := geomOf(i).(type) {
		case orb.Polygon:
			add(g, int32(i))
		case orb.MultiPolygon:
			for _, p := range g {
				add(p, int32(i))
			}
		}
	}
	s.polys = slices.Grow(s.polys, len(pend))
	s.slabs = slices.Grow(s.slabs, nSlabs)
	s.edges = slices.Grow(s.edges, nEdges)
	for i := range pend {
		s.place(&pend[i])
	}
}

// prepare computes a polygon's bounding box, slab layout and edges per
// slab; ok is false for an empty or non-finite polygon.
func prepare(p orb.Polygon, owner int32) (pp prepPoly, cnt []int32, ok bool) {
	if len(p) == 0 || len(p[0]) == 0 {
		return pp, nil, false
	}
	pp = prepPoly{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1), owner: owner}
	n := 0
	for _, r := range p {
		n += len(r)
		for _, v := range r {
			pp.minX = min(pp.minX, v[0])
			pp.minY = min(pp.minY, v[1])
			pp.maxX = max(pp.maxX, v[0])
			pp.maxY = max(pp.maxY, v[1])
		}
	}
	if !finite(pp.minX, pp.minY) || !finite(pp.maxX, pp.maxY) || pp.minX > pp.maxX || pp.minY > pp.maxY {
		return pp, nil, false // NaN or infinite coordinates: such a polygon contains nothing
	}
	// About two edges per slab: a point then tests the two or three
	// boundary crossings of its slab plus their neighbours.
	nslab := min(max(n/2, 1), 4096)
	h := pp.maxY - pp.minY
	if h > 0 {
		pp.slabScale = float64(nslab) / h
	} else {
		nslab = 1
	}
	pp.nslab = int32(nslab)
	cnt = make([]int32, 2*nslab)
	eachEdge(p, func(e edge, hole bool) {
		k0, k1 := pp.slabRange(min(e.ay, e.by), max(e.ay, e.by))
		for k := k0; k <= k1; k++ {
			if hole {
				cnt[2*k+1]++
			} else {
				cnt[2*k]++
			}
		}
	})
	return pp, cnt, true
}

// place appends a prepared polygon's slab table and edges.
func (s *polySet) place(q *pendingPoly) {
	pp, cnt := q.pp, q.cnt
	nslab := int(pp.nslab)
	pp.so = int32(len(s.slabs))
	base := int32(len(s.edges))
	fill := make([]int32, 2*nslab)
	off := base
	for k := 0; k < nslab; k++ {
		s.slabs = append(s.slabs, off)
		fill[2*k] = off
		off += cnt[2*k]
		s.slabs = append(s.slabs, off)
		fill[2*k+1] = off
		off += cnt[2*k+1]
	}
	s.slabs = append(s.slabs, off)
	s.edges = slices.Grow(s.edges, int(off-base))[:off]
	eachEdge(q.p, func(e edge, hole bool) {
		k0, k1 := pp.slabRange(min(e.ay, e.by), max(e.ay, e.by))
		for k := k0; k <= k1; k++ {
			i := 2 * k
			if hole {
				i++
			}
			s.edges[fill[i]] = e
			fill[i]++
		}
	})
	s.polys = append(s.polys, pp)
}

// eachEdge calls fn for every segment of every ring of p, closing rings that
// are not closed.
func eachEdge(p orb.Polygon, fn func(e edge, hole bool)) {
	for ri, r := range p {
		n := len(r)
		if n == 0 {
			continue
		}
		for i := range n {
			a := r[i]
			b := r[(i+1)%n]
			// Zero-length edges are kept: they never toggle the crossing
			// parity, and a polygon collapsed to one point still has that
			// point on its boundary (as orb/planar says).
			fn(edge{a[0], a[1], b[0], b[1]}, ri > 0)
		}
	}
}

// slabRange returns the slabs overlapped by [y0, y1], clamped to the polygon.
func (pp *prepPoly) slabRange(y0, y1 float64) (k0, k1 int) {
	return pp.slabOf(y0), pp.slabOf(y1)
}

func (pp *prepPoly) slabOf(y float64) int {
	k := int((y - pp.minY) * pp.slabScale)
	if k < 0 || y < pp.minY {
		return 0
	}
	if k >= int(pp.nslab) {
		return int(pp.nslab) - 1
	}
	return k
}

// contains reports whether polygon i contains (x, y) under the boundary rule
// above. The caller has checked the bounding box.
func (s *polySet) contains(i int, x, y float64) bool {
	pp := &s.polys[i]
	k := pp.slabOf(y)
	so := int(pp.so) + 2*k
	lo, mid, hi := s.slabs[so], s.slabs[so+1], s.slabs[so+2]
	in, on := crossings(s.edges[lo:mid], x, y)
	if on {
		return true // on the outer ring
	}
	hin, hon := crossings(s.edges[mid:hi], x, y)
	if hon {
		return false // on a hole's ring
	}
	return in != hin
}

// crossings counts the parity of the edges crossed by the ray from (x, y)
// towards +x (half-open in y, so a vertex is counted once), and reports
// whether (x, y) lies on one of the edges.
func crossings(es []edge, x, y float64) (odd, on bool) {
	for i := range es {
		e := &es[i]
		if (e.ay > y && e.by > y) || (e.ay < y && e.by < y) {
			continue
		}
		// y is within the edge's closed y-range.
		if e.ax < x && e.bx < x {
			// The edge is entirely left of the point: neither crossed by
			// the ray nor touching the point.
			continue
		}
		o := orient(e.ax, e.ay, e.bx, e.by, x, y)
		if o == 0 {
			if min(e.ax, e.bx) <= x && x <= max(e.ax, e.bx) {
				return odd, true
			}
			continue
		}
		if (e.ay > y) != (e.by > y) && (e.by > e.ay) == (o > 0) {
			odd = !odd
		}
	}
	return odd, false
}

// ccwErrBound is Shewchuk's error bound for the floating-point orient2d.
const ccwErrBound = (3 + 16*0x1p-53) * 0x1p-53

// orient returns the sign of the orientation of (a, b, c): +1 when c is left
// of the directed line a→b, -1 when right, 0 when the three are collinear.
// The sign is exact: a floating-point evaluation with an error bound decides
// almost every case and rational arithmetic decides the rest.
func orient(ax, ay, bx, by, cx, cy float64) int {
	l1, l2 := ax-cx, by-cy
	r1, r2 := ay-cy, bx-cx
	// A difference of two floats is zero only when they are equal, so a
	// zero factor makes its product exactly zero.
	lz, rz := l1 == 0 || l2 == 0, r1 == 0 || r2 == 0
	switch {
	case lz && rz:
		return 0
	case rz:
		return sign(l1) * sign(l2)
	case lz:
		return -sign(r1) * sign(r2)
	}
	detl, detr := l1*l2, r1*r2
	det := detl - detr
	bound := ccwErrBound * (math.Abs(detl) + math.Abs(detr))
	if det > bound {
		return 1
	}
	if -det > bound {
		return -1
	}
	return orientExact(ax, ay, bx, by, cx, cy)
}

func sign(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// orientExact evaluates the orientation determinant in rational arithmetic.
func orientExact(ax, ay, bx, by, cx, cy float64) int {
	r := func(v float64) *big.Rat { return new(big.Rat).SetFloat64(v) }
	l1 := new(big.Rat).Sub(r(ax), r(cx))
	l2 := new(big.Rat).Sub(r(by), r(cy))
	r1 := new(big.Rat).Sub(r(ay), r(cy))
	r2 := new(big.Rat).Sub(r(bx), r(cx))
	l1.Mul(l1, l2)
	r1.Mul(r1, r2)
	return l1.Cmp(r1)
}

// finite reports whether x and y are both finite numbers.
func finite(x, y float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0) && !math.IsNaN(y) && !math.IsInf(y, 0)
}
