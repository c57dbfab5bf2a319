package render

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/covplan/covplan/coverage"
)

// The -update flag may be defined by other test files of the package too:
// whoever comes first defines it, everyone reads it through flag.Lookup.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata/")
	}
}

func reportUpdate() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// A small equirectangular frame around (2.45°E, 45.0°N), Cantal-like: enough
// for hand-built sources; the real frames live in geodata.
const (
	lon0, lat0 = 2.45, 45.0
	mPerDegLat = 111132.0
)

var mPerDegLon = 111320.0 * math.Cos(lat0*math.Pi/180)

func project(ll orb.Point) orb.Point {
	return orb.Point{(ll[0] - lon0) * mPerDegLon, (ll[1] - lat0) * mPerDegLat}
}

func unproject(p orb.Point) orb.Point {
	return orb.Point{lon0 + p[0]/mPerDegLon, lat0 + p[1]/mPerDegLat}
}

// wiggleSquare is a closed ring of side deg degrees at (lon, lat), with a few
// extra vertices on each side so that simplification has work to do.
func wiggleSquare(lon, lat, deg float64) orb.Ring {
	var r orb.Ring
	corners := []orb.Point{{lon, lat}, {lon + deg, lat}, {lon + deg, lat + deg}, {lon, lat + deg}}
	for i, c := range corners {
		n := corners[(i+1)%4]
		for k := 0; k < 4; k++ {
			f := float64(k) / 4
			// a small wiggle, 1e-4°, on the intermediate points
			w := 0.0
			if k%2 == 1 {
				w = 1e-4
			}
			r = append(r, orb.Point{c[0] + f*(n[0]-c[0]) + w, c[1] + f*(n[1]-c[1]) - w})
		}
	}
	return append(r, r[0])
}

func projectGeom(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Polygon:
		out := make(orb.Polygon, len(g))
		for i, r := range g {
			out[i] = make(orb.Ring, len(r))
			for k, p := range r {
				out[i][k] = project(p)
			}
		}
		return out
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = projectGeom(p).(orb.Polygon)
		}
		return out
	}
	return nil
}

type zoneSpec struct {
	id, name string
	geom     orb.Geometry // lon/lat
	tech     coverage.Tech
	meets    bool
	reasons  []coverage.Reason
	year     int
	premises int // premise-level: generated on a grid inside the zone's box
	units    int // extra units spread over the premises
	cppEUR   float64
}

var testZones = []zoneSpec{
	{"15014", "Aurillac", orb.Polygon{wiggleSquare(2.40, 44.90, 0.06)}, coverage.TechFibre, true, nil, 1, 24, 30, 900},
	{"15120", "Marcenat", orb.Polygon{wiggleSquare(2.46, 44.90, 0.06)}, coverage.TechFibre, true, []coverage.Reason{coverage.SatLatency}, 2, 12, 2, 2600},
	{"15187", "Saint-Flour <Haute & Basse>", orb.MultiPolygon{{wiggleSquare(2.40, 44.96, 0.05)}, {wiggleSquare(2.455, 44.97, 0.02)}}, coverage.TechWifi, true, []coverage.Reason{coverage.FibreOverThreshold}, 2, 9, 0, 1400},
	{"15200", "Vebret", orb.Polygon{wiggleSquare(2.48, 44.96, 0.05)}, coverage.TechLEO, true, []coverage.Reason{coverage.FibreTooFar, coverage.WifiNoSite}, 3, 6, 0, 3100},
	{"15230", "Lavigerie", orb.Polygon{wiggleSquare(2.53, 44.92, 0.04)}, coverage.TechGEO, false, []coverage.Reason{coverage.FibreTooFar, coverage.WifiNoSite, coverage.SatCapacity, coverage.BelowTarget}, 0, 3, 0, 4200},
	{"15999", "Puy Mary (no premises)", orb.Polygon{wiggleSquare(2.58, 44.92, 0.03)}, coverage.TechNone, false, nil, 0, 0, 0, 0},
}

