package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// evaluatedSource runs the real planner (coverage.Measure and Evaluate)
// over a small seeded area: 3×3 zones of 2 km with villages and scattered
// farms, a fibre node and line, a few access points, and a zone with no
// premises. zoneLevel drops the premises.
func evaluatedSource(t *testing.T, seed uint64, sc coverage.Scenario, zoneLevel bool) *Source {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	const cell = 2000.0
	in := &coverage.Input{}
	for i := range 9 {
		x, y := float64(i%3)*cell, float64(i/3)*cell
		in.Zones = append(in.Zones, coverage.Zone{
			ID: fmt.Sprintf("%05d", 15001+i), Name: fmt.Sprintf("Commune n°%d, \"test\"", i),
			Geom: orb.Polygon{square(x, y, cell, false)}, Population: 200 + 50*i, Households: 90 + 20*i,
		})
	}
	if !zoneLevel {
		for i := range 400 {
			z := rng.IntN(8) // zone 8 stays empty
			cx, cy := float64(z%3)*cell+cell/2, float64(z/3)*cell+cell/2
			spread := 150.0
			if i%7 == 0 {
				spread = 600 // farms
			}
			p := orb.Point{cx + rng.NormFloat64()*spread, cy + rng.NormFloat64()*spread}
			p[0] = min(max(p[0], float64(z%3)*cell+1), float64(z%3+1)*cell-1)
			p[1] = min(max(p[1], float64(z/3)*cell+1), float64(z/3+1)*cell-1)
			in.Premises = append(in.Premises, coverage.Premise{
				ID: "p" + strconv.Itoa(i), Pt: p, Units: int32(1 + rng.IntN(3)), Kind: coverage.Kind(rng.IntN(int(coverage.NumKinds))),
			})
		}
		// One premise outside every zone.
		in.Premises = append(in.Premises, coverage.Premise{ID: "outside", Pt: orb.Point{-500, -500}, Units: 1})
	}
	in.Nodes = []coverage.FibreNode{{ID: "nro1", Pt: orb.Point{1000, 1000}, Active: true}}
	in.Lines = []coverage.FibreLine{{ID: "l1", Line: orb.LineString{{1000, 1000}, {5000, 1000}}, Active: true}}
	in.Served = []coverage.ServedArea{{ID: "s1", Geom: orb.Polygon{square(800, 800, 400, false)}, Active: true}}
	in.APs = []coverage.AccessPoint{
		{ID: "ap1", Pt: orb.Point{3000, 3000}, RangeM: 800, Operational: true},
		{ID: "ap2", Pt: orb.Point{5000, 5000}, RangeM: 300, Operational: false},
	}
	ix := coverage.NewIndex(in)
	var ms []coverage.PremiseMeasure
	if !zoneLevel {
		ms = ix.Measure(in.Premises, 1)
	}
	ev, err := coverage.Evaluate(in, ix, ms, sc, coverage.EvaluateOptionsFor(sc))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := coverage.Decide(ev, sc)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return &Source{Plan: plan, Input: in, Measures: ms, Unproject: metreToLL, Meta: Meta{Version: "test"}}
}

var knownReasons = map[string]bool{}

func init() {
	for _, r := range []coverage.Reason{coverage.FibreTooFar, coverage.FibreOverThreshold, coverage.WifiNoSite,
		coverage.WifiCapacity, coverage.SatLatency, coverage.SatCapacity, coverage.SatObstructed,
		coverage.BelowTarget, coverage.OverBudget} {
		knownReasons[string(r)] = true
	}
}

