package render

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/covplan/covplan/coverage"
)

// mpInput is three square zones near Aurillac; "O'Brien & <Fils>" checks
// the escaping.
func mpInput() (*coverage.Input, []orb.Geometry) {
	in := &coverage.Input{}
	var ll []orb.Geometry
	for i, name := range []string{"Arpajon", "O'Brien & <Fils>", "Ytrac"} {
		x := 2.40 + 0.05*float64(i)
		sq := orb.Polygon{{{x, 44.9}, {x + 0.04, 44.9}, {x + 0.04, 44.94}, {x, 44.94}, {x, 44.9}}}
		in.Zones = append(in.Zones, coverage.Zone{ID: "1500" + string(rune('1'+i)), Name: name, Geom: sq})
		ll = append(ll, sq)
	}
	return in, ll
}

// mpPlan is a hand-made plan choosing techs[z] in zone z, with totals
// that add up.
func mpPlan(techs []coverage.Tech, publicEUR float64, policy coverage.Policy) *coverage.Plan {
	p := &coverage.Plan{Scenario: coverage.DefaultScenario()}
	p.Scenario.Policy = policy
	for z, t := range techs {
		zp := coverage.ZonePlan{Zone: z, Premises: 100 * (z + 1), Units: 100 * (z + 1), Chosen: t, MeetsTarget: t != coverage.TechNone}
		zp.Options[t].Tech = t
		zp.Options[t].PublicCostEUR = publicEUR / 3
		zp.Options[t].CapexEUR = 2 * publicEUR / 3
		p.Zones = append(p.Zones, zp)
		p.ByTech[t].Zones++
		p.ByTech[t].Premises += zp.Premises
		p.Total.Zones++
		p.Total.Premises += zp.Premises
		p.Total.PublicCostEUR += publicEUR / 3
		p.Total.CapexEUR += 2 * publicEUR / 3
		if zp.MeetsTarget {
			p.MeetTarget += zp.Premises
		}
	}
	return p
}

func testComparison() *Comparison {
	in, ll := mpInput()
	f, w, l := coverage.TechFibre, coverage.TechWifi, coverage.TechLEO
	return &Comparison{Input: in, ZonesLL: ll, Meta: Meta{Title: "Test <area>", Version: "test"}, Scenarios: []ComparedScenario{
		{Name: "base", Origin: "defaults", Evaluation: 1, Plan: mpPlan([]coverage.Tech{f, w, w}, 3000, coverage.PolicyLeastCost)},
		{Name: "cheap-leo", Origin: "variant", Changes: []string{"leo.kit_eur=0"}, Evaluation: 2, Plan: mpPlan([]coverage.Tech{f, l, w}, 2400, coverage.PolicyLeastCost)},
	}}
}

