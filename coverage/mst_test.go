package coverage

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// naiveMST is Prim's algorithm on the complete graph: the exact Euclidean
// minimum spanning tree length, O(n²).
func naiveMST(pts []orb.Point) float64 {
	var b mstBuf
	if len(pts) < 2 {
		return 0
	}
	return b.prim(pts)
}

func TestMSTSmall(t *testing.T) {
	tests := []struct {
		name string
		pts  []orb.Point
		want float64
	}{
		{"empty", nil, 0},
		{"one", []orb.Point{{5, 5}}, 0},
		{"two", []orb.Point{{0, 0}, {3, 4}}, 5},
		// a line: 0-10-30-60, the tree is the line itself
		{"line", []orb.Point{{30, 0}, {0, 0}, {60, 0}, {10, 0}}, 60},
		// unit square corners: three sides
		{"square", []orb.Point{{0, 0}, {100, 0}, {100, 100}, {0, 100}}, 300},
		// duplicates cost nothing
		{"duplicates", []orb.Point{{1, 1}, {1, 1}, {1, 1}, {4, 5}}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b mstBuf
			got := b.build(tc.pts)
			if math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("length %v, want %v", got, tc.want)
			}
			if len(tc.pts) >= 2 && len(b.Edges) != len(tc.pts)-1 {
				t.Errorf("%d edges for %d points", len(b.Edges), len(tc.pts))
			}
		})
	}
}

// TestMSTGridVsExact compares the grid k-NN tree with the exact tree on
// uniform and clustered points. The grid tree must span every point and be
// within 3 % of the exact length (measured: ≤0.1 % on uniform points, ≤2 % on clustered ones).
func TestMSTGridVsExact(t *testing.T) {
	const seed = 20261130
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for _, n := range []int{200, 1000, 3000} {
		for _, shape := range []string{"uniform", "clustered", "far-clusters", "duplicates"} {
			pts := make([]orb.Point, n)
			for i := range pts {
				switch shape {
				case "uniform":
					pts[i] = orb.Point{rng.Float64() * 5000, rng.Float64() * 5000}
				case "clustered":
					c := float64(rng.IntN(5)) * 1000
					pts[i] = orb.Point{c + rng.NormFloat64()*100, c/2 + rng.NormFloat64()*100}
					if rng.Float64() < 0.1 {
						pts[i] = orb.Point{rng.Float64() * 5000, rng.Float64() * 5000}
					}
				case "far-clusters":
					c := float64(rng.IntN(40))
					pts[i] = orb.Point{c*3000 + rng.NormFloat64()*20, math.Mod(c*7919, 11)*3000 + rng.NormFloat64()*20}
				case "duplicates":
					// flats of a building and addresses on a 10 m lattice:
					// many points at the same place and at equal distances
					pts[i] = orb.Point{float64(rng.IntN(12)) * 10, float64(rng.IntN(9)) * 10}
				}
			}
			var b mstBuf
			got := b.grid(pts)
			want := naiveMST(pts)
			if len(b.Edges) != n-1 {
				t.Fatalf("n=%d %s: %d edges", n, shape, len(b.Edges))
			}
			// The edges must connect everything.
			b.uf = growI(b.uf, n)
			for i := range n {
				b.uf[i] = int32(i)
			}
			sum := 0.0
			for _, e := range b.Edges {
				if !b.union(e.A, e.B) {
					t.Fatalf("n=%d %s: cycle", n, shape)
				}
				sum += e.LenM
			}
			if math.Abs(sum-got) > 1e-6*got {
				t.Errorf("n=%d %s: edges sum %v, returned %v", n, shape, sum, got)
			}
			if got < want-1e-6 || got > want*1.03 {
				t.Errorf("n=%d %s: grid %v, exact %v (%.3f%%)", n, shape, got, want, 100*(got/want-1))
			}
		}
	}
}

// TestMSTConstant checks zone_level.mst_constant: the tree of n uniform
// points on an area A is about c·√(n·A).
func TestMSTConstant(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const n = 20000
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{rng.Float64() * 1000, rng.Float64() * 1000}
	}
	var b mstBuf
	c := b.build(pts) / math.Sqrt(n*1000*1000)
	def := DefaultScenario().ZoneLevel.MSTConstant
	t.Logf("measured constant %.4f, default %.4f", c, def)
	if math.Abs(c-def) > 0.02 {
		t.Errorf("measured %.4f, default %.4f", c, def)
	}
}

func BenchmarkMST(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{100, 400, 1000, 10000, 100000} {
		pts := make([]orb.Point, n)
		for i := range pts {
			pts[i] = orb.Point{rng.NormFloat64() * 1000, rng.NormFloat64() * 1000}
		}
		b.Run("n="+itoa(n), func(b *testing.B) {
			var m mstBuf
			b.ReportAllocs()
			for b.Loop() {
				m.build(pts)
			}
		})
		if n <= 10000 {
			b.Run("Naive/n="+itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					naiveMST(pts)
				}
			})
		}
	}
}