// TestOutputsFromEvaluate writes every output for plans made by the real
// planner under each policy and checks the contract's invariants: not the
// model's figures (its own tests do), but that the files agree with the
// plan and with each other.
func TestOutputsFromEvaluate(t *testing.T) {
	const seed = 20261130
	type tc struct {
		name      string
		zoneLevel bool
		edit      func(*coverage.Scenario)
	}
	cases := []tc{
		{"least-cost", false, nil},
		{"hybrid", false, func(s *coverage.Scenario) { s.Policy = coverage.PolicyHybrid }},
		{"fibre-first/phased", false, func(s *coverage.Scenario) {
			s.Policy = coverage.PolicyFibreFirst
			s.AnnualBudgetEUR = 300_000
			s.Priority = []coverage.Kind{coverage.KindSchool, coverage.KindPublic}
		}},
		{"budget", false, func(s *coverage.Scenario) { s.Policy = coverage.PolicyBudget; s.BudgetEUR = 500_000 }},
		{"zone-level", true, nil},
		{"zone-level/phased", true, func(s *coverage.Scenario) { s.AnnualBudgetEUR = 400_000 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := coverage.DefaultScenario()
			sc.Target, _ = coverage.ParseTarget("us-bead") // GEO must fail it
			if c.edit != nil {
				c.edit(&sc)
			}
			src := evaluatedSource(t, seed, sc, c.zoneLevel)
			t.Logf("seed %d", seed)

			for _, w := range outputWriters {
				a, b := write(t, w.write, src), write(t, w.write, evaluatedSource(t, seed, sc, c.zoneLevel))
				if !bytes.Equal(a, b) {
					t.Errorf("%s: two runs differ", w.file)
				}
			}
			checkZonesCSVInvariants(t, src)
			checkSummaryMatchesCSV(t, src)
			gj := write(t, WriteZonesGeoJSON, src)
			if _, err := geojson.UnmarshalFeatureCollection(gj); err != nil {
				t.Fatalf("orb/geojson: %v", err)
			}
			checkGeoJSONMatchesCSV(t, gj, write(t, WriteZonesCSV, src))

			var sum struct {
				Summary
				Scenario json.RawMessage `json:"scenario"`
			}
			if err := json.Unmarshal(write(t, WriteSummaryJSON, src), &sum); err != nil {
				t.Fatal(err)
			}
			var back coverage.Scenario
			if err := json.Unmarshal(sum.Scenario, &back); err != nil {
				t.Fatalf("scenario does not read back: %v", err)
			}
			if !reflect.DeepEqual(back, src.Plan.Scenario) {
				t.Errorf("scenario read back differs:\n got %+v\nwant %+v", back, src.Plan.Scenario)
			}
			if sum.Target.Name != "us-bead" || sum.Target.PremisesReached == nil || len(sum.Target.ByKind) != int(coverage.NumKinds) {
				t.Errorf("target %+v", sum.Target)
			}
			if phased := sc.AnnualBudgetEUR > 0; phased != (sum.Rollout != nil) && hasYears(src.Plan) {
				t.Errorf("annual budget %v, rollout %+v", sc.AnnualBudgetEUR, sum.Rollout)
			}
			if !c.zoneLevel {
				if sum.Totals.PremisesOutsideZones != 1 {
					t.Errorf("premises outside zones %d, want 1", sum.Totals.PremisesOutsideZones)
				}
				_, prem := readCSV(t, write(t, WritePremisesCSV, src))
				if len(prem) != len(src.Input.Premises) || prem[len(prem)-1]["zone_id"] != "" {
					t.Errorf("premises.csv: %d rows for %d premises; last zone_id %q", len(prem), len(src.Input.Premises), prem[len(prem)-1]["zone_id"])
				}
			}
		})
	}
}

func hasYears(p *coverage.Plan) bool {
	for i := range p.Zones {
		if p.Zones[i].Year > 0 {
			return true
		}
	}
	return false
}

// checkZonesCSVInvariants checks each zones.csv row against the plan: known
// technologies and reason codes, chosen-option columns empty exactly when
// nothing is chosen, and counts that add up.
func checkZonesCSVInvariants(t *testing.T, src *Source) {
	t.Helper()
	_, rows := readCSV(t, write(t, WriteZonesCSV, src))
	if len(rows) != len(src.Input.Zones) {
		t.Fatalf("%d rows for %d zones", len(rows), len(src.Input.Zones))
	}
	for i, r := range rows {
		zp := &src.Plan.Zones[i]
		if r["zone_id"] != src.Input.Zones[i].ID {
			t.Errorf("row %d zone_id %q", i, r["zone_id"])
		}
		if _, ok := coverage.ParseTech(r["technology"]); !ok {
			t.Errorf("row %d technology %q", i, r["technology"])
		}
		none := r["technology"] == "none"
		for _, col := range []string{"capex_eur", "present_cost_eur", "down_mbps", "latency_ms", "public_cost_eur"} {
			if (r[col] == "") != none {
				t.Errorf("row %d (%s) %s = %q", i, r["technology"], col, r[col])
			}
		}
		for col, v := range r {
			if col == "reasons" || strings.HasSuffix(col, "_reasons") {
				for _, code := range strings.Split(v, "|") {
					if v != "" && !knownReasons[code] {
						t.Errorf("row %d %s has unknown code %q", i, col, code)
					}
				}
			}
		}
		if r["meets_target"] != strconv.FormatBool(zp.MeetsTarget) {
			t.Errorf("row %d meets_target %q", i, r["meets_target"])
		}
		// The technology mix and the kinds add up to the zone's premises.
		if r["mix_fibre"] != "" {
			n := 0
			for _, tech := range []string{"fibre", "wifi", "leo", "geo", "none"} {
				v, _ := strconv.Atoi(r["mix_"+tech])
				n += v
			}
			if p, _ := strconv.Atoi(r["premises"]); n != p && !zp.ZoneLevel {
				t.Errorf("row %d: mix adds up to %d, premises %d", i, n, p)
			}
		}
	}
}