// Each page is one self-contained document: the same data gives the same
// bytes, user text is escaped, nothing is fetched from the network.
func TestPagesDeterministicAndOffline(t *testing.T) {
	c := testComparison()
	sw := &Sweep{Input: c.Input, Base: c.Scenarios[0].Plan, Evaluations: 2, Meta: c.Meta, Keys: []SweepKey{{
		Key: "leo.kit_eur", BaseValue: "349", Numeric: true,
		Points: []SweepPoint{{Value: "0", X: 0, Evaluation: 2, Totals: TotalsOf(c.Scenarios[1].Plan), Changed: 1},
			{Value: "349", X: 349, IsBase: true, Evaluation: 1, Totals: TotalsOf(c.Scenarios[0].Plan)}},
		Flips: []ZoneFlip{{Zone: 1, Direction: "down", LastBase: "349", Value: "0", Tech: coverage.TechLEO}},
	}}}
	area := &BatchArea{Format: areaFormat, ID: "a", Title: "Zone <A>", Totals: TotalsOf(c.Scenarios[0].Plan), Outline: buildZoneMap(c.ZonesLL, 1000).GeoJSON}
	x := &BatchIndex{Title: "T", Version: "test", Rows: []BatchRow{
		{ID: "a", Title: "Zone <A>", Status: AreaPlanned, Area: area, Report: "a/report.html"},
		{ID: "b", Title: "B", Status: AreaFailed, Error: "b.geojson: line 3: <bad>"},
	}}
	for _, tc := range []struct {
		name  string
		write func(w *bytes.Buffer, lang string) error
		want  []string
	}{
		{"compare.html", func(w *bytes.Buffer, l string) error { return WriteCompareHTML(w, c, PageOptions{Lang: l}) },
			[]string{`id="figures-table"`, `id="changed-zones"`, "O&#39;Brien &amp; &lt;Fils&gt;", "cheap-leo", "leo.kit_eur=0"}},
		{"sweep.html", func(w *bytes.Buffer, l string) error { return WriteSweepHTML(w, sw, PageOptions{Lang: l}) },
			[]string{`id="chart-tornado-public"`, `id="flips-table"`, "O&#39;Brien &amp; &lt;Fils&gt;"}},
		{"index.html", func(w *bytes.Buffer, l string) error { return WriteBatchIndexHTML(w, x, PageOptions{Lang: l}) },
			[]string{`href="a/report.html"`, "Zone &lt;A&gt;", "b.geojson: line 3: &lt;bad&gt;", `id="chart-map"`}},
	} {
		for _, l := range []string{"fr", "en"} {
			var a, b bytes.Buffer
			if err := tc.write(&a, l); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if err := tc.write(&b, l); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s (%s): two writes differ", tc.name, l)
			}
			page := a.String()
			if !strings.Contains(page, `<html lang="`+l+`">`) || !strings.Contains(page, `class="lang-`+l+`"`) {
				t.Errorf("%s: does not open in %s", tc.name, l)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("%s: lacks %s", tc.name, w)
				}
			}
			for _, bad := range []string{`src="http`, `href="http`, "<Fils>", "<bad>"} {
				if strings.Contains(page, bad) {
					t.Errorf("%s: has %s", tc.name, bad)
				}
			}
		}
	}
}

func TestCompareCSVs(t *testing.T) {
	c := testComparison()
	var b bytes.Buffer
	if err := WriteCompareCSV(&b, c); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	h := rows[0]
	get := func(r int, name string) string {
		for i, c := range h {
			if c == name {
				return rows[r][i]
			}
		}
		t.Fatalf("no column %s", name)
		return ""
	}
	if get(1, "reference") != "true" || get(2, "zones_changed") != "1" || get(2, "public_cost_eur") != "2400.00" || get(2, "premises_leo") != "200" || get(1, "npv_eur") != "" {
		t.Errorf("compare.csv:\n%v", rows)
	}
	b.Reset()
	if err := WriteCompareZonesCSV(&b, c); err != nil {
		t.Fatal(err)
	}
	want := "zone_id,name,premises,changed,tech_base,capex_eur_base,public_cost_eur_base,tech_cheap-leo,capex_eur_cheap-leo,public_cost_eur_cheap-leo\n" +
		"15001,Arpajon,100,false,fibre,2000.00,1000.00,fibre,1600.00,800.00\n" +
		"15002,O'Brien & <Fils>,200,true,wifi,2000.00,1000.00,leo,1600.00,800.00\n"
	if !strings.HasPrefix(b.String(), want) {
		t.Errorf("compare-zones.csv:\n%s\nwant it to start with\n%s", b.String(), want)
	}
	// a comparison whose plans are not of its input is refused
	c.Scenarios[1].Plan.Zones = c.Scenarios[1].Plan.Zones[:2]
	if err := WriteCompareCSV(&b, c); err == nil {
		t.Errorf("a plan of 2 zones for 3 was written")
	}
}

func TestMainTech(t *testing.T) {
	for _, tc := range []struct {
		premises, zones [coverage.NumTechs]int
		want            coverage.Tech
	}{
		{[coverage.NumTechs]int{0, 10, 20, 0, 0}, [coverage.NumTechs]int{0, 1, 2, 0, 0}, coverage.TechWifi},
		{[coverage.NumTechs]int{0, 20, 20, 0, 0}, [coverage.NumTechs]int{0, 1, 2, 0, 0}, coverage.TechFibre}, // ties: report order
		{[coverage.NumTechs]int{30, 20, 0, 0, 0}, [coverage.NumTechs]int{1, 1, 0, 0, 0}, coverage.TechNone},  // most premises get nothing
		{[coverage.NumTechs]int{}, [coverage.NumTechs]int{0, 0, 0, 2, 0}, coverage.TechLEO},                  // zones without premises
		{[coverage.NumTechs]int{}, [coverage.NumTechs]int{}, coverage.TechNone},
	} {
		if got := (PlanTotals{PremisesBy: tc.premises, ZonesBy: tc.zones}).MainTech(); got != tc.want {
			t.Errorf("MainTech(%v, %v) = %v, want %v", tc.premises, tc.zones, got, tc.want)
		}
	}
}

