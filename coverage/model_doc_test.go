package coverage

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// The worked examples of docs/model.md that use the default scenario (the
// fr cost preset). Each figure below is the one the page prints; the
// arithmetic is in the page, next to the test's name.

// docCommune is the page's commune: 400 premises known only as a count
// (zone level) on a 5 km × 4 km zone (20 km²), an active optical node at
// its centre.
func docCommune() *Input {
	return &Input{
		Zones:   []Zone{{ID: "c", Name: "Commune", Geom: orb.Polygon{box(0, 0, 5000, 4000)}, Premises: 400}},
		Network: Network{Nodes: []FibreNode{{ID: "nro", Pt: orb.Point{2500, 2000}, Active: true}}},
	}
}

// TestDocCommune: docs/model.md §9, the commune under the default
// scenario, each option on one cost basis.
//
//	settlements m = max(1, min(400 ÷ 10, 20 km² ÷ 1 km²)) = 20
//	tree = min(0.65·√(400 × 2·10⁷), 15 × (400 − 20) + 0.65·√(20 × 2·10⁷))
//	     = min(58,137.7, 5,700 + 13,000) = 18,700 m; route × 1.2 = 22,440 m
//	€/m = 0.53 × 10 + 0.31 × 20 + 0.16 × 70 = 22.70
//
// The expected figures per option are in the table; the choices per
// target and ranking below it.
func TestDocCommune(t *testing.T) {
	sc := DefaultScenario()
	near(t, "€/m", sc.Fibre.EURPerM(), 22.70, 1e-9)
	md := &model{sc: &sc}
	near(t, "settlement tree", md.settlementTree(400, 2e7), 18700, 1e-6)

	p, err := planOf(docCommune(), nil, nil, sc)
	if err != nil {
		t.Fatal(err)
	}
	z := p.Zones[0]
	for _, tc := range []struct {
		tech                                               Tech
		served                                             int
		subs, capex, network, subscriber, revenue, present float64
		npv, public, presentPerPremise, publicPerPremise   float64
		hasNPV                                             bool
	}{
		// fibre: route 22,440 × 22.70 = 513,876; passive 400 × 150; 280
		// connections × 600; ⌈280 ÷ 32⌉ = 9 ports × 1,000.
		{TechFibre, 400, 280, 746388, 1075693.57, 1598222.38, 593625.45, 2080290.49, -482068.11, 482068.11, 5200.73, 1205.17, true},
		// FWA: 1.6471 sites × (108,500 + 20,000) + 300 × 280 CPE.
		{TechWifi, 400, 280, 295647.06, 390006.76, 2022880.86, 593625.45, 1819262.17, 203618.70, 84000, 4548.16, 210, true},
		// LEO: 5 % obstructed, 380 served, 266 kits × 349.
		{TechLEO, 380, 266, 92834, 0, 2005224.24, 0, 2005224.24, 0, 79800, 5276.91, 210, false},
		// GEO: 266 kits × 299.
		{TechGEO, 380, 266, 79534, 0, 1966540.66, 0, 1966540.66, 0, 79534, 5175.11, 209.30, false},
	} {
		o := z.Options[tc.tech]
		name := tc.tech.String()
		if o.PremisesServed != tc.served || !o.Feasible || o.HasNPV != tc.hasNPV {
			t.Errorf("%s: served %d feasible %v npv %v", name, o.PremisesServed, o.Feasible, o.HasNPV)
		}
		near(t, name+" subscribers", o.Subscribers, tc.subs, 1e-9)
		near(t, name+" capex", o.CapexEUR, tc.capex, 0.01)
		near(t, name+" network cost", o.NetworkCostEUR, tc.network, 0.01)
		near(t, name+" subscriber cost", o.SubscriberCostEUR, tc.subscriber, 0.01)
		near(t, name+" revenue", o.RevenueEUR, tc.revenue, 0.01)
		near(t, name+" present cost", o.PresentCostEUR, tc.present, 0.01)
		near(t, name+" npv", o.NPVEUR, tc.npv, 0.01)
		near(t, name+" public cost", o.PublicCostEUR, tc.public, 0.01)
		near(t, name+" present cost per premise", o.CostPerPremise(RankTotal), tc.presentPerPremise, 0.01)
		near(t, name+" public cost per premise", o.CostPerPremise(RankPublic), tc.publicPerPremise, 0.01)
	}
	w := z.Options[TechWifi]
	near(t, "fwa sites", w.Sites, 1050/637.5, 1e-12)
	near(t, "fwa down", w.DownMbps, 30, 1e-9)
	near(t, "fibre route", z.Options[TechFibre].RouteM, 22440, 1e-6)

	for _, tc := range []struct {
		target, rankBy string
		chosen         Tech
		mix            [NumTechs]int
		reason         Reason // on every alternative, when set
	}{
		// present cost per premise: FWA 4,548.16 < GEO 5,175.11 < fibre 5,216.52 < LEO 5,276.91
		{"fr-thd", "", TechWifi, [NumTechs]int{TechWifi: 400}, ""},
		// public cost per premise: GEO 209.30 < FWA 210 = LEO 210 < fibre 1,220.96; GEO's
		// 20 obstructed premises fall back on FWA (tied with LEO, first in report order)
		{"fr-thd", "public", TechGEO, [NumTechs]int{TechWifi: 20, TechGEO: 380}, ""},
		// NPV: FWA's is positive (+509.05 a premise)
		{"fr-thd", "npv", TechWifi, [NumTechs]int{TechWifi: 400}, ""},
		// fibre CAPEX 1,877.19 a premise ≤ 6,000: the alternatives are not fibre-grade
		{"fr-2025", "", TechFibre, [NumTechs]int{TechFibre: 400}, FibrePreferred},
		// us-bead: GEO misses the latency; FWA sized for 100 Mbit/s costs 6,823.19 a premise
		{"us-bead", "", TechFibre, [NumTechs]int{TechFibre: 400}, ""},
		{"us-bead", "public", TechLEO, [NumTechs]int{TechFibre: 20, TechLEO: 380}, ""},
	} {
		sc := DefaultScenario()
		for _, kv := range [][2]string{{"target", tc.target}, {"policy.rank_by", tc.rankBy}} {
			if err := sc.Set(kv[0], kv[1]); err != nil {
				t.Fatal(err)
			}
		}
		p, err := planOf(docCommune(), nil, nil, sc)
		if err != nil {
			t.Fatal(err)
		}
		z := p.Zones[0]
		if z.Chosen != tc.chosen || z.Mix != tc.mix {
			t.Errorf("%s rank %q: chose %s mix %v, want %s %v", tc.target, tc.rankBy, z.Chosen, z.Mix, tc.chosen, tc.mix)
		}
		if tc.reason != "" {
			for _, a := range Techs[1:] {
				if o := z.Options[a]; o.Feasible || !hasReason(o.Reasons, tc.reason) {
					t.Errorf("%s: %s feasible %v reasons %v", tc.target, a, o.Feasible, o.Reasons)
				}
			}
		}
		switch tc.target {
		case "us-bead": // sized for 100 Mbit/s ÷ 8 per subscriber
			near(t, tc.target+" fwa per premise", z.Options[TechWifi].CostPerPremise(RankTotal), 6823.19, 0.01)
			near(t, tc.target+" fwa sites", z.Options[TechWifi].Sites, 280*12.5/637.5, 1e-12)
		case "fr-2025": // an alternative: sized for its 30 Mbit/s, as under fr-thd
			near(t, tc.target+" fwa per premise", z.Options[TechWifi].CostPerPremise(RankTotal), 4548.16, 0.01)
			near(t, tc.target+" fwa sites", z.Options[TechWifi].Sites, 1050/637.5, 1e-12)
		}
	}
	f := z.Options[TechFibre]
	near(t, "fibre capex per premise", f.CapexEUR/float64(f.PremisesServed), 1865.97, 0.01)
	near(t, "fwa npv per premise", w.NPVEUR/float64(w.PremisesServed), 509.05, 0.01)
}