// testSource builds a plan by hand: premise level (premises on a grid in
// each zone) or zone level (counts only), phased or not.
func testSource(premiseLevel, phased bool) *Source {
	in := &coverage.Input{}
	p := &coverage.Plan{ZoneLevel: !premiseLevel}
	var ll []orb.Geometry
	var measures []coverage.PremiseMeasure
	for zi, zs := range testZones {
		in.Zones = append(in.Zones, coverage.Zone{ID: zs.id, Name: zs.name, Geom: projectGeom(zs.geom), Households: zs.premises})
		ll = append(ll, zs.geom)
		units := zs.premises + zs.units
		zp := coverage.ZonePlan{Zone: zi, Premises: zs.premises, Units: units, Chosen: zs.tech, MeetsTarget: zs.meets,
			Reasons: zs.reasons, ZoneLevel: !premiseLevel}
		zp.Mix[zs.tech] = zs.premises
		if !premiseLevel {
			zp.ByKind[coverage.KindHousehold] = zs.premises
			if zs.meets {
				zp.Reached[coverage.KindHousehold] = zs.premises
			}
		}
		if premiseLevel {
			measures = addTestPremises(in, p, &zp, zs, measures)
		}
		if phased {
			zp.Year = zs.year
		}
		zp.Options = testOptions(zs, units)
		if !premiseLevel && zi == 0 {
			// Aurillac at zone level: the mixed option, fibre for 20 premises
			// and LEO for 4, at fibre's price
			zp.Mixed, zp.Built = true, zp.Options[coverage.TechFibre]
			zp.Mix = [coverage.NumTechs]int{coverage.TechFibre: 20, coverage.TechLEO: 4}
		}
		p.Zones = append(p.Zones, zp)
		p.Premises += zs.premises
	}
	p.Scenario = coverage.DefaultScenario()
	p.Scenario.Priority = []coverage.Kind{coverage.KindSchool}
	if phased {
		p.Scenario.AnnualBudgetEUR = 20000
	}
	if premiseLevel {
		p.Unzoned = 2
		p.SatCells[0] = []coverage.SatCell{{Tech: coverage.TechLEO, Q: 0, R: 0, Subscribers: 4, LoadMbps: 10, CapacityMbps: 2500},
			{Tech: coverage.TechLEO, Q: 1, R: 0, Subscribers: 1000, LoadMbps: 2500, CapacityMbps: 2500, Full: true}}
	}
	p.SumZones()
	src := &Source{
		Plan:      p,
		Input:     in,
		ZonesLL:   ll,
		Unproject: unproject,
		Meta: Meta{
			Title:   "Cantal (15) – test",
			Version: "v0.0.0-test",
			Frame:   "test equirectangular frame at 2.45°E 45°N",
			Inputs: []InputFile{
				{Role: "zones", Name: "communes.geojson", SHA256: strings.Repeat("ab", 32), Records: len(in.Zones), CRS: "EPSG:4326"},
			},
			Skipped:   []SkipCount{{File: "adresses.csv", Reason: "no coordinates", Count: 3}},
			StartYear: 2026,
			Date:      "2026-03-02",
		},
	}
	if premiseLevel {
		src.Measures = measures
		src.Meta.Inputs = append(src.Meta.Inputs, InputFile{Role: "premises", Name: "adresses.csv", SHA256: strings.Repeat("cd", 32), Records: len(in.Premises), Skipped: 3, CRS: "EPSG:2154 (assumed)"})
	}
	return src
}

// testOptions are a test zone's four options: the chosen one feasible and
// serving the zone, the others infeasible and half as dear again.
func testOptions(zs zoneSpec, units int) [coverage.NumTechs]coverage.Option {
	var opts [coverage.NumTechs]coverage.Option
	if zs.premises == 0 {
		return opts
	}
	service := map[coverage.Tech][3]float64{coverage.TechFibre: {1000, 500, 5}, coverage.TechWifi: {50, 10, 15},
		coverage.TechLEO: {150, 15, 35}, coverage.TechGEO: {50, 5, 600}}
	for _, t := range coverage.Techs {
		o := coverage.Option{Tech: t, Feasible: t == zs.tech}
		npv := zs.cppEUR * float64(zs.premises)
		if t != zs.tech {
			npv *= 1.5
		}
		o.PresentCostEUR = npv
		o.PresentCostPerPremiseEUR = npv / math.Max(1, float64(zs.premises))
		o.CapexEUR = 0.6 * npv
		o.OpexEURPerYear = 0.03 * o.CapexEUR
		o.PublicCostEUR = 0.7 * npv
		sv := service[t]
		o.DownMbps, o.UpMbps, o.LatencyMs = sv[0], sv[1], sv[2]
		if t == zs.tech {
			o.PremisesServed = zs.premises
			o.UnitsServed = units
		}
		opts[t] = o
	}
	return opts
}

