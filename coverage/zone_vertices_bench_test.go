package coverage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// zigzagLattice returns n×n square zones of side cell tiling the plane
// exactly, each shared edge carrying k wavy vertices (the same ones in both
// neighbours), so every polygon has 4(k+1) vertices.
func zigzagLattice(n, k int, cell float64) []orb.Geometry {
	edge := func(a, b orb.Point) []orb.Point { // interior vertices from a to b
		L := math.Hypot(b[0]-a[0], b[1]-a[1])
		nx, ny := -(b[1]-a[1])/L, (b[0]-a[0])/L
		ps := make([]orb.Point, k)
		for m := range k {
			t := float64(m+1) / float64(k+1)
			off := 0.05 * L * math.Sin(2*math.Pi*3*t)
			ps[m] = orb.Point{a[0] + t*(b[0]-a[0]) + off*nx, a[1] + t*(b[1]-a[1]) + off*ny}
		}
		return ps
	}
	at := func(i, j int) orb.Point { return orb.Point{float64(i) * cell, float64(j) * cell} }
	// horizontal edges h[i][j]: at(i,j) -> at(i+1,j); vertical v[i][j]: at(i,j) -> at(i,j+1)
	h := make([][][]orb.Point, n)
	v := make([][][]orb.Point, n+1)
	for i := range n + 1 {
		if i < n {
			h[i] = make([][]orb.Point, n+1)
		}
		v[i] = make([][]orb.Point, n)
		for j := range n + 1 {
			if i < n {
				h[i][j] = edge(at(i, j), at(i+1, j))
			}
			if j < n {
				v[i][j] = edge(at(i, j), at(i, j+1))
			}
		}
	}
	rev := func(ps []orb.Point) []orb.Point { r := slices.Clone(ps); slices.Reverse(r); return r }
	var zones []orb.Geometry
	for j := range n {
		for i := range n {
			r := orb.Ring{at(i, j)}
			r = append(r, h[i][j]...)
			r = append(r, at(i+1, j))
			r = append(r, v[i+1][j]...)
			r = append(r, at(i+1, j+1))
			r = append(r, rev(h[i][j+1])...)
			r = append(r, at(i, j+1))
			r = append(r, rev(v[i][j])...)
			r = append(r, at(i, j))
			zones = append(zones, orb.Polygon{r})
		}
	}
	return zones
}

// BenchmarkZoneOfVertices shows the cost of a point-in-zone lookup as the
// zones' vertex count grows (400 zones, 16 to 16,388 vertices each), points
// in random order: the candidate grid and the edge slabs keep it about
// constant, where testing a candidate polygon's whole ring (RingScan) grows
// linearly.
func BenchmarkZoneOfVertices(b *testing.B) {
	const n, cell = 20, 2500.0
	rng := rand.New(rand.NewPCG(3, 3))
	pts := make([]orb.Point, 1<<16)
	for i := range pts {
		pts[i] = orb.Point{rng.Float64() * n * cell, rng.Float64() * n * cell}
	}
	for _, k := range []int{3, 15, 63, 255, 1023, 4096} {
		geoms := zigzagLattice(n, k, cell)
		zl := NewZoneLocator(geoms)
		verts := 4 * (k + 1)
		b.Run(fmt.Sprintf("vertices=%d", verts), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				zl.ZoneOf(pts[i&(len(pts)-1)])
				i++
			}
		})
		if verts <= 4096 {
			b.Run(fmt.Sprintf("RingScan/vertices=%d", verts), func(b *testing.B) {
				i := 0
				for b.Loop() {
					p := pts[i&(len(pts)-1)]
					zl.rt.Search([2]float64{p[0], p[1]}, [2]float64{p[0], p[1]}, func(_, _ [2]float64, pi int32) bool {
						return !ringContains(geoms[pi].(orb.Polygon)[0], p)
					})
					i++
				}
			})
		}
	}
}

// ringContains is the plain crossing-number test over every edge of r.
func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, c := r[i], r[j]
		if (a[1] > p[1]) != (c[1] > p[1]) && p[0] < (c[0]-a[0])*(p[1]-a[1])/(c[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// TestZigzagLatticeTiles checks the benchmark's zones: no point is in two
// of them, and the locator agrees with the plain ring test (points near the
// wavy outer boundary may be in none: -1).
func TestZigzagLatticeTiles(t *testing.T) {
	geoms := zigzagLattice(4, 31, 100)
	zl := NewZoneLocator(geoms)
	rng := rand.New(rand.NewPCG(5, 5))
	for range 2000 {
		p := orb.Point{rng.Float64() * 400, rng.Float64() * 400}
		var in []int
		for z, g := range geoms {
			if ringContains(g.(orb.Polygon)[0], p) {
				in = append(in, z)
			}
		}
		if len(in) > 1 {
			t.Fatalf("%v is in zones %v, want at most one", p, in)
		}
		want := int32(-1)
		if len(in) == 1 {
			want = int32(in[0])
		}
		if got := zl.ZoneOf(p); got != want {
			t.Fatalf("ZoneOf(%v) = %d, want %d", p, got, want)
		}
	}
}
