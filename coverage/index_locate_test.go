package coverage

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// TestMeasureLocated checks that MeasureLocated (zones located while
// measuring, one Hilbert sort) equals MeasureZoned with the zones of
// ZoneLocator.Locate, on locator points that differ from the measured
// ones (a shifted copy of the zones, as lon/lat differ from metres).
func TestMeasureLocated(t *testing.T) {
	seed := seedFor(t)
	for _, n := range []int{500, spatialOrderMin + 777} { // input order, Hilbert order
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, uint64(n)))
			in := randomInput(rng, true)
			pts, _ := probePoints(rng, in, n, true)
			for i, p := range pts {
				in.Premises = append(in.Premises, Premise{ID: fmt.Sprint(i), Pt: p, Units: 1})
			}
			// The locator's frame: everything moved by (+37, -11).
			move := func(p orb.Point) orb.Point { return orb.Point{p[0] + 37, p[1] - 11} }
			at := make([]orb.Point, n)
			for i, p := range pts {
				at[i] = move(p)
			}
			var geoms []orb.Geometry
			for _, g := range zoneGeoms(in.Zones) {
				geoms = append(geoms, moveGeom(g, move))
			}
			zl := NewZoneLocator(geoms)
			ix := NewIndex(in)
			for _, workers := range []int{1, 3} {
				want := ix.MeasureZoned(in.Premises, zl.Locate(at, workers), workers)
				got := ix.MeasureLocated(in.Premises, zl, at, workers)
				if !slices.Equal(got, want) {
					for i := range got {
						if got[i] != want[i] {
							t.Fatalf("seed %d workers %d: premise %d: MeasureLocated %+v, want %+v", seed, workers, i, got[i], want[i])
						}
					}
				}
			}
			plain := ix.Measure(in.Premises, 0)
			if got := ix.MeasureLocated(in.Premises, zl, at[:1], 0); !slices.Equal(got, plain) {
				t.Fatalf("seed %d: MeasureLocated with a short at slice should be Measure", seed)
			}
			if got := ix.MeasureLocated(in.Premises, nil, at, 0); !slices.Equal(got, plain) {
				t.Fatalf("seed %d: MeasureLocated without a locator should be Measure", seed)
			}
		})
	}
}

func moveGeom(g orb.Geometry, move func(orb.Point) orb.Point) orb.Geometry {
	ring := func(r orb.Ring) orb.Ring {
		out := make(orb.Ring, len(r))
		for i, p := range r {
			out[i] = move(p)
		}
		return out
	}
	poly := func(p orb.Polygon) orb.Polygon {
		out := make(orb.Polygon, len(p))
		for i, r := range p {
			out[i] = ring(r)
		}
		return out
	}
	switch g := g.(type) {
	case orb.Polygon:
		return poly(g)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = poly(p)
		}
		return out
	}
	return g
}

// TestSpatialOrderParallelIsSerial checks that the parallel counting sort
// gives the serial order (stable within a cell), points and gathered
// points included.
func TestSpatialOrderParallelIsSerial(t *testing.T) {
	seed := seedFor(t)
	rng := rand.New(rand.NewPCG(seed, 7))
	n := 5<<16 + 123
	pts := make([]orb.Point, n)
	for i := range pts {
		// Clustered, with duplicates, so that cells hold many points.
		pts[i] = orb.Point{float64(rng.IntN(3000)) + rng.Float64()*float64(i%3), float64(rng.IntN(2000))}
	}
	ptOf := func(i int) orb.Point { return pts[i] }
	alsoOf := func(i int) orb.Point { return orb.Point{float64(i), -pts[i][1]} }
	order := func(procs int) ([]int32, []orb.Point, []orb.Point) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		return spatialOrderWith(n, ptOf, alsoOf)
	}
	perm1, pts1, also1 := order(1)
	for _, procs := range []int{2, 3, 5} {
		perm, p, also := order(procs)
		if !slices.Equal(perm, perm1) || !slices.Equal(p, pts1) || !slices.Equal(also, also1) {
			t.Fatalf("seed %d: GOMAXPROCS %d: order differs from the serial one", seed, procs)
		}
	}
	for k, i := range perm1 {
		if pts1[k] != pts[i] || also1[k] != alsoOf(int(i)) {
			t.Fatalf("seed %d: position %d: points not gathered in order", seed, k)
		}
	}
}
