package geodata

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// rect is an axis-aligned rectangle ring (counter-clockwise), with extra
// vertices along its edges when split > 1.
func rect(x0, y0, x1, y1 float64, split int) orb.Ring {
	var r orb.Ring
	corners := []orb.Point{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	for i := 0; i < 4; i++ {
		a, b := corners[i], corners[i+1]
		for k := 0; k < max(split, 1); k++ {
			t := float64(k) / float64(max(split, 1))
			r = append(r, orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
		}
	}
	return append(r, r[0])
}

func degM2(w, h, lat float64) float64 {
	const mPerDeg = math.Pi / 180 * 6371008.8
	return w * h * mPerDeg * mPerDeg * math.Cos(lat*math.Pi/180)
}

func TestOverlapArea(t *testing.T) {
	sqA := orb.Polygon{rect(2, 45, 2.01, 45.01, 1)}
	tests := []struct {
		name string
		a, b orb.Geometry
		want float64 // m², 0 for none
	}{
		{"shared edge", sqA, orb.Polygon{rect(2.01, 45, 2.02, 45.01, 3)}, 0},
		{"shared edge, reversed ring", sqA, orb.Polygon{reverse(rect(2.01, 45, 2.02, 45.01, 1))}, 0},
		{"corner only", sqA, orb.Polygon{rect(2.01, 45.01, 2.02, 45.02, 1)}, 0},
		{"half overlap", sqA, orb.Polygon{rect(2.005, 45, 2.015, 45.01, 2)}, degM2(0.005, 0.01, 45.005)},
		{"identical", sqA, orb.Polygon{rect(2, 45, 2.01, 45.01, 1)}, degM2(0.01, 0.01, 45.005)},
		{"identical, reversed", sqA, orb.Polygon{reverse(rect(2, 45, 2.01, 45.01, 1))}, degM2(0.01, 0.01, 45.005)},
		{"contained", sqA, orb.Polygon{rect(2.002, 45.002, 2.004, 45.004, 1)}, degM2(0.002, 0.002, 45.003)},
		{"contained, touching the edge", sqA, orb.Polygon{rect(2, 45.002, 2.004, 45.004, 2)}, degM2(0.004, 0.002, 45.003)},
		{"in a hole", orb.Polygon{rect(2, 45, 2.01, 45.01, 1), reverse(rect(2.002, 45.002, 2.008, 45.008, 1))}, orb.Polygon{rect(2.003, 45.003, 2.004, 45.004, 1)}, 0},
		{"across a hole", orb.Polygon{rect(2, 45, 2.01, 45.01, 1), reverse(rect(2.002, 45.002, 2.008, 45.008, 1))}, orb.Polygon{rect(2.001, 45.004, 2.009, 45.005, 1)}, degM2(0.002, 0.001, 45.0045)},
		{"multipolygon", orb.MultiPolygon{{rect(3, 45, 3.01, 45.01, 1)}, sqA}, orb.Polygon{rect(2.005, 45.005, 2.02, 45.02, 1)}, degM2(0.005, 0.005, 45.0075)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := overlaps([]orb.Geometry{tt.a, tt.b}, DefaultMinOverlapM2, 1)
			switch {
			case tt.want == 0 && len(got) != 0:
				t.Errorf("overlap %+v, want none", got)
			case tt.want > 0 && (len(got) != 1 || math.Abs(got[0].areaM2-tt.want) > 1e-6*tt.want):
				t.Errorf("overlap %+v, want %.3f m²", got, tt.want)
			}
		})
	}
}

func reverse(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

// TestOverlapsRandomRects checks the boundary integral against the exact
// area of random axis-aligned rectangles, some with extra vertices on
// their edges, on a grid so that many share edges or corners exactly.
func TestOverlapsRandomRects(t *testing.T) {
	for seed := range uint64(30) {
		overlapsRandomRects(t, seed)
	}
}

func overlapsRandomRects(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 2))
	const n = 60
	geoms := make([]orb.Geometry, n)
	boxes := make([][4]float64, n)
	for i := range geoms {
		x0 := 2 + float64(rng.IntN(20))*0.001
		y0 := 45 + float64(rng.IntN(20))*0.001
		x1 := x0 + float64(1+rng.IntN(6))*0.001
		y1 := y0 + float64(1+rng.IntN(6))*0.001
		r := rect(x0, y0, x1, y1, 1+rng.IntN(3))
		if rng.IntN(2) == 0 {
			r = reverse(r)
		}
		geoms[i] = orb.Polygon{r}
		boxes[i] = [4]float64{x0, y0, x1, y1}
	}
	got := overlaps(geoms, 1e-3, 2)
	k := 0
	for i := range n {
		for j := i + 1; j < n; j++ {
			a, b := boxes[i], boxes[j]
			w, h := min(a[2], b[2])-max(a[0], b[0]), min(a[3], b[3])-max(a[1], b[1])
			if w <= 1e-9 || h <= 1e-9 {
				continue
			}
			want := degM2(w, h, max(a[1], b[1])+h/2)
			if k >= len(got) || got[k].i != i || got[k].j != j {
				t.Fatalf("pair %d,%d (%.1f m²) not found; got %+v", i, j, want, got[min(k, len(got)-1)])
			}
			if math.Abs(got[k].areaM2-want) > 1e-6*want {
				t.Errorf("pair %d,%d: %.3f m², want %.3f", i, j, got[k].areaM2, want)
			}
			k++
		}
	}
	if k != len(got) {
		t.Errorf("%d overlaps found, %d expected", len(got), k)
	}
}

