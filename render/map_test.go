package render

import (
	"encoding/json"
	"math"
	"math/rand"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/covplan/covplan/coverage"
)

// mapOut is the page's "cp-geo" block, decoded: each zone's rings in
// lon/lat, nil for a zone without an outline.
type mapOut struct {
	Scale float64         `json:"scale"`
	Bound [4]float64      `json:"bound"`
	Z     [][][]int64     `json:"z"`
	Rings [][][]orb.Point `json:"-"`
}

func decodeMap(t *testing.T, js []byte) mapOut {
	t.Helper()
	var m mapOut
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatalf("map data does not parse: %v\n%s", err, js)
	}
	for _, rs := range m.Z {
		var zone [][]orb.Point
		for _, r := range rs {
			if len(r)%2 != 0 {
				t.Fatalf("ring of odd length %d", len(r))
			}
			var x, y int64
			var ring []orb.Point
			for k := 0; k < len(r); k += 2 {
				x, y = x+r[k], y+r[k+1]
				ring = append(ring, orb.Point{float64(x) / m.Scale, float64(y) / m.Scale})
			}
			zone = append(zone, ring)
		}
		m.Rings = append(m.Rings, zone)
	}
	return m
}

func TestMapZoneOutlines(t *testing.T) {
	tiny := orb.Polygon{{{2, 45}, {2.000001, 45}, {2.000001, 45.000001}, {2, 45}}} // collapses when rounded
	nan := orb.Polygon{{{math.NaN(), 45}, {2, 45}, {2, 46}, {math.NaN(), 45}}}
	open := orb.Polygon{{{3, 45}, {3.1, 45}, {3.1, 45.1}, {3, 45.1}}} // ring not closed
	big := orb.Polygon{wiggleSquare(2.4, 44.9, 0.06)}
	cases := []struct {
		name      string
		geoms     []orb.Geometry
		max       int
		wantZones []string // feature names, in order
		simplify  bool
	}{
		{"as given", []orb.Geometry{big, open}, 1000, []string{"0", "1"}, false},
		{"nil and point skipped", []orb.Geometry{nil, orb.Point{1, 2}, big}, 1000, []string{"2"}, false},
		{"non-finite skipped", []orb.Geometry{nan, big}, 1000, []string{"1"}, false},
		{"collapsed keeps its box", []orb.Geometry{tiny}, 1000, []string{"0"}, false},
		{"budget forces simplification", []orb.Geometry{big, big, big}, 20, []string{"0", "1", "2"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			zm := buildZoneMap(tc.geoms, tc.max)
			m := decodeMap(t, zm.JSON)
			var got []string
			n := 0
			for z, rings := range m.Rings {
				if m.Z[z] == nil {
					continue
				}
				got = append(got, strconv.Itoa(z))
				for _, r := range rings {
					n += len(r)
					if len(r) < 4 || r[0] != r[len(r)-1] {
						t.Errorf("zone %d: ring of %d points, closed %v", z, len(r), r[0] == r[len(r)-1])
					}
					for _, p := range r {
						if p[0] < m.Bound[0]-1e-9 || p[0] > m.Bound[2]+1e-9 || p[1] < m.Bound[1]-1e-9 || p[1] > m.Bound[3]+1e-9 {
							t.Errorf("zone %d: point %v outside the bound %v", z, p, m.Bound)
						}
					}
				}
			}
			if m.Scale != coordScale || len(m.Z) != len(tc.geoms) || strings.Join(got, ",") != strings.Join(tc.wantZones, ",") || zm.Zones != len(tc.wantZones) {
				t.Fatalf("zones %v (%d counted, %d entries), want %v", got, zm.Zones, len(m.Z), tc.wantZones)
			}
			if n != zm.Vertices {
				t.Errorf("%d vertices written, %d counted", n, zm.Vertices)
			}
			if tc.simplify != (zm.ToleranceDeg > 0) {
				t.Errorf("tolerance %g, want simplification %v", zm.ToleranceDeg, tc.simplify)
			}
			if tc.simplify && zm.Vertices >= zm.TotalVertices {
				t.Errorf("simplified to %d vertices of %d", zm.Vertices, zm.TotalVertices)
			}
		})
	}
	// the input is never modified
	before := big.Clone()
	buildZoneMap([]orb.Geometry{big}, 5)
	if !orb.Equal(before, big) {
		t.Error("buildZoneMap modified its input")
	}
}

