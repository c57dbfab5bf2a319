package coverage

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// zoneScenario is handScenario with premises spread evenly (the
// settlement estimate off: tree = c·√(n·A)), FWA on new $40k masts, and
// the 5 % LEO obstruction back, for the zone-level figures by hand.
func zoneScenario(t *testing.T, sets ...string) Scenario {
	t.Helper()
	return handScenario(t, append([]string{"zone_level.tree_m_per_premise=10000", "leo.obstructed_share=0.05",
		"wifi.fwa.site_eur=40000", "wifi.fwa.tower_share=0"}, sets...)...)
}

// TestZoneLevelByHand: no premises; a 2 km square with 100 premises and an
// active node at its centre.
//
//	fibre: mean node distance ½·√(4,000,000 ÷ 1) = 1,000 m (× 1.2 < 20 km reach)
//	       feeder 0 (node inside); tree 0.65 × √(100 × 4,000,000) = 13,000 m
//	       route 15,600 m × 40.2 = 627,120 €; 70 subscribers: 42,000 € + ⌈70/32⌉ = 3 ports
//	       CAPEX = 672,120 €
//	FWA:   sites shared with the neighbours: the zone takes the larger of its
//	       area share (4 km² ÷ 166.28 km² a site covers) and its load share
//	       (100 × 0.7 × 3.75 = 262.5 of 637.5 Mbit/s): 0.41176 of a site
//	       CAPEX = 0.41176 × (40,000 + 20,000) + 0 backhaul (node at the centroid) + 300 × 70 = 45,705.88 €
//	       speed = min(100, 30 × 637.5 × 0.41176 ÷ 262.5) = 30 Mbit/s (sized for the target)
//	LEO:   round(100 × 5 %) = 5 obstructed; 95 × 0.7 = 66.5 kits × 349 = 23,208.5 €
//
// The second zone has only a population: 154 × 0.65 = 100.1 → 100 premises.
func TestZoneLevelByHand(t *testing.T) {
	in := &Input{
		Zones: []Zone{
			{ID: "a", Geom: square(0, 0, 2000), Premises: 100},
			{ID: "b", Geom: square(2000, 0, 2000), Population: 154},
			{ID: "c", Geom: square(4000, 0, 2000)},
		},
		Network: Network{Nodes: []FibreNode{{ID: "n", Pt: orb.Point{1000, 1000}, Active: true}}},
	}
	p, err := planOf(in, nil, nil, zoneScenario(t))
	if err != nil {
		t.Fatal(err)
	}
	if !p.ZoneLevel || p.PremiseTech != nil {
		t.Fatal("not zone level")
	}
	a := p.Zones[0]
	if !a.ZoneLevel || a.Premises != 100 {
		t.Fatalf("zone a: %+v", a)
	}
	near(t, "fibre capex", a.Options[TechFibre].CapexEUR, 672120, 1e-6)
	w := a.Options[TechWifi]
	near(t, "fwa sites", w.Sites, 262.5/637.5, 1e-12)
	near(t, "fwa capex", w.CapexEUR, 262.5/637.5*60000+21000, 1e-6)
	near(t, "fwa down", w.DownMbps, 30, 1e-9)
	l := a.Options[TechLEO]
	if l.PremisesServed != 95 || !hasReason(l.Reasons, SatObstructed) {
		t.Errorf("leo %+v", l)
	}
	near(t, "leo capex", l.CapexEUR, 23208.5, 1e-6)
	if p.Zones[1].Premises != 100 {
		t.Errorf("zone b premises %d", p.Zones[1].Premises)
	}
	if c := p.Zones[2]; c.Premises != 0 || c.Chosen != TechNone {
		t.Errorf("zone c %+v", c)
	}
	if p.Premises != 200 || p.PremisesByKind[KindHousehold] != 200 {
		t.Errorf("plan premises %d", p.Premises)
	}
	// Far from any node (1,414 km): a share of a new node shared with the
	// neighbours — the larger of its area share of one 16.7 km GPON disc
	// (4 km² ÷ 872.66 km² = 0.0046) and its premises' share of a node (100
	// ÷ 20,000 = 0.005) — with that share of its leased transit (> 50 km):
	//	route 13,000 × 1.2 = 15,600 m × 40.2 = 627,120 €
	//	CAPEX = 627,120 + 0.005 × (200,000 + 50,000) + 42,000 + 3,000 = 673,370 €
	in.Nodes[0].Pt = orb.Point{1e6, 1e6}
	p, _ = planOf(in, nil, nil, zoneScenario(t))
	o := p.Zones[0].Options[TechFibre]
	near(t, "far fibre capex", o.CapexEUR, 673370, 1e-6)
	near(t, "far fibre nodes", o.NewNodes, 0.005, 1e-12)
	if !o.Feasible || len(o.Reasons) != 0 {
		t.Errorf("far fibre %+v", o)
	}
	// FWA there: microwave hops to a point of presence on leased transit,
	// the zone's area share of a placement tile (32 km square) of it.
	//	CAPEX = 0.41176 × (60,000 site + 15,000 hop) + 4 ÷ 1,024 × 50,000 + 21,000 CPE
	w = p.Zones[0].Options[TechWifi]
	near(t, "far fwa capex", w.CapexEUR, 262.5/637.5*75000+4.0/1024*50000+21000, 1e-6)
	if !w.Feasible {
		t.Errorf("far fwa %+v", w)
	}
	// New nodes forbidden: too far, and no wireless backhaul either.
	sc := zoneScenario(t)
	sc.Fibre.AllowNewNodes = false
	p, _ = planOf(in, nil, nil, sc)
	if o := p.Zones[0].Options[TechFibre]; o.Feasible || !hasReason(o.Reasons, FibreTooFar) || o.PremisesUnserved != 100 {
		t.Errorf("far fibre, no new nodes %+v", o)
	}
	if w := p.Zones[0].Options[TechWifi]; w.Feasible || !hasReason(w.Reasons, WifiNoSite) {
		t.Errorf("far fwa, no new nodes %+v", w)
	}
}

