package coverage

import (
	"testing"

	"github.com/paulmach/orb"
)

// TestZoneLevelByHand: no premises; a 2 km square with 100 households and
// an active node at its centre.
//
//	fibre: mean node distance ½·√(4,000,000 ÷ 1) = 1,000 m (× 1.2 < 20 km reach)
//	       feeder 0 (node inside); tree 0.65 × √(100 × 4,000,000) = 13,000 m
//	       route 15,600 m × 40.2 = 627,120 €; 70 subscribers: 42,000 € + ⌈70/32⌉ = 3 ports
//	       CAPEX = 672,120 €
//	FWA:   one 8 km site covers the area; load 100 × 0.7 × 3.75 = 262.5 ≤ 637.5 Mbit/s
//	       CAPEX = 40,000 + 20,000 + 0 backhaul (node at the centroid) + 300 × 70 = 81,000 €
//	       speed = min(100, 30 × 637.5 ÷ 262.5) = 72.857 Mbit/s
//	LEO:   round(100 × 5 %) = 5 obstructed; 95 × 0.7 = 66.5 kits × 349 = 23,208.5 €
//
// The second zone has only a population: 210 ÷ 2.1 = 100 households.
func TestZoneLevelByHand(t *testing.T) {
	in := &Input{
		Zones: []Zone{
			{ID: "a", Geom: square(0, 0, 2000), Households: 100},
			{ID: "b", Geom: square(2000, 0, 2000), Population: 210},
			{ID: "c", Geom: square(4000, 0, 2000)},
		},
		Network: Network{Nodes: []FibreNode{{ID: "n", Pt: orb.Point{1000, 1000}, Active: true}}},
	}
	p, err := Evaluate(in, nil, nil, DefaultScenario())
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
	if w.Sites != 1 {
		t.Errorf("sites %d", w.Sites)
	}
	near(t, "fwa capex", w.CapexEUR, 81000, 1e-6)
	near(t, "fwa down", w.DownMbps, 30*637.5/262.5, 1e-9)
	l := a.Options[TechLEO]
	if l.PremisesServed != 95 || !hasReason(l.Reasons, SatObstructed) {
		t.Errorf("leo %+v", l)
	}
	near(t, "leo capex", l.CapexEUR, 23208.5, 1e-6)
	if p.Zones[1].Premises != 100 {
		t.Errorf("zone b households %d", p.Zones[1].Premises)
	}
	if c := p.Zones[2]; c.Premises != 0 || c.Chosen != TechNone {
		t.Errorf("zone c %+v", c)
	}
	if p.Premises != 200 || p.PremisesByKind[KindHousehold] != 200 {
		t.Errorf("plan premises %d", p.Premises)
	}
	// Far from any node: fibre is too far at zone level too.
	in.Nodes[0].Pt = orb.Point{1e6, 1e6}
	p, _ = Evaluate(in, nil, nil, DefaultScenario())
	if o := p.Zones[0].Options[TechFibre]; o.Feasible || !hasReason(o.Reasons, FibreTooFar) {
		t.Errorf("far fibre %+v", o)
	}
}

func TestEvaluateErrors(t *testing.T) {
	in := handInput()
	if _, err := Evaluate(in, nil, nil, DefaultScenario()); err == nil {
		t.Error("missing measures accepted")
	}
	sc := DefaultScenario()
	sc.Fibre.RouteFactor = 0
	ix := NewIndex(in)
	if _, err := Evaluate(in, ix, ix.Measure(in.Premises, 1), sc); err == nil {
		t.Error("route factor 0 accepted")
	}
}
