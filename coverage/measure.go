package coverage

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// PremiseMeasure is what one premise can get from the existing network.
// measures[i] belongs to premises[i].
type PremiseMeasure struct {
	Zone       int32   // index into Input.Zones; -1 when the premise is in no zone
	FibreDistM float64 // metres to the nearest active fibre node or line; 0 when Passed; +Inf without network
	NodeDistM  float64 // metres to the nearest active fibre node only; +Inf without nodes
	FibreNode  int32   // index of the nearest active node; -1 without nodes
	Passed     bool    // inside an active served area
	// ViaServed is true when the nearest network is the edge of an active
	// served area (its optical node serves the area: within reach).
	ViaServed bool
	APs       int32 // operational access points whose RangeM reaches the premise (inclusive)
	// NearestAP is the nearest of those access points (index into
	// Input.APs; ties go to the lowest index); Measure sets it to -1 when
	// APs is 0. Its distance is the distM APsInRange reports for it.
	NearestAP int32
}

// ZoneOf returns the index of the zone containing p, or -1.
//
// Boundary rule: a point on the outer ring of a zone's polygon is in that
// zone, a point on the ring of a hole is not; a point on a boundary shared by
// two zones goes to the lower index (and, generally, a point in several
// overlapping zones goes to the lowest). The test is exact: it does not
// depend on floating-point rounding.
func (ix *Index) ZoneOf(p orb.Point) int32 {
	return ix.zoneOf(p[0], p[1])
}

// NearestNode returns the nearest active fibre node and its distance in
// metres, or -1 and +Inf when there is none. Of several nodes at the same
// distance, the one with the lowest index wins.
func (ix *Index) NearestNode(p orb.Point) (node int32, distM float64) {
	node, d2 := ix.nodes.nearest(p[0], p[1])
	return node, math.Sqrt(d2)
}

// FibreDist returns the distance in metres from p to the nearest active fibre
// node or line, and whether p is inside an active served area (distance 0).
// It is +Inf without any active node or line.
func (ix *Index) FibreDist(p orb.Point) (distM float64, passed bool) {
	if ix.inServed(p[0], p[1]) {
		return 0, true
	}
	_, d2 := ix.nodes.nearest(p[0], p[1])
	d := ix.lines.dist(p[0], p[1], math.Sqrt(d2))
	return ix.edges.dist(p[0], p[1], d), false
}

// ServedDist returns the distance in metres from p to the nearest edge of
// an active served area (0 inside one), +Inf without served areas.
func (ix *Index) ServedDist(p orb.Point) float64 {
	if ix.inServed(p[0], p[1]) {
		return 0
	}
	return ix.edges.dist(p[0], p[1], math.Inf(1))
}

// inServed reports whether (x, y) is inside an active served area (the
// boundary rule of ZoneOf applies).
func (ix *Index) inServed(x, y float64) bool {
	if len(ix.served.polys) == 0 {
		return false
	}
	in := false
	ix.servedRT.Search([2]float64{x, y}, [2]float64{x, y}, func(_, _ [2]float64, pi int32) bool {
		in = ix.served.contains(int(pi), x, y)
		return !in
	})
	return in
}

// dist returns min(bestM, distance from (x, y) to the nearest segment of s).
func (s *segSet) dist(x, y, bestM float64) float64 {
	if len(s.segs) == 0 {
		return bestM
	}
	best2 := bestM * bestM
	visit := func(si int32) {
		if d := segDist2(&s.segs[si], x, y); d < best2 {
			best2 = d
		}
	}
	if !math.IsInf(bestM, 1) {
		// Only segments whose box is within bestM can be nearer; widen a
		// hair against rounding.
		r := bestM*(1+1e-12) + 1e-9
		s.rt.Search([2]float64{x - r, y - r}, [2]float64{x + r, y + r}, func(_, _ [2]float64, si int32) bool {
			visit(si)
			return true
		})
		return math.Sqrt(best2)
	}
	// No node: walk the segments by increasing box distance.
	s.rt.Nearby(rtree.BoxDist[float64, int32]([2]float64{x, y}, [2]float64{x, y}, nil),
		func(_, _ [2]float64, si int32, boxD2 float64) bool {
			if boxD2 > best2 {
				return false
			}
			visit(si)
			return true
		})
	return math.Sqrt(best2)
}