func TestAreaJSONRoundTrip(t *testing.T) {
	c := testComparison()
	src := &Source{Plan: c.Scenarios[0].Plan, Input: c.Input, ZonesLL: c.ZonesLL, Meta: Meta{Title: "T", Version: "v", Skipped: []SkipCount{{Count: 2}, {Count: 3}}}}
	a := NewBatchArea("t", src)
	var b bytes.Buffer
	if err := WriteAreaJSON(&b, a); err != nil {
		t.Fatal(err)
	}
	got, err := ReadAreaJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "t" || got.Skipped != 5 || got.Totals != a.Totals || !bytes.Equal(got.Outline, a.Outline) || len(got.Outline) < 100 {
		t.Errorf("round trip: %+v", got)
	}
	if _, err := ReadAreaJSON(strings.NewReader(`{"covplan_area": 99}`)); err == nil {
		t.Errorf("an area.json of another format was read")
	}
}

// The comparison and sweep pages open with the run's warnings panel when
// something changed the meaning of the plans (premises outside every
// zone, an assumed CRS, what the command said, findings about the
// inputs), and have none otherwise.
func TestPagesWarnings(t *testing.T) {
	c := testComparison()
	sw := &Sweep{Input: c.Input, Base: c.Scenarios[0].Plan, Evaluations: 1, Meta: c.Meta}
	pages := func() (string, string) {
		var a, b bytes.Buffer
		if err := WriteCompareHTML(&a, c, PageOptions{Lang: "en"}); err != nil {
			t.Fatal(err)
		}
		if err := WriteSweepHTML(&b, sw, PageOptions{Lang: "en"}); err != nil {
			t.Fatal(err)
		}
		return a.String(), b.String()
	}
	cmp, swp := pages()
	for page, got := range map[string]string{"compare": cmp, "sweep": swp} {
		if strings.Contains(got, `id="warnings"`) {
			t.Errorf("%s: a warnings panel without anything to say", page)
		}
	}
	meta := Meta{Title: "T", Version: "test",
		Inputs:   []InputFile{{Role: "fibre", Name: "nro.csv", CRS: "EPSG:2154 (assumed: x/y columns)"}},
		Warnings: []string{"costs: us (the area's frame, EPSG:32612, is not metropolitan France's)"},
		Findings: []Finding{{File: "communes.geojson", Code: "overlap", Severity: "warning", Count: 2, Examples: []string{"15014 / 15187"}}},
	}
	c.Meta, sw.Meta = meta, meta
	c.Scenarios[0].Plan.Unzoned, c.Scenarios[0].Plan.Premises = 7, 607
	cmp, swp = pages()
	for page, got := range map[string]string{"compare": cmp, "sweep": swp} {
		for _, want := range []string{`<a href="#warnings">`, `id="warnings"`, `data-w="unzoned"`, `data-w="crs"`, `data-w="run"`,
			"costs: us (the area&#39;s frame", `data-f="overlap"`, "communes.geojson"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: lacks %s", page, want)
			}
		}
		if w, m := strings.Index(got, `id="warnings"`), strings.Index(got, "<main>"); w < m {
			t.Errorf("%s: the warnings panel is not in the page's body", page)
		}
	}
}

// BenchmarkWriteCompareHTML writes the comparison page of two scenarios
// of 10 000 zones, a third of whose choices differ.
func BenchmarkWriteCompareHTML(b *testing.B) {
	src := largeSource(1, 10000, 20, 0)
	alt := *src.Plan
	alt.Zones = append([]coverage.ZonePlan(nil), src.Plan.Zones...)
	for z := 0; z < len(alt.Zones); z += 3 {
		alt.Zones[z].Chosen = coverage.TechLEO
	}
	c := &Comparison{Input: src.Input, ZonesLL: src.ZonesLL, Meta: Meta{Title: "bench", Version: "test"}, Scenarios: []ComparedScenario{
		{Name: "base", Origin: "defaults", Evaluation: 1, Plan: src.Plan},
		{Name: "leo", Origin: "variant", Evaluation: 1, Plan: &alt},
	}}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteCompareHTML(io.Discard, c, PageOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