// addTestPremises puts a test zone's premises on a grid inside its box
// (the first a household with the zone's extra units, the second a school,
// the third a business) and counts them in the plan and the zone plan.
func addTestPremises(in *coverage.Input, p *coverage.Plan, zp *coverage.ZonePlan, zs zoneSpec, measures []coverage.PremiseMeasure) []coverage.PremiseMeasure {
	b := zs.geom.Bound()
	for k := 0; k < zs.premises; k++ {
		fx := 0.2 + 0.6*float64(k%5)/4
		fy := 0.2 + 0.6*float64(k/5%5)/4
		pt := orb.Point{b.Min[0] + fx*(b.Max[0]-b.Min[0]), b.Min[1] + fy*(b.Max[1]-b.Min[1])}
		u := int32(1)
		if k == 0 {
			u += int32(zs.units)
		}
		kind := []coverage.Kind{coverage.KindHousehold, coverage.KindSchool, coverage.KindBusiness}[min(k, 3)%3]
		in.Premises = append(in.Premises, coverage.Premise{ID: fmt.Sprintf("%s-%03d", zs.id, k), Pt: project(pt), Units: u, Kind: kind})
		p.PremisesByKind[kind]++
		zp.ByKind[kind]++
		if zs.meets {
			zp.Reached[kind]++
		}
		measures = append(measures, coverage.PremiseMeasure{Zone: int32(zp.Zone), FibreDistM: 100 * float64(k), FibreNode: 0})
		p.PremiseTech = append(p.PremiseTech, zs.tech)
	}
	return measures
}

// withEcharts runs f with the embedded echarts replaced by js (nil: absent).
func withEcharts(t *testing.T, js []byte, f func()) {
	t.Helper()
	old := echartsJS
	echartsJS = js
	defer func() { echartsJS = old }()
	f()
}

// stubEcharts stands in for echarts.min.js in golden files, so that they
// neither depend on `make assets` nor hold a megabyte of library.
var stubEcharts = []byte("/* echarts.min.js (stub for golden files) */")

func renderReport(t *testing.T, src *Source, opt ReportOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteReport(&buf, src, opt); err != nil {
		t.Fatalf("WriteReport: %v", err)
	}
	return buf.Bytes()
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "report", name)
	if reportUpdate() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -run Report -update)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got: %.300s\nwant: %.300s\n(run go test ./render -run Report -update if the change is intended)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length: got %d lines, want %d", path, len(gl), len(wl))
	}
}

func TestReportGolden(t *testing.T) {
	cases := []struct {
		name    string
		src     func() *Source
		opt     ReportOptions
		echarts []byte
	}{
		{"premise_phased_en.html.golden", func() *Source { return testSource(true, true) }, ReportOptions{Lang: "en"}, stubEcharts},
		{"zone_fr.html.golden", func() *Source { return testSource(false, false) }, ReportOptions{Lang: "fr"}, stubEcharts},
		{"noassets_en.html.golden", func() *Source { return testSource(true, false) }, ReportOptions{}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			withEcharts(t, tc.echarts, func() {
				checkGolden(t, tc.name, withoutAssets(t, renderReport(t, tc.src(), tc.opt)))
			})
		})
	}
}

// withoutAssets replaces the page's fixed styles and script (web/*.css,
// web/*.js, tested by the browser test) by their names, so that the golden
// files hold what WriteReport generates.
func withoutAssets(t *testing.T, page []byte) []byte {
	t.Helper()
	for _, a := range []struct{ text, name string }{
		{pageCSS, "/* web/report.css */"}, {printCSS, "/* web/print.css */"}, {scriptSafe(mapJS + pageJS), "/* web/map.js, web/report.js */"},
	} {
		if !bytes.Contains(page, []byte(a.text)) {
			t.Fatalf("page lacks %s", a.name)
		}
		page = bytes.Replace(page, []byte(a.text), []byte(a.name), 1)
	}
	return page
}

func TestReportDeterministic(t *testing.T) {
	for _, premise := range []bool{true, false} {
		t.Run(fmt.Sprintf("premise=%v", premise), func(t *testing.T) {
			a := renderReport(t, testSource(premise, true), ReportOptions{Lang: "fr"})
			b := renderReport(t, testSource(premise, true), ReportOptions{Lang: "fr"})
			if !bytes.Equal(a, b) {
				t.Fatal("two renders of the same source differ")
			}
		})
	}
}

func TestReportEmptyPlan(t *testing.T) {
	src := &Source{Plan: &coverage.Plan{}, Input: &coverage.Input{}, ZonesLL: []orb.Geometry{}}
	for _, echarts := range [][]byte{stubEcharts, nil} {
		withEcharts(t, echarts, func() {
			html := string(renderReport(t, src, ReportOptions{Lang: "fr"}))
			for _, s := range []string{`id="empty-plan"`, "Le plan ne contient aucune zone.", `id="zone-table"`, "var CP_CHARTS = [];"} {
				if !strings.Contains(html, s) {
					t.Errorf("empty plan: page lacks %q", s)
				}
			}
		})
	}
}

