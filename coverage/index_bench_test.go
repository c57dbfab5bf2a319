package coverage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// benchInput builds a workload shaped like the peers' (see docs/performance.md):
// premises/100 zones on a wiggly 2.5 km lattice, 85 % of the premises in
// villages, premises/100 fibre nodes near premises, premises/50 access points
// with ranges of 100–3000 m. The premises are in random order, as in the
// peers' files.
func benchInput(premises int) *Input {
	benchInputsMu.Lock()
	defer benchInputsMu.Unlock()
	if in, ok := benchInputs[premises]; ok {
		return in
	}
	in := makeBenchInput(premises)
	benchInputs[premises] = in
	return in
}

// benchInputs caches benchInput's inputs across benchmarks (they are only
// read).
var (
	benchInputsMu sync.Mutex
	benchInputs   = map[int]*Input{}
)

func makeBenchInput(premises int) *Input {
	rng := rand.New(rand.NewPCG(20240601, uint64(premises)))
	zones := max(premises/100, 4)
	nx := max(int(math.Sqrt(float64(zones)*2)), 2)
	ny := max(zones/nx, 2)
	const cell = 2500.0
	in := &Input{Zones: lattice(rng, nx, ny, cell, false)}
	W, H := float64(nx)*cell, float64(ny)*cell
	uniform := func() orb.Point { return orb.Point{rng.Float64() * W, rng.Float64() * H} }
	type village struct {
		c   orb.Point
		sig float64
	}
	vs := make([]village, 3*nx*ny)
	for i := range vs {
		vs[i] = village{uniform(), 100 * math.Sqrt(math.Min(math.Pow(1-rng.Float64(), -1/1.2), 200))}
	}
	in.Premises = make([]Premise, premises)
	for i := range in.Premises {
		p := uniform()
		if rng.Float64() < 0.85 {
			v := vs[rng.IntN(len(vs))]
			p = orb.Point{v.c[0] + rng.NormFloat64()*v.sig, v.c[1] + rng.NormFloat64()*v.sig}
		}
		in.Premises[i] = Premise{ID: fmt.Sprint(i + 1), Pt: p, Units: 1}
	}
	near := func(sig float64) orb.Point {
		p := in.Premises[rng.IntN(premises)].Pt
		return orb.Point{p[0] + rng.NormFloat64()*sig, p[1] + rng.NormFloat64()*sig}
	}
	for i := range max(premises/100, 10) {
		p := uniform()
		if rng.Float64() < 0.75 {
			p = near(150)
		}
		in.Nodes = append(in.Nodes, FibreNode{ID: fmt.Sprint(i + 1), Pt: p, Active: true})
	}
	for i := range max(premises/50, 10) {
		p := uniform()
		if rng.Float64() < 0.6 {
			p = near(300)
		}
		r := 100 + rng.Float64()*400
		if rng.Float64() < 0.25 {
			r = 500 + rng.Float64()*2500
		}
		in.APs = append(in.APs, AccessPoint{ID: fmt.Sprint(i + 1), Pt: p, RangeM: r, Operational: true})
	}
	return in
}

var benchSizes = []int{10_000, 100_000, 1_000_000}

func BenchmarkNewIndex(b *testing.B) {
	for _, n := range benchSizes {
		in := benchInput(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				NewIndex(in)
			}
		})
	}
}

// benchPoints cycles through the premises of in.
func benchPoints(in *Input) []orb.Point {
	pts := make([]orb.Point, len(in.Premises))
	for i, p := range in.Premises {
		pts[i] = p.Pt
	}
	return pts
}

func BenchmarkZoneOf(b *testing.B) {
	for _, n := range benchSizes {
		in := benchInput(n)
		ix := NewIndex(in)
		pts := benchPoints(in)
		b.Run(fmt.Sprintf("zones=%d", len(in.Zones)), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ix.ZoneOf(pts[i%len(pts)])
				i++
			}
		})
		// The same query through the R-tree alone (no candidate grid).
		b.Run(fmt.Sprintf("RTree/zones=%d", len(in.Zones)), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := pts[i%len(pts)]
				zoneOfRTree(ix, p[0], p[1])
				i++
			}
		})
		if len(in.Zones) <= 1000 {
			b.Run(fmt.Sprintf("Naive/zones=%d", len(in.Zones)), func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					naiveZoneOf(in, pts[i%len(pts)])
					i++
				}
			})
		}
	}
}