func TestCheckRings(t *testing.T) {
	sq := rect(2, 45, 2.01, 45.01, 1)
	tests := []struct {
		name string
		g    orb.Geometry
		want string // "" for valid
	}{
		{"square", orb.Polygon{sq}, ""},
		{"square with collinear vertices", orb.Polygon{rect(2, 45, 2.01, 45.01, 4)}, ""},
		{"bow-tie", orb.Polygon{{{2, 45}, {2.01, 45.01}, {2.01, 45}, {2, 45.01}, {2, 45}}}, "ring 0 crosses itself"},
		{"spike", orb.Polygon{{{2, 45}, {2.01, 45}, {2.02, 45}, {2.01, 45}, {2.01, 45.01}, {2, 45.01}, {2, 45}}}, "spike"},
		{"hole crossing the shell", orb.Polygon{sq, reverse(rect(2.005, 45.002, 2.015, 45.004, 1))}, "ring 1 crosses ring 0"},
		{"hole touching the shell at a vertex", orb.Polygon{sq, {{2, 45.005}, {2.005, 45.004}, {2.005, 45.006}, {2, 45.005}}}, ""},
		{"parts crossing", orb.MultiPolygon{{sq}, {rect(2.005, 45.005, 2.02, 45.02, 1)}}, "ring 1 crosses ring 0"},
		{"parts sharing an edge", orb.MultiPolygon{{sq}, {rect(2.01, 45, 2.02, 45.01, 1)}}, "ring 1 runs along ring 0"},
		{"crossing through a vertex", orb.Polygon{{{2, 45}, {2.016, 45}, {2.023, 45}, {2.016, 44.985}, {2.016, 45.007}, {2, 45}}}, "ring 0 crosses itself"},
		{"crossing at a shared vertex", orb.Polygon{{{2, 45}, {2.01, 45.01}, {2.02, 45.02}, {2.02, 45}, {2.01, 45.01}, {2, 45.02}, {2, 45}}}, "ring 0 crosses itself"},
		{"hourglass touching at a shared vertex", orb.Polygon{{{2, 45}, {2.01, 45.01}, {2.02, 45}, {2.02, 45.02}, {2.01, 45.01}, {2, 45.02}, {2, 45}}}, ""},
		{"figure eight touching at a vertex", orb.Polygon{{{2, 45}, {2.01, 45}, {2.005, 45.005}, {2.01, 45.01}, {2, 45.01}, {2.005, 45.005}, {2, 45}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, done := checkRings(tt.g, nil)
			if !done {
				t.Fatal("gave up")
			}
			switch {
			case tt.want == "" && p != nil:
				t.Errorf("problem %q at %v, want none", p.what, p.at)
			case tt.want != "" && (p == nil || !strings.Contains(p.what, tt.want)):
				t.Errorf("problem %v, want %q", p, tt.want)
			}
		})
	}
}

// BenchmarkValidate measures the geometry checks ReadZones adds: the ring
// sweep of every zone and the overlap search, on grids of square zones of
// 53 vertices whose neighbours share their edges (every pair of
// neighbours is a candidate and must come out empty): 5,000 zones (L) and
// 20,000 zones with 1.06M vertices (XL).
func BenchmarkValidate(b *testing.B) {
	for _, n := range []int{5000, 20000} {
		z, err := ReadZones(bytes.NewReader(genZonesGeoJSON(n)), "zones.geojson", ZoneOptions{})
		if err != nil {
			b.Fatal(err)
		}
		verts := 0
		for _, g := range z.Geoms {
			verts += vertexCount(g)
		}
		b.Run(fmt.Sprintf("rings/n=%d", n), func(b *testing.B) {
			var es []edge
			for b.Loop() {
				for _, g := range z.Geoms {
					var p *ringProblem
					p, es, _ = checkRings(g, es)
					if p != nil {
						b.Fatal(p.what)
					}
				}
			}
			b.ReportMetric(float64(verts), "vertices")
		})
		b.Run(fmt.Sprintf("overlaps/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if o := overlaps(z.Geoms, DefaultMinOverlapM2, 0); len(o) != 0 {
					b.Fatalf("%d overlaps", len(o))
				}
			}
		})
	}
}
