package render

import (
	"encoding/json"
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/covplan/covplan/coverage"
)

// geoJSONOut is what the page's registerMap receives.
type geoJSONOut struct {
	Type     string `json:"type"`
	Features []struct {
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
		Geometry struct {
			Type        string           `json:"type"`
			Coordinates [][][][2]float64 `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
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
			var g geoJSONOut
			if err := json.Unmarshal(zm.GeoJSON, &g); err != nil {
				t.Fatalf("GeoJSON does not parse: %v\n%s", err, zm.GeoJSON)
			}
			if g.Type != "FeatureCollection" || len(g.Features) != len(tc.wantZones) || zm.Zones != len(tc.wantZones) {
				t.Fatalf("%d features (%d counted), want %v", len(g.Features), zm.Zones, tc.wantZones)
			}
			n := 0
			for i, f := range g.Features {
				if f.Properties.Name != tc.wantZones[i] {
					t.Errorf("feature %d named %q, want %q", i, f.Properties.Name, tc.wantZones[i])
				}
				for _, p := range f.Geometry.Coordinates {
					for _, r := range p {
						n += len(r)
						if len(r) < 4 || r[0] != r[len(r)-1] {
							t.Errorf("feature %s: ring of %d points, closed %v", f.Properties.Name, len(r), r[0] == r[len(r)-1])
						}
					}
				}
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

func TestMapPremiseSample(t *testing.T) {
	const seed = 3
	rng := rand.New(rand.NewSource(seed))
	src := testSource(true, false)
	// 20,000 premises: 97 % fibre, 3 % GEO, 20 with none
	src.Input.Premises = src.Input.Premises[:0]
	src.Measures = src.Measures[:0]
	src.Plan.PremiseTech = src.Plan.PremiseTech[:0]
	for i := 0; i < 20000; i++ {
		tech := coverage.TechFibre
		switch {
		case i%100 < 3:
			tech = coverage.TechGEO
		case i%1000 == 999:
			tech = coverage.TechNone
		}
		src.Input.Premises = append(src.Input.Premises, coverage.Premise{Pt: project(orb.Point{2.4 + 0.1*rng.Float64(), 44.9 + 0.1*rng.Float64()})})
		src.Measures = append(src.Measures, coverage.PremiseMeasure{Zone: int32(i % 6)})
		src.Plan.PremiseTech = append(src.Plan.PremiseTech, tech)
	}
	d, err := prepare(src, langEN, withDefaults(ReportOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		limit int
		want  [coverage.NumTechs]int
	}{
		{50000, [coverage.NumTechs]int{coverage.TechNone: 20, coverage.TechFibre: 19380, coverage.TechGEO: 600}}, // all
		{2000, [coverage.NumTechs]int{coverage.TechNone: 20, coverage.TechFibre: 1938, coverage.TechGEO: 200}},   // GEO gets the floor
		{-1, [coverage.NumTechs]int{}},
	}
	for _, tc := range cases {
		a := samplePremises(src, d, tc.limit)
		b := samplePremises(src, d, tc.limit)
		for tech := range tc.want {
			if len(a.Points[tech]) != tc.want[tech] {
				t.Errorf("seed %d limit %d: %d %v premises, want %d", seed, tc.limit, len(a.Points[tech]), coverage.Tech(tech), tc.want[tech])
			}
			for i := range a.Points[tech] {
				if a.Points[tech][i] != b.Points[tech][i] {
					t.Fatalf("seed %d: two samples differ", seed)
				}
			}
		}
		for _, p := range a.Points[coverage.TechFibre] {
			if p[0] < 2.4 || p[0] > 2.5 || p[1] < 44.9 || p[1] > 45.0 || p[2] < 0 || p[2] > 5 {
				t.Fatalf("seed %d: sampled point %v outside the area", seed, p)
			}
		}
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