// zoneOfRTree is ZoneOf with the R-tree as the candidate filter.
func zoneOfRTree(ix *Index, x, y float64) int32 {
	best := int32(-1)
	ix.zl.rt.Search([2]float64{x, y}, [2]float64{x, y}, func(_, _ [2]float64, pi int32) bool {
		pp := &ix.zl.polys.polys[pi]
		if (best < 0 || pp.owner < best) && ix.zl.polys.contains(int(pi), x, y) {
			best = pp.owner
		}
		return true
	})
	return best
}

func BenchmarkNearestNode(b *testing.B) {
	for _, n := range benchSizes {
		in := benchInput(n)
		ix := NewIndex(in)
		pts := benchPoints(in)
		b.Run(fmt.Sprintf("nodes=%d", len(in.Nodes)), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ix.NearestNode(pts[i%len(pts)])
				i++
			}
		})
		// The same query with the R-tree's Nearby (a priority queue).
		var rt rtree.RTreeG[int32]
		for i, nd := range in.Nodes {
			rt.Insert(nd.Pt, nd.Pt, int32(i))
		}
		b.Run(fmt.Sprintf("RTreeNearby/nodes=%d", len(in.Nodes)), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := pts[i%len(pts)]
				rt.Nearby(rtree.BoxDist[float64, int32](p, p, nil), func(_, _ [2]float64, _ int32, _ float64) bool { return false })
				i++
			}
		})
		if len(in.Nodes) <= 1000 {
			b.Run(fmt.Sprintf("Naive/nodes=%d", len(in.Nodes)), func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					naiveNearestNode(in, pts[i%len(pts)])
					i++
				}
			})
		}
	}
}

func BenchmarkAPsInRange(b *testing.B) {
	for _, n := range benchSizes {
		in := benchInput(n)
		ix := NewIndex(in)
		pts := benchPoints(in)
		b.Run(fmt.Sprintf("aps=%d", len(in.APs)), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ix.countAPs(pts[i%len(pts)][0], pts[i%len(pts)][1])
				i++
			}
		})
		if len(in.APs) <= 2000 {
			b.Run(fmt.Sprintf("Naive/aps=%d", len(in.APs)), func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					naiveAPsInRange(in, pts[i%len(pts)], func(int32, float64) bool { return true })
					i++
				}
			})
		}
	}
}

// BenchmarkMeasure reports ns per premise (ns/op is per call of Measure over
// all n premises).
func BenchmarkMeasure(b *testing.B) {
	for _, n := range benchSizes {
		in := benchInput(n)
		ix := NewIndex(in)
		for _, w := range []int{1, 0} {
			b.Run(fmt.Sprintf("n=%d/workers=%d", n, w), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ix.Measure(in.Premises, w)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/premise")
			})
		}
		if n <= 10_000 {
			b.Run(fmt.Sprintf("Naive/n=%d", n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					naiveMeasure(in, in.Premises)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/premise")
			})
		}
	}
}

// BenchmarkMeasureOrder compares visiting the premises in Hilbert order
// (the default from spatialOrderMin premises) with visiting them in input
// order, and the buffered write-back of results with direct scattered
// writes, one worker.
func BenchmarkMeasureOrder(b *testing.B) {
	for _, n := range benchSizes[1:] {
		in := benchInput(n)
		ix := NewIndex(in)
		for _, tc := range []struct {
			name     string
			min      int
			buffered bool
		}{{"hilbert", spatialOrderMin, true}, {"hilbert-direct-writes", spatialOrderMin, false}, {"input", math.MaxInt, true}} {
			b.Run(fmt.Sprintf("%s/n=%d", tc.name, n), func(b *testing.B) {
				old, oldBuf := spatialOrderMin, measureBuffered
				spatialOrderMin, measureBuffered = tc.min, tc.buffered
				defer func() { spatialOrderMin, measureBuffered = old, oldBuf }()
				b.ReportAllocs()
				for b.Loop() {
					ix.Measure(in.Premises, 1)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/premise")
			})
		}
	}
}

// BenchmarkNearestNodeCellSize sweeps the nearest-node grid's resolution
// (mean nodes per cell), premises in Hilbert order as Measure visits them.
func BenchmarkNearestNodeCellSize(b *testing.B) {
	in := benchInput(1_000_000)
	_, pts := spatialOrder(in.Premises)
	defer func(old float64) { nodesPerCell = old }(nodesPerCell)
	for _, pc := range []float64{0.5, 1, 2, 4, 8} {
		nodesPerCell = pc
		ix := NewIndex(in)
		b.Run(fmt.Sprintf("perCell=%v/nodes=%d", pc, len(in.Nodes)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range pts {
					ix.nodes.nearest(p[0], p[1])
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(pts)), "ns/query")
		})
	}
}
