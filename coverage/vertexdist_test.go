package coverage

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// TestVertexDistBruteForce checks the gridded search for the shortest
// distance between two zones' vertices against all pairs, on clustered
// and spread sets at Lambert-93 magnitudes, near, overlapping and far
// apart, with bounds above and below the answer.
func TestVertexDistBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	set := func(n int, x0, y0, w float64, clustered bool) *zoneVertices {
		zv := &zoneVertices{lo: [2]float64{math.Inf(1), math.Inf(1)}, hi: [2]float64{math.Inf(-1), math.Inf(-1)}}
		cx, cy := x0, y0
		for k := range n {
			if clustered && k%20 == 0 {
				cx, cy = x0+rng.Float64()*w, y0+rng.Float64()*w
			}
			x, y := x0+rng.Float64()*w, y0+rng.Float64()*w
			if clustered {
				x, y = cx+rng.NormFloat64()*w/50, cy+rng.NormFloat64()*w/50
			}
			p := [2]float32{float32(x), float32(y)}
			zv.pts = append(zv.pts, p)
			zv.lo = [2]float64{min(zv.lo[0], float64(p[0])), min(zv.lo[1], float64(p[1]))}
			zv.hi = [2]float64{max(zv.hi[0], float64(p[0])), max(zv.hi[1], float64(p[1]))}
		}
		zv.bucket()
		return zv
	}
	brute := func(a, b *zoneVertices, bound float64) float64 {
		best := bound * bound
		for _, p := range a.pts {
			for _, q := range b.pts {
				best = min(best, d2f(p, q))
			}
		}
		return math.Sqrt(best)
	}
	for trial := range 300 {
		clustered := trial%2 == 0
		n, m := 1+rng.IntN(400), 1+rng.IntN(400)
		w := 200 + rng.Float64()*3000
		a := set(n, 700000, 6600000, w, clustered)
		off := (rng.Float64()*2 - 0.5) * w // from overlapping to well apart
		b := set(m, 700000+off, 6600000+rng.Float64()*w, w, !clustered)
		for _, bound := range []float64{1e9, 50, 500} {
			want := brute(a, b, bound)
			if got := vertexDist(a, b, bound); math.Abs(got-want) > 1e-9 {
				t.Fatalf("trial %d (n %d m %d, bound %g): vertexDist %v, brute force %v", trial, n, m, bound, got, want)
			}
		}
	}
}

// TestFeedersBruteForce checks the feeder pass (candidate edges pruned by
// boxes and roots, then Prim from the network) against Prim on the
// complete graph of zones and the network with exact vertex distances.
func TestFeedersBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := range 40 {
		nz := 2 + rng.IntN(40)
		zs := make([]zoneVertices, nz)
		for z := range zs {
			zv := &zs[z]
			*zv = zoneVertices{rootM: math.Inf(1), lo: [2]float64{math.Inf(1), math.Inf(1)}, hi: [2]float64{math.Inf(-1), math.Inf(-1)}}
			if rng.IntN(8) == 0 {
				continue // a zone without vertices
			}
			cx, cy := 700000+rng.Float64()*20000, 6600000+rng.Float64()*20000
			w := 100 + rng.Float64()*2000
			for range 1 + rng.IntN(60) {
				p := [2]float32{float32(cx + rng.Float64()*w), float32(cy + rng.Float64()*w)}
				zv.pts = append(zv.pts, p)
				zv.lo = [2]float64{min(zv.lo[0], float64(p[0])), min(zv.lo[1], float64(p[1]))}
				zv.hi = [2]float64{max(zv.hi[0], float64(p[0])), max(zv.hi[1], float64(p[1]))}
			}
			zv.rootM = rng.Float64() * 8000
			if rng.IntN(6) == 0 {
				zv.rootM = 0 // inside the network
			}
			zv.bucket()
		}
		got := feedersOf(zs, 2)
		// Prim on the complete graph from the network.
		want := make([]float64, nz)
		done := make([]bool, nz)
		for z := range zs {
			want[z] = zs[z].rootM
			if len(zs[z].pts) == 0 {
				want[z], done[z] = 0, true
			}
		}
		for {
			k := -1
			for z := range zs {
				if !done[z] && (k < 0 || want[z] < want[k]) {
					k = z
				}
			}
			if k < 0 {
				break
			}
			done[k] = true
			for y := range zs {
				if !done[y] {
					want[y] = min(want[y], vertexDistBrute(&zs[k], &zs[y]))
				}
			}
		}
		sumGot, sumWant := 0.0, 0.0
		for z := range zs {
			sumGot += got[z]
			sumWant += want[z]
		}
		if math.Abs(sumGot-sumWant) > 1e-6*max(1, sumWant) {
			t.Fatalf("trial %d: feeders total %v, brute force %v\ngot  %v\nwant %v", trial, sumGot, sumWant, got, want)
		}
	}
}

func vertexDistBrute(a, b *zoneVertices) float64 {
	best := math.Inf(1)
	for _, p := range a.pts {
		for _, q := range b.pts {
			best = min(best, d2f(p, q))
		}
	}
	return math.Sqrt(best)
}

// TestLatticeInsideBruteForce checks the scanline lattice against a
// point-in-polygon test of every lattice point, on star-shaped polygons
// with holes and on multipolygons.
func TestLatticeInsideBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	star := func(cx, cy, r float64, n int) orb.Ring {
		ring := make(orb.Ring, 0, n+1)
		for k := range n {
			a := 2 * math.Pi * float64(k) / float64(n)
			rr := r * (0.5 + rng.Float64()*0.5)
			ring = append(ring, orb.Point{cx + rr*math.Cos(a), cy + rr*math.Sin(a)})
		}
		return append(ring, ring[0])
	}
	for trial := range 200 {
		cx, cy := 700000+rng.Float64()*1000, 6600000+rng.Float64()*1000
		poly := orb.Polygon{star(cx, cy, 1000, 5+rng.IntN(60))}
		if trial%3 == 0 { // a hole (reversed small star)
			hole := star(cx, cy, 150, 8)
			slices.Reverse(hole)
			poly = append(poly, hole)
		}
		var g orb.Geometry = poly
		if trial%4 == 0 {
			g = orb.MultiPolygon{poly, {star(cx+3000, cy, 500, 12)}}
		}
		b := g.Bound()
		step := 20 + rng.Float64()*100
		nx, ny := int(math.Ceil((b.Max[0]-b.Min[0])/step)), int(math.Ceil((b.Max[1]-b.Min[1])/step))
		var got, want []orb.Point
		latticeInside(g, b.Min, step, nx, ny, func(x, y float64) { got = append(got, orb.Point{x, y}) })
		for j := range ny {
			for i := range nx {
				p := orb.Point{b.Min[0] + (float64(i)+0.5)*step, b.Min[1] + (float64(j)+0.5)*step}
				if naiveContains(g, p) {
					want = append(want, p)
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: scanline %d points, point-in-polygon %d", trial, len(got), len(want))
		}
	}
}