// TestZoneLevelServedShare: zone a's left half (x < 1,000) is an active
// served area. The 32 × 32 lattice (step 62.5 m, centres at 31.25 + 62.5 i)
// puts exactly 16 columns inside: share 0.5, 50 premises passed.
//
//	rest: 50 premises over 2 km²; node inside: feeder 0
//	tree 0.65 × √(50 × 2,000,000) = 6,500 m → 7,800 m × 40.2 = 313,560 €
//	70 subscribers: 42,000 € + 3 ports 3,000 € → CAPEX 358,560 €
//
// A zone fully inside pays connections only; a triangle over half the zone
// (diagonal boundary) is within 2 points of 0.5.
func TestZoneLevelServedShare(t *testing.T) {
	in := &Input{
		Zones: []Zone{
			{ID: "a", Geom: square(0, 0, 2000), Premises: 100},
			{ID: "b", Geom: square(10000, 0, 2000), Premises: 100},
			{ID: "c", Geom: square(20000, 0, 2000), Premises: 100},
		},
		Network: Network{
			Nodes: []FibreNode{{ID: "n", Pt: orb.Point{1000, 1000}, Active: true}},
			Served: []ServedArea{
				{ID: "half", Geom: orb.Polygon{orb.Ring{{-10, -10}, {1000, -10}, {1000, 2010}, {-10, 2010}, {-10, -10}}}, Active: true},
				{ID: "all", Geom: square(9000, -1000, 4000), Active: true},
				{ID: "tri", Geom: orb.Polygon{orb.Ring{{19000, -1000}, {23000, 3000}, {19000, 3000}, {19000, -1000}}}, Active: true},
				{ID: "off", Geom: square(0, 0, 2000), Active: false},
			},
		},
	}
	p, err := planOf(in, nil, nil, zoneScenario(t))
	if err != nil {
		t.Fatal(err)
	}
	a := p.Zones[0].Options[TechFibre]
	near(t, "half capex", a.CapexEUR, 358560, 1e-6)
	if a.PassedPremises != 50 || a.PremisesServed != 100 || a.NewNodes != 0 {
		t.Errorf("half: %+v", a)
	}
	near(t, "half cost per passed", a.CostPerPassedEUR, 313560.0/50, 1e-6)
	b := p.Zones[1].Options[TechFibre]
	near(t, "all capex", b.CapexEUR, 45000, 1e-6)
	if b.PassedPremises != 100 || b.RouteM != 0 {
		t.Errorf("all: %+v", b)
	}
	c := p.Zones[2].Options[TechFibre]
	if c.PassedPremises < 48 || c.PassedPremises > 52 {
		t.Errorf("triangle: %d passed, want 50 ± 2", c.PassedPremises)
	}
	// Premises 3 times denser in the served half: 3 × ½ ÷ (3 × ½ + ½)
	// = 75 % passed; the other 25 over the other half:
	//	tree 0.65 × √(25 × 2,000,000) = 4,596.19 m × 1.2 × 40.2
	sc := zoneScenario(t)
	sc.ZoneLevel.ServedDensityRatio = 3
	p, _ = planOf(in, nil, nil, sc)
	a = p.Zones[0].Options[TechFibre]
	if a.PassedPremises != 75 {
		t.Errorf("ρ = 3: %d passed, want 75", a.PassedPremises)
	}
	near(t, "ρ = 3 route", a.RouteM, 0.65*math.Sqrt(25*2e6)*1.2, 1e-6)
}