// TestMapPremiseSample checks the density sample: every premise where
// they are sparse, dense places thinned to the cap, the limit kept, the
// premises outside every zone in a category of their own, the same pick
// every time.
func TestMapPremiseSample(t *testing.T) {
	const seed = 3
	rng := rand.New(rand.NewSource(seed))
	src := testSource(true, false)
	src.Input.Premises = src.Input.Premises[:0]
	src.Measures = src.Measures[:0]
	src.Plan.PremiseTech = src.Plan.PremiseTech[:0]
	add := func(ll orb.Point, zone int32, tech coverage.Tech) {
		src.Input.Premises = append(src.Input.Premises, coverage.Premise{Pt: project(ll)})
		src.Measures = append(src.Measures, coverage.PremiseMeasure{Zone: zone})
		src.Plan.PremiseTech = append(src.Plan.PremiseTech, tech)
	}
	// a dense town of 18,000 premises in a 0.01° square, 2,000 spread over
	// the countryside (0.3° square), 30 outside every zone
	for i := 0; i < 18000; i++ {
		add(orb.Point{2.45 + 0.01*rng.Float64(), 44.95 + 0.01*rng.Float64()}, 0, coverage.TechFibre)
	}
	for i := 0; i < 2000; i++ {
		add(orb.Point{2.3 + 0.3*rng.Float64(), 44.8 + 0.3*rng.Float64()}, 1, coverage.TechGEO)
	}
	for i := 0; i < 30; i++ {
		add(orb.Point{2.3 + 0.3*rng.Float64(), 44.8 + 0.3*rng.Float64()}, -1, coverage.TechNone)
	}
	box := orb.Bound{Min: orb.Point{2.3, 44.8}, Max: orb.Point{2.6, 45.1}}
	for _, limit := range []int{50000, 5000, 2500} {
		a := samplePremises(src, box, limit)
		b := samplePremises(src, box, limit)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("seed %d limit %d: two samples differ", seed, limit)
		}
		if a.Total != 20030 || a.Shown > limit {
			t.Errorf("seed %d limit %d: %d shown of %d", seed, limit, a.Shown, a.Total)
		}
		if got := len(a.Points[premiseOutside]); got != 30 {
			t.Errorf("seed %d limit %d: %d premises outside the zones, want all 30", seed, limit, got)
		}
		geo := len(a.Points[coverage.TechGEO])
		if limit >= 20030 {
			if a.Shown != 20030 || a.Cap != 0 {
				t.Errorf("seed %d: under the limit, %d shown, cap %d", seed, a.Shown, a.Cap)
			}
			continue
		}
		// the countryside keeps nearly every premise, the town is thinned
		if geo < 1900 {
			t.Errorf("seed %d limit %d: %d of 2,000 sparse premises kept", seed, limit, geo)
		}
		if fib := len(a.Points[coverage.TechFibre]); fib > limit-geo-30 || fib < limit/10 {
			t.Errorf("seed %d limit %d: %d dense premises kept", seed, limit, fib)
		}
		for _, p := range a.Points[coverage.TechFibre] {
			if p[0] < 2.45 || p[0] > 2.46 || p[1] < 44.95 || p[1] > 44.96 || p[2] != 0 {
				t.Fatalf("seed %d: sampled point %v outside the town", seed, p)
			}
		}
	}
	if ps := samplePremises(src, box, -1); ps.Shown != 0 {
		t.Errorf("no premises asked, %d shown", ps.Shown)
	}
}

func TestMapTint(t *testing.T) {
	for _, tc := range []struct {
		in   string
		f    float64
		want string
	}{
		{"#000000", 0.5, "#808080"},
		{"#1f6fb2", 0, "#1f6fb2"},
		{"#1f6fb2", 1, "#ffffff"},
		{"bad", 0.5, "bad"},
	} {
		if got := tint(tc.in, tc.f); got != tc.want {
			t.Errorf("tint(%s, %g) = %s, want %s", tc.in, tc.f, got, tc.want)
		}
	}
}