// segDist2 is the squared distance from (x, y) to segment e, computed as
// orb/planar does so that results match it bit for bit.
func segDist2(e *edge, px, py float64) float64 {
	x, y := e.ax, e.ay
	dx, dy := e.bx-x, e.by-y
	if dx != 0 || dy != 0 {
		t := ((px-x)*dx + (py-y)*dy) / (dx*dx + dy*dy)
		if t > 1 {
			x, y = e.bx, e.by
		} else if t > 0 {
			x += dx * t
			y += dy * t
		}
	}
	dx, dy = px-x, py-y
	return dx*dx + dy*dy
}

// APsInRange calls fn for every operational access point whose range reaches
// p (distance <= RangeM), in no particular order, until fn returns false.
func (ix *Index) APsInRange(p orb.Point, fn func(ap int32, distM float64) bool) {
	x, y := p[0], p[1]
	g := &ix.apGrid
	c := g.cellOf(x, y)
	if c < 0 {
		return
	}
	for i := g.off[c]; i < g.off[c+1]; i++ {
		a := &g.discs[i]
		dx, dy := x-a.x, y-a.y
		if d := math.Sqrt(dx*dx + dy*dy); d <= a.r {
			if !fn(a.id, d) {
				return
			}
		}
	}
}

// countAPs returns the number of operational access points reaching (x, y)
// and the nearest of them (ties: lowest index), -1 without any.
func (ix *Index) countAPs(x, y float64) (n, nearest int32) {
	g := &ix.apGrid
	nearest = -1
	c := g.cellOf(x, y)
	if c < 0 {
		return 0, -1
	}
	best := math.Inf(1)
	for _, a := range g.discs[g.off[c]:g.off[c+1]] {
		dx, dy := x-a.x, y-a.y
		if d := math.Sqrt(dx*dx + dy*dy); d <= a.r {
			n++
			if d < best || (d == best && a.id < nearest) {
				best, nearest = d, a.id
			}
		}
	}
	return n, nearest
}

// measureOne fills m for the premise at (x, y).
func (ix *Index) measureOne(x, y float64, m *PremiseMeasure) {
	m.Zone = ix.zoneOf(x, y)
	ix.measureNetwork(x, y, m)
}

// measureNetwork fills everything of m but Zone.
func (ix *Index) measureNetwork(x, y float64, m *PremiseMeasure) {
	node, d2 := ix.nodes.nearest(x, y)
	m.FibreNode, m.NodeDistM = node, math.Sqrt(d2)
	if ix.inServed(x, y) {
		m.FibreDistM, m.Passed, m.ViaServed = 0, true, false
	} else {
		d := ix.lines.dist(x, y, m.NodeDistM)
		e := ix.edges.dist(x, y, d)
		m.FibreDistM, m.Passed, m.ViaServed = e, false, e < d
	}
	m.APs, m.NearestAP = ix.countAPs(x, y)
}

// measureBuffered selects the buffered write-back (a variable so that
// benchmarks can compare).
var measureBuffered = true

// measureChunk is the number of premises a worker claims at a time.
const measureChunk = 2048

// spatialOrderMin is the number of premises from which Measure visits them
// in Hilbert order (below it the sort costs more than it saves).
var spatialOrderMin = 1 << 15 // a variable so that benchmarks can compare orders

// Measure measures every premise; the result is aligned with premises.
// workers <= 0 means one per CPU (GOMAXPROCS). The work is split into chunks
// claimed through an atomic counter, without locks; each premise's measure
// is written once, by one worker, so the result does not depend on workers.
// Large inputs are visited in Hilbert order for cache locality.
func (ix *Index) Measure(premises []Premise, workers int) []PremiseMeasure {
	return ix.measure(premises, nil, workers)
}