func TestEvaluateErrors(t *testing.T) {
	in := handInput()
	if _, err := planOf(in, nil, nil, DefaultScenario()); err == nil {
		t.Error("missing measures accepted")
	}
	sc := DefaultScenario()
	sc.Fibre.RouteFactor = 0
	ix := NewIndex(in)
	if _, err := planOf(in, ix, ix.Measure(in.Premises, 1), sc); err == nil {
		t.Error("route factor 0 accepted")
	}
}

// TestZoneLevelHybrid: zone a of TestZoneLevelServedShare under the hybrid
// policy: its 50 passed premises keep fibre for their connection, the
// other 50 take the cheapest alternative at its cost per premise.
//
//	fibre part: 35 subscribers × 600 € + ⌈35/32⌉ = 2 ports × 1,000 € = 23,000 €
//	present cost = 23,000 + 690 × 13.590326 + (2,000 + 35 × 100) × 1.04⁻¹⁰ = 36,092.93 €
//	built present cost = 36,092.93 + ½ × the alternative's (it serves all 100)
func TestZoneLevelHybrid(t *testing.T) {
	in := &Input{
		Zones: []Zone{{ID: "a", Geom: square(0, 0, 2000), Premises: 100}},
		Network: Network{
			Nodes:  []FibreNode{{ID: "n", Pt: orb.Point{1000, 1000}, Active: true}},
			Served: []ServedArea{{ID: "half", Geom: orb.Polygon{orb.Ring{{-10, -10}, {1000, -10}, {1000, 2010}, {-10, 2010}, {-10, -10}}}, Active: true}},
		},
	}
	sc := zoneScenario(t)
	sc.Policy = PolicyHybrid
	p, err := planOf(in, nil, nil, sc)
	if err != nil {
		t.Fatal(err)
	}
	zp := p.Zones[0]
	alt := TechNone
	for _, t := range Techs[1:] {
		if zp.Mix[t] > 0 {
			alt = t
		}
	}
	// A tie (50 and 50) reports fibre as the zone's technology.
	if zp.Chosen != TechFibre || alt == TechNone || zp.Mix[TechFibre] != 50 || zp.Mix[alt] != 50 {
		t.Fatalf("chosen %v mix %v", zp.Chosen, zp.Mix)
	}
	fibreNPV := 23000 + 690*annuity(0.04, 20) + 5500*math.Pow(1.04, -10)
	near(t, "fibre part", fibreNPV, 36092.93, 0.01)
	near(t, "built present cost", zp.Built.PresentCostEUR, fibreNPV+0.5*zp.Options[alt].PresentCostEUR, 1e-6)
	if zp.Built.PassedPremises != 50 || zp.Built.PremisesServed != 100 || !zp.MeetsTarget {
		t.Errorf("built %+v", zp.Built)
	}
	if zp.Built.PresentCostPerPremiseEUR >= zp.Options[alt].PresentCostPerPremiseEUR {
		t.Errorf("hybrid %.2f €/premise not below %v %.2f", zp.Built.PresentCostPerPremiseEUR, alt, zp.Options[alt].PresentCostPerPremiseEUR)
	}
}