// TestDocSharedFeeders: docs/model.md §3.3. A village of four premises
// straddles two grid cells, 2 km from the node: cell a joins the network
// (feeder 2,000 m, tree 100 m), cell b joins cell a across the cell edge
// (200 m, tree 100 m). Together they lay the route of the village as one
// zone: (2,000 + 100 + 200 + 100) × 1.2 = 2,880 m, at 22.70 €/m.
func TestDocSharedFeeders(t *testing.T) {
	village := func(zones ...Zone) *Input {
		return &Input{
			Zones: zones,
			Premises: []Premise{
				{ID: "a1", Pt: orb.Point{900, 500}, Units: 1}, {ID: "a2", Pt: orb.Point{900, 600}, Units: 1},
				{ID: "b1", Pt: orb.Point{1100, 500}, Units: 1}, {ID: "b2", Pt: orb.Point{1100, 600}, Units: 1},
			},
			Network: Network{Nodes: []FibreNode{{ID: "nro", Pt: orb.Point{900, -1500}, Active: true}}},
		}
	}
	sc := DefaultScenario()
	cells := evalSynth(t, village(Zone{ID: "a", Geom: square(0, 0, 1000)}, Zone{ID: "b", Geom: square(1000, 0, 1000)}), sc)
	one := evalSynth(t, village(Zone{ID: "ab", Geom: orb.Polygon{box(0, 0, 2000, 1000)}}), sc)
	for _, tc := range []struct {
		name       string
		o          Option
		routeM     float64
		routeEUR   float64
		capexEUR   float64
		passiveEUR float64
	}{
		{"cell a", cells.Zones[0].Options[TechFibre], 2520, 57204, 59344, 300},
		{"cell b", cells.Zones[1].Options[TechFibre], 360, 8172, 10312, 300},
		{"one zone", one.Zones[0].Options[TechFibre], 2880, 65376, 68656, 600},
	} {
		near(t, tc.name+" route m", tc.o.RouteM, tc.routeM, 1e-6)
		near(t, tc.name+" route €", tc.o.CapexByItem[ItemRoute], tc.routeEUR, 0.01)
		near(t, tc.name+" passive €", tc.o.CapexByItem[ItemPassive], tc.passiveEUR, 0.01)
		near(t, tc.name+" capex", tc.o.CapexEUR, tc.capexEUR, 0.01)
	}
}