func TestReportNoAssets(t *testing.T) {
	withEcharts(t, nil, func() {
		html := string(renderReport(t, testSource(true, true), ReportOptions{}))
		if !strings.Contains(html, `id="no-assets"`) || !strings.Contains(html, "make assets") {
			t.Error("no banner saying charts need make assets")
		}
		if strings.Contains(html, `class="chart"`) {
			t.Error("chart containers without echarts")
		}
		// the map and the zone table are the page's own: they stay
		for _, s := range []string{`<div class="chart map" id="chart-map"`, `id="cp-geo"`, `id="cp-zones"`, `<tr data-t="fibre">`} {
			if !strings.Contains(html, s) {
				t.Errorf("page without echarts lacks %s", s)
			}
		}
		var buf bytes.Buffer
		err := WriteReport(&buf, testSource(true, true), ReportOptions{RequireAssets: true})
		if !errors.Is(err, ErrNoEcharts) {
			t.Errorf("RequireAssets without echarts: err = %v, want ErrNoEcharts", err)
		}
		if buf.Len() != 0 {
			t.Error("RequireAssets: wrote a page before failing")
		}
	})
}

func TestReportErrors(t *testing.T) {
	bad := func(f func(*Source)) *Source { s := testSource(true, false); f(s); return s }
	cases := []struct {
		name string
		src  *Source
		opt  ReportOptions
		want string
	}{
		{"nil source", nil, ReportOptions{}, "no plan"},
		{"nil input", bad(func(s *Source) { s.Input = nil }), ReportOptions{}, "no input"},
		{"language", testSource(true, false), ReportOptions{Lang: "de"}, `unknown report language "de"`},
		{"outlines", bad(func(s *Source) { s.ZonesLL = s.ZonesLL[:2] }), ReportOptions{}, "2 zone outlines for 6 zones"},
		{"zone index", bad(func(s *Source) { s.Plan.Zones[1].Zone = 99 }), ReportOptions{}, "refers to zone 99"},
		{"premise techs", bad(func(s *Source) { s.Plan.PremiseTech = s.Plan.PremiseTech[:3] }), ReportOptions{}, "3 premise technologies"},
		{"tech", bad(func(s *Source) { s.Plan.Zones[0].Chosen = 17 }), ReportOptions{}, "has technology"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteReport(&bytes.Buffer{}, tc.src, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "render: ") {
				t.Fatalf("err = %v, want render: …%s…", err, tc.want)
			}
		})
	}
}

// TestReportScriptSafe puts markup in user data and checks that it cannot
// close the page's script or inject elements.
func TestReportScriptSafe(t *testing.T) {
	src := testSource(true, false)
	src.Input.Zones[0].Name = `</script><script>alert(1)</script><!--`
	src.Input.Zones[1].ID = `"><img src=x onerror=alert(2)>`
	src.Meta.Title = `<b>title</b>`
	src.Meta.Sources = []string{`<img src=y>`}
	withEcharts(t, stubEcharts, func() {
		base := string(renderReport(t, testSource(true, false), ReportOptions{}))
		html := string(renderReport(t, src, ReportOptions{}))
		if n, want := len(scriptTag.FindAllStringIndex(html, -1)), len(scriptTag.FindAllStringIndex(base, -1)); n != want {
			t.Errorf("page has %d <script> tags, want %d", n, want)
		}
		for _, bad := range []string{"<img src=x", "<img src=y", "<b>title", "<script>alert"} {
			if strings.Contains(html, bad) {
				t.Errorf("user data injected %q", bad)
			}
		}
	})
}

func TestReportLangOption(t *testing.T) {
	for in, want := range map[string]string{"": "en", "en": "en", "EN": "en", "fr": "fr", "fr-FR": "fr", "fr_CA": "fr"} {
		l, err := parseLang(in)
		if err != nil || string(l) != want {
			t.Errorf("parseLang(%q) = %q, %v; want %q", in, l, err, want)
		}
	}
}

// TestReportMapFallbacks: without outlines there is no map, without a way
// back to lon/lat no premises on it, and the page says so.
func TestReportMapFallbacks(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(*Source)
		want    string
		hasMap  bool
		premise bool
	}{
		{"no outlines", func(s *Source) { s.ZonesLL = nil }, "No map: zone outlines in longitude/latitude were not given.", false, false},
		{"no unproject", func(s *Source) { s.Unproject = nil }, "Premises are not placed on the map", true, false},
		{"premises capped", func(s *Source) {}, "Premises shown: ", true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := testSource(true, false)
			tc.edit(src)
			opt := ReportOptions{}
			if tc.premise {
				opt.MaxMapPremises = 10
			}
			withEcharts(t, stubEcharts, func() {
				html := string(renderReport(t, src, opt))
				if !strings.Contains(html, tc.want) {
					t.Errorf("page lacks %q", tc.want)
				}
				if got := strings.Contains(html, `id="chart-map"`); got != tc.hasMap {
					t.Errorf("map drawn: %v, want %v", got, tc.hasMap)
				}
				if got := strings.Contains(html, `"p1":[[`); got != tc.premise {
					t.Errorf("premises on the map: %v, want %v", got, tc.premise)
				}
			})
		})
	}
}
