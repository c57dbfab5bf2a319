package render

import (
	"flag"
	"math"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// -update regenerates the golden files: go test ./render -run Outputs -update
// The flag may also be wanted by other tests of this package: define it only
// once, and read it through flag.Lookup.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata/")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// square returns a closed axis-aligned square ring with corner (x, y) and
// side s; open leaves it unclosed.
func square(x, y, s float64, open bool) orb.Ring {
	r := orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
	if open {
		r = r[:4]
	}
	return r
}

// metreToLL is a toy inverse projection used by the fixtures: 1 m east is
// 1e-5 degrees of longitude, 1 m north 1e-5 degrees of latitude, from
// (2.4°E, 44.9°N). It only needs to be deterministic.
func metreToLL(p orb.Point) orb.Point {
	return orb.Point{2.4 + p[0]*1e-5, 44.9 + p[1]*1e-5}
}

func llPolygon(p orb.Polygon) orb.Polygon { return unprojectPolygon(p, metreToLL) }

// opt is a shorthand for an evaluated option.
func opt(t coverage.Tech, feasible bool, capex, opexYear, npv float64, premises int, down, up, lat float64, reasons ...coverage.Reason) coverage.Option {
	o := coverage.Option{
		Tech: t, Feasible: feasible, Reasons: reasons,
		Money: coverage.Money{CapexEUR: capex, OpexEURPerYear: opexYear, PresentCostEUR: npv,
			NetworkCostEUR: 0.8 * npv, SubscriberCostEUR: 0.2 * npv, PublicCostEUR: capex * 0.5},
		DownMbps: down, UpMbps: up, LatencyMs: lat,
	}
	o.CapexByItem[coverage.ItemRoute] = capex
	if premises > 0 {
		o.PresentCostPerPremiseEUR = npv / float64(premises)
	}
	if feasible {
		o.PremisesServed = premises
		o.UnitsServed = premises + 1
	}
	return o
}

// premiseSource is a premise-level plan over five zones in Cantal-like
// metres: a plain polygon, a MultiPolygon with a hole (and an open ring),
// a zone with no premises, a zone where nothing is feasible and a zone whose
// name needs CSV quoting. Figures are made up but consistent.
func premiseSource() *Source {
	zones := []coverage.Zone{
		{ID: "15014", Name: "Aurillac", Geom: orb.Polygon{square(0, 0, 1000, false)}, Population: 25000, Households: 12000},
		{ID: "15187", Name: "Saint-Flour", Geom: orb.MultiPolygon{
			{square(2000, 0, 1000, false), square(2400, 400, 200, false)},
			{square(3500, 0, 500, true)},
		}, Population: 6500},
		{ID: "01001", Name: "L'Abergement-Clémenciat", Geom: orb.Polygon{square(0, 2000, 1000, false)}},
		{ID: "15090", Name: "L'Hôpital", Geom: orb.Polygon{square(2000, 2000, 1000, false)}},
		{ID: "15138", Name: `Neuvéglise-sur-Truyère, "bourg"`, Geom: orb.Polygon{square(4000, 2000, 1000, false)}},
	}
	premises := []coverage.Premise{
		{ID: "p1", Pt: orb.Point{100, 100}, Units: 1, Kind: coverage.KindHousehold},
		{ID: "p2", Pt: orb.Point{500, 500}, Units: 4, Kind: coverage.KindBusiness},
		{ID: "p3", Pt: orb.Point{900, 900}, Units: 1, Kind: coverage.KindSchool},
		{ID: "15187_b,1", Pt: orb.Point{2100, 100}, Units: 2, Kind: coverage.KindPublic},
		{ID: "p5", Pt: orb.Point{3600, 100}, Units: 1, Kind: coverage.KindHousehold},
		{ID: "p6", Pt: orb.Point{2500, 2500}, Units: 1, Kind: coverage.KindOther},
		{ID: "p7", Pt: orb.Point{9000, 9000}, Units: 1, Kind: coverage.KindHousehold},
		{ID: "p8", Pt: orb.Point{4500, 2500}, Units: 3, Kind: coverage.KindHousehold},
	}
	inf := math.Inf(1)
	measures := []coverage.PremiseMeasure{
		{Zone: 0, FibreDistM: 0, NodeDistM: 141.4213562, FibreNode: 0, Passed: true, APs: 1},
		{Zone: 0, FibreDistM: 565.685424949238, NodeDistM: 565.685424949238, FibreNode: 0, APs: 2},
		{Zone: 0, FibreDistM: 1131.3708498984761, NodeDistM: 1131.3708498984761, FibreNode: 0},
		{Zone: 1, FibreDistM: 2102.3796041628637, NodeDistM: 2102.3796041628637, FibreNode: 0, APs: 1},
		{Zone: 1, FibreDistM: 3601.3886210738226, NodeDistM: 3601.3886210738226, FibreNode: 0, APs: 1},
		{Zone: 3, FibreDistM: 3535.5339059327378, NodeDistM: 3535.5339059327378, FibreNode: 0},
		{Zone: -1, FibreDistM: 12727.922061357855, NodeDistM: 12727.922061357855, FibreNode: 0},
		{Zone: 4, FibreDistM: inf, NodeDistM: inf, FibreNode: -1},
	}
	plans := []coverage.ZonePlan{
		{Zone: 0, Premises: 3, Units: 6, Chosen: coverage.TechFibre, MeetsTarget: true,
			Options: [coverage.NumTechs]coverage.Option{
				coverage.TechFibre: opt(coverage.TechFibre, true, 123456.789, 3703.7, 173789.456, 3, 1000, 500, 5),
				coverage.TechWifi:  opt(coverage.TechWifi, true, 45000, 2100, 73540.12, 3, 50, 10, 15),
				coverage.TechLEO:   opt(coverage.TechLEO, true, 1047, 1440, 20616.25, 3, 150, 15, 35, coverage.SatObstructed),
				coverage.TechGEO:   opt(coverage.TechGEO, false, 1200, 1260, 18323.5, 3, 50, 5, 600, coverage.SatLatency),
			}},
		{Zone: 1, Premises: 2, Units: 3, Chosen: coverage.TechWifi, MeetsTarget: true, Reasons: []coverage.Reason{coverage.FibreOverThreshold},
			Options: [coverage.NumTechs]coverage.Option{
				coverage.TechFibre: opt(coverage.TechFibre, false, 2.5e6, 75000, 3.6e6, 2, 1000, 500, 5, coverage.FibreOverThreshold, coverage.FibreTooFar),
				coverage.TechWifi:  opt(coverage.TechWifi, true, 30000.005, 1200, 46308.999, 2, 30, 5, 12.25),
				coverage.TechLEO:   opt(coverage.TechLEO, true, 698, 960, 13744.17, 2, 150, 15, 35),
				coverage.TechGEO:   opt(coverage.TechGEO, false, 800, 840, 12215.67, 2, 50, 5, 600, coverage.SatLatency),
			}},
		{Zone: 2},
		{Zone: 3, Premises: 1, Units: 1, Chosen: coverage.TechLEO, MeetsTarget: true,
			Options: [coverage.NumTechs]coverage.Option{
				coverage.TechFibre: opt(coverage.TechFibre, false, 190000, 5700, 267000, 1, 1000, 500, 5, coverage.FibreOverThreshold),
				coverage.TechWifi:  opt(coverage.TechWifi, false, 0, 0, 0, 1, 0, 0, 0, coverage.WifiNoSite),
				coverage.TechLEO:   opt(coverage.TechLEO, true, 349, 480, 6872.08, 1, 150, 15, 35),
				coverage.TechGEO:   opt(coverage.TechGEO, false, 400, 420, 6107.83, 1, 50, 5, 600, coverage.SatLatency),
			}},
		{Zone: 4, Premises: 1, Units: 3, Chosen: coverage.TechNone, Reasons: []coverage.Reason{coverage.BelowTarget},
			Options: [coverage.NumTechs]coverage.Option{
				coverage.TechFibre: opt(coverage.TechFibre, false, 0, 0, 0, 1, 0, 0, 0, coverage.FibreTooFar),
				coverage.TechWifi:  opt(coverage.TechWifi, false, 0, 0, 0, 1, 0, 0, 0, coverage.WifiNoSite),
				coverage.TechLEO:   opt(coverage.TechLEO, false, 349, 480, 6872.08, 1, 150, 15, 35, coverage.SatCapacity),
				coverage.TechGEO:   opt(coverage.TechGEO, false, 400, 420, 6107.83, 1, 50, 5, 600, coverage.SatLatency, coverage.BelowTarget),
			}},
	}
	// Counts by serving technology (p3 leaves the fibre tree: hybrid) and
	// by kind, as coverage.Evaluate fills them.
	plans[0].Mix[coverage.TechFibre], plans[0].Mix[coverage.TechLEO] = 2, 1
	plans[1].Mix[coverage.TechWifi] = 2
	plans[3].Mix[coverage.TechLEO] = 1
	plans[4].Mix[coverage.TechNone] = 1
	for i, p := range premises {
		if z := measures[i].Zone; z >= 0 {
			plans[z].ByKind[p.Kind]++
			if plans[z].MeetsTarget {
				plans[z].Reached[p.Kind]++
			}
		}
	}
	plans[1].Reached[coverage.KindHousehold] = 0 // p5: beyond reach, not served

	// A NaN must never reach the output: the model could divide by zero.
	plans[3].Options[coverage.TechGEO].PresentCostEUR = math.NaN()

	premiseTech := []coverage.Tech{
		coverage.TechFibre, coverage.TechFibre, coverage.TechLEO, // hybrid: p3 leaves the fibre tree
		coverage.TechWifi, coverage.TechWifi, coverage.TechLEO, coverage.TechNone, coverage.TechNone,
	}
	in := &coverage.Input{Zones: zones, Premises: premises}
	zonesLL := make([]orb.Geometry, len(zones))
	for i := range zones {
		zonesLL[i] = zoneGeometryLL(&Source{Input: in, Unproject: metreToLL}, i)
	}
	return &Source{
		Plan:      summed(&coverage.Plan{Zones: plans, PremiseTech: premiseTech, Premises: len(premises), Unzoned: 1}),
		Input:     in,
		Measures:  measures,
		ZonesLL:   zonesLL,
		Unproject: metreToLL,
		Meta:      premiseMeta(),
	}
}

// premiseMeta is premiseSource's run: its inputs, skips and findings.
func premiseMeta() Meta {
	return Meta{
		Title:   "Cantal (15), test",
		Version: "0.0.0-test",
		Frame:   "EPSG:2154 Lambert-93",
		Inputs: []InputFile{
			{Role: "zones", Name: "communes.geojson", SHA256: "5f1d0c2a", Records: 5, CRS: "EPSG:4326"},
			{Role: "premises", Name: "premises.csv", SHA256: "a3b4c5d6", Records: 8, Skipped: 3, CRS: "EPSG:4326 (assumed from coordinate ranges)"},
		},
		Skipped: []SkipCount{
			{File: "premises.csv", Reason: "no coordinates", Count: 2},
			{File: "communes.geojson", Reason: "not a polygon", Count: 1},
			{File: "premises.csv", Reason: "bad units", Count: 1},
			{File: "premises.csv", Reason: "no coordinates", Count: 0},
		},
		Findings: []Finding{
			{File: "communes.geojson", Code: "unclosed-ring", Severity: "repaired", Count: 1,
				Message:  "unclosed ring(s) closed (the first position repeated at the end)",
				Examples: []string{`feature 0 (id "15014") at 2.400000,44.900000: ring 0`}},
			{File: "premises.csv", Code: "skipped", Severity: "skipped", Count: 2, Message: "record(s) skipped: no coordinates",
				Examples: []string{"line 4: lon empty", "line 9: lat empty"}},
			{File: "premises.csv", Code: "outside-zones", Severity: "warning", Count: 1, Message: "premises outside every zone (not planned)",
				Hint:     "near the zones: a zone missing, or premises just across its boundary",
				Examples: []string{`line 7 (id "p7") at 2.100000,44.800000`}},
		},
	}
}

// zoneLevelSource is a zone-level, phased plan (no premises, counts from
// zone populations), with a zone left unscheduled by the annual budget.
func zoneLevelSource() *Source {
	zones := []coverage.Zone{
		{ID: "15001", Name: "Allanche", Geom: orb.Polygon{square(0, 0, 3000, false)}, Population: 720, Households: 390},
		{ID: "15002", Name: "Alleuze", Geom: orb.MultiPolygon{{square(4000, 0, 2000, false)}, {square(7000, 0, 1000, false)}}, Population: 180, Households: 95},
		{ID: "15003", Name: "Anglards-de-Saint-Flour", Geom: orb.Polygon{square(0, 4000, 3000, false)}, Population: 330, Households: 170},
	}
	all := func(fibreOK bool, n int) [coverage.NumTechs]coverage.Option {
		var r []coverage.Reason
		if !fibreOK {
			r = []coverage.Reason{coverage.OverBudget}
		}
		return [coverage.NumTechs]coverage.Option{
			coverage.TechFibre: opt(coverage.TechFibre, fibreOK, float64(n)*2100, float64(n)*63, float64(n)*2950.5, n, 1000, 500, 5, r...),
			coverage.TechWifi:  opt(coverage.TechWifi, true, float64(n)*900, float64(n)*40, float64(n)*1500.25, n, 40, 8, 15),
			coverage.TechLEO:   opt(coverage.TechLEO, true, float64(n)*349, float64(n)*480, float64(n)*6872.08, n, 150, 15, 35),
			coverage.TechGEO:   opt(coverage.TechGEO, false, float64(n)*400, float64(n)*420, float64(n)*6107.83, n, 50, 5, 600, coverage.SatLatency),
		}
	}
	plans := []coverage.ZonePlan{
		{Zone: 0, Premises: 390, Units: 410, Options: all(true, 390), Chosen: coverage.TechFibre, MeetsTarget: true, Year: 2, ZoneLevel: true},
		{Zone: 1, Premises: 95, Units: 95, Options: all(true, 95), Chosen: coverage.TechFibre, MeetsTarget: true, Year: 1, ZoneLevel: true},
		{Zone: 2, Premises: 170, Units: 172, Options: all(false, 170), Chosen: coverage.TechWifi, MeetsTarget: true,
			Reasons: []coverage.Reason{coverage.OverBudget}, ZoneLevel: true},
	}
	// Counts by serving technology, as coverage.Decide fills them.
	for i := range plans {
		plans[i].Mix[plans[i].Chosen] = plans[i].Premises
	}
	in := &coverage.Input{Zones: zones}
	return &Source{
		Plan:      summed(&coverage.Plan{Zones: plans, ZoneLevel: true}),
		Input:     in,
		Unproject: metreToLL, // no ZonesLL: the writer unprojects
		Meta: Meta{
			Version: "0.0.0-test",
			Frame:   "EPSG:2154 Lambert-93",
			Inputs: []InputFile{
				{Role: "zones", Name: "communes-15.geojson", SHA256: "0123abcd", Records: 3, CRS: "EPSG:4326"},
			},
		},
	}
}

// summed returns p with its totals computed from its zones, as Decide
// leaves a plan (hand-built plans in tests).
func summed(p *coverage.Plan) *coverage.Plan {
	p.SumZones()
	return p
}