// TestDocSharedSite: docs/model.md §4. One FWA site (range 8 km) at p1
// takes the three households of the hand zone; split into a west zone
// (p1) and an east zone (p2, p3), each zone pays the site by the load its
// premises put on it, a third and two thirds:
//
//	site = 0.5 × 67,000 + 0.5 × 150,000 = 108,500 civil works + 20,000 radio
//	backhaul: p1 is 100 m from the node → 100 × 1.2 × 22.70 = 2,724
//	CPE 300 per subscriber (0.7 a household)
//	one zone: 108,500 + 20,000 + 2,724 + 630 = 131,854
//	west: 131,224 ÷ 3 + 210 = 43,951.33; east: 131,224 × 2 ÷ 3 + 420 = 87,902.67
func TestDocSharedSite(t *testing.T) {
	sc := DefaultScenario()
	in := handInput()
	in.Zones = []Zone{{ID: "w", Geom: orb.Polygon{box(0, 0, 150, 1000)}}, {ID: "e", Geom: orb.Polygon{box(150, 0, 1000, 1000)}}}
	split := evalSynth(t, in, sc)
	one := evalSynth(t, handInput(), sc)
	for _, tc := range []struct {
		name        string
		o           Option
		sites       float64
		backhaulEUR float64
		capexEUR    float64
	}{
		{"west", split.Zones[0].Options[TechWifi], 1.0 / 3, 908, 43951.33},
		{"east", split.Zones[1].Options[TechWifi], 2.0 / 3, 1816, 87902.67},
		{"one zone", one.Zones[0].Options[TechWifi], 1, 2724, 131854},
	} {
		near(t, tc.name+" sites", tc.o.Sites, tc.sites, 1e-12)
		near(t, tc.name+" backhaul", tc.o.CapexByItem[ItemBackhaul], tc.backhaulEUR, 0.01)
		near(t, tc.name+" capex", tc.o.CapexEUR, tc.capexEUR, 0.01)
		if !tc.o.Feasible || math.Abs(tc.o.DownMbps-100) > 1e-9 {
			t.Errorf("%s: %+v", tc.name, tc.o)
		}
	}
}