// MeasureZoned is Measure with each premise's zone given: zones[i] (an
// index into Input.Zones, or -1) is premises[i]'s, for instance located on
// the input's lon/lat by a ZoneLocator as the peer benchmarks do. zones must
// have len(premises) elements; otherwise Measure's own zones are used.
func (ix *Index) MeasureZoned(premises []Premise, zones []int32, workers int) []PremiseMeasure {
	if len(zones) != len(premises) {
		zones = nil
	}
	return ix.measure(premises, zones, workers)
}

// MeasureLocated is MeasureZoned(premises, zl.Locate(at, workers), workers)
// in one pass: premise i's zone is zl's zone of at[i] (for instance its
// coordinates as read, lon/lat, with zl built on the zones' lon/lat
// geometry), located while the premise is measured, so the premises are
// sorted into Hilbert order once instead of twice. at must have
// len(premises) elements and zl must not be nil; otherwise it is Measure.
func (ix *Index) MeasureLocated(premises []Premise, zl *ZoneLocator, at []orb.Point, workers int) []PremiseMeasure {
	if zl == nil || len(at) != len(premises) {
		return ix.measure(premises, nil, workers)
	}
	return ix.measureWith(premises, nil, zl, at, workers)
}

func (ix *Index) measure(premises []Premise, zones []int32, workers int) []PremiseMeasure {
	return ix.measureWith(premises, zones, nil, nil, workers)
}

// measureWith measures premises; each premise's zone is zones[i] when
// zones is given, zl's zone of at[i] when zl is, the Index's otherwise.
func (ix *Index) measureWith(premises []Premise, zones []int32, zl *ZoneLocator, at []orb.Point, workers int) []PremiseMeasure {
	n := len(premises)
	out := make([]PremiseMeasure, n)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var order []int32
	var pts, atSorted []orb.Point
	if n >= spatialOrderMin {
		if zl != nil {
			order, pts, atSorted = spatialOrderWith(n, func(i int) orb.Point { return premises[i].Pt },
				func(i int) orb.Point { return at[i] })
		} else {
			order, pts = spatialOrder(premises)
		}
	}
	workers = min(workers, (n+measureChunk-1)/measureChunk)
	var next atomic.Int64
	work := func() {
		var buf []PremiseMeasure
		if order != nil && measureBuffered {
			buf = make([]PremiseMeasure, measureChunk)
		}
		for {
			start := int(next.Add(measureChunk)) - measureChunk
			if start >= n {
				return
			}
			end := min(start+measureChunk, n)
			if order != nil && buf != nil {
				// Measure into a small sequential buffer, then scatter it
				// in a tight loop whose stores can all be in flight.
				b := buf[:end-start]
				for k := range b {
					p := pts[start+k]
					if zl != nil {
						q := atSorted[start+k]
						b[k].Zone = zl.zoneOf(q[0], q[1])
						ix.measureNetwork(p[0], p[1], &b[k])
					} else if zones != nil {
						b[k].Zone = zones[order[start+k]]
						ix.measureNetwork(p[0], p[1], &b[k])
					} else {
						ix.measureOne(p[0], p[1], &b[k])
					}
				}
				for k, i := range order[start:end] {
					out[i] = b[k]
				}
			} else if order != nil {
				for k := start; k < end; k++ {
					p := pts[k]
					ix.measureOne(p[0], p[1], &out[order[k]])
					if zl != nil {
						q := atSorted[k]
						out[order[k]].Zone = zl.zoneOf(q[0], q[1])
					} else if zones != nil {
						out[order[k]].Zone = zones[order[k]]
					}
				}
			} else {
				for i := start; i < end; i++ {
					p := premises[i].Pt
					if zl != nil {
						q := at[i]
						out[i].Zone = zl.zoneOf(q[0], q[1])
						ix.measureNetwork(p[0], p[1], &out[i])
					} else if zones != nil {
						out[i].Zone = zones[i]
						ix.measureNetwork(p[0], p[1], &out[i])
					} else {
						ix.measureOne(p[0], p[1], &out[i])
					}
				}
			}
		}
	}
	if workers <= 1 {
		work()
		return out
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(work)
	}
	wg.Wait()
	return out
}