// TestSkyFallback: LEO is made the cheapest option (fibre connections and
// FWA CPE priced out) under us-bead (GEO's latency misses it). Its 5 %
// obstructed premises (5 of 100) take the next-cheapest usable option, at
// 5 ÷ 100 of its cost; the zone stays LEO with SAT_OBSTRUCTED.
func TestSkyFallback(t *testing.T) {
	in := &Input{
		Zones:   []Zone{{ID: "a", Geom: square(0, 0, 2000), Premises: 100}},
		Network: Network{Nodes: []FibreNode{{ID: "n", Pt: orb.Point{1000, 1000}, Active: true}}},
	}
	sc := DefaultScenario()
	for _, kv := range [][2]string{{"target", "us-bead"}, {"fibre.connection_eur", "100000"}, {"wifi.fwa.cpe_eur", "10000"}} {
		if err := sc.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	p, err := planOf(in, nil, nil, sc)
	if err != nil {
		t.Fatal(err)
	}
	zp := p.Zones[0]
	lo := zp.Options[TechLEO]
	if zp.Chosen != TechLEO || lo.PremisesServed != 95 || !hasReason(zp.Reasons, SatObstructed) {
		t.Fatalf("chosen %v, leo %+v, reasons %v", zp.Chosen, lo, zp.Reasons)
	}
	fb := TechNone // the cheapest usable option but LEO
	for _, u := range []Tech{TechFibre, TechWifi, TechGEO} {
		if o := zp.Options[u]; o.Feasible && (fb == TechNone || o.PresentCostPerPremiseEUR < zp.Options[fb].PresentCostPerPremiseEUR) {
			fb = u
		}
	}
	fo := zp.Options[fb]
	if zp.Mix[TechLEO] != 95 || zp.Mix[fb] != 5 || zp.Mix[TechNone] != 0 {
		t.Errorf("mix %v (fallback %v)", zp.Mix, fb)
	}
	b := zp.Built
	near(t, "built present cost", b.PresentCostEUR, lo.PresentCostEUR+0.05*fo.PresentCostEUR, 1e-6)
	near(t, "built capex", b.CapexEUR, lo.CapexEUR+0.05*fo.CapexEUR, 1e-6)
	if b.PremisesServed != 100 || b.PremisesUnserved != 0 || b.Tech != TechLEO || p.Zones[0].Reached[KindHousehold] != 100 {
		t.Errorf("built %+v", b)
	}
	// Under the budget policy the fallback is not added.
	sc.Policy = PolicyBudget
	sc.BudgetEUR = 1e9
	if p, err = planOf(in, nil, nil, sc); err != nil {
		t.Fatal(err)
	}
	if zp := p.Zones[0]; zp.Chosen == TechLEO && zp.Mix[TechNone] != 5 {
		t.Errorf("budget: mix %v", zp.Mix)
	}
}
