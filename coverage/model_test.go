package coverage

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// handInput is the zone every hand-computed case uses: a 1 km square with
// three single-unit households and one active fibre node south of them.
//
//	p1 (100,100)   p2 (200,100)   p3 (200,300)   node (100,0)
//
// Distances to the node: p1 100 m, p2 √(100²+100²) = 141.42 m,
// p3 √(100²+300²) = 316.23 m. Minimum spanning tree: p1–p2 100 m +
// p2–p3 200 m = 300 m.
func handInput() *Input {
	return &Input{
		Zones: []Zone{{ID: "z1", Name: "Hand", Geom: square(0, 0, 1000)}},
		Premises: []Premise{
			{ID: "p1", Pt: orb.Point{100, 100}, Units: 1},
			{ID: "p2", Pt: orb.Point{200, 100}, Units: 1},
			{ID: "p3", Pt: orb.Point{200, 300}, Units: 1},
		},
		Network: Network{Nodes: []FibreNode{{ID: "n1", Pt: orb.Point{100, 0}, Active: true}}},
	}
}

// handScenario is the default scenario without sky obstruction, so that
// the satellite figures are round.
func handScenario(t *testing.T, sets ...string) Scenario {
	t.Helper()
	sc := DefaultScenario()
	sc.LEO.ObstructedShare = 0
	for _, kv := range sets {
		k, v, _ := strings.Cut(kv, "=")
		if err := sc.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	return sc
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.4f, want %.4f", what, got, want)
	}
}

// Annuity factor at 4 % over 20 years: A = (1 − 1.04⁻²⁰) ÷ 0.04 = 13.590326.
func TestAnnuity(t *testing.T) {
	near(t, "annuity", annuity(0.04, 20), 13.590326, 1e-6)
	near(t, "annuity r=0", annuity(0, 20), 20, 0)
	pv, n := replacementFactor(0.04, 6, 20) // years 6, 12, 18
	near(t, "pv", pv, math.Pow(1.04, -6)+math.Pow(1.04, -12)+math.Pow(1.04, -18), 1e-12)
	if n != 3 {
		t.Errorf("replacements %d, want 3", n)
	}
	if _, n := replacementFactor(0.04, 10, 20); n != 1 {
		t.Errorf("year-10 electronics: %d replacements within 20 years, want 1 (year 20 is past the horizon)", n)
	}
}

// TestFibreByHand: 3 households, take-up 0.7 → 2.1 connected units.
//
//	feeder = 100 m (p1 to the node); tree = 300 m; route = 400 × 1.2 = 480 m
//	€/m = 0.4 × 21 + 0.6 × 53 = 40.2 → passing = 480 × 40.2 = 19,296 €
//	connection = 2.1 × 600 = 1,260 €; ports ⌈2.1/32⌉ = 1 × 1,000 €
//	CAPEX = 21,556 €; OPEX = 3 % = 646.68 €/year
//	reinvestment year 10: 1,000 + 2.1 × 100 = 1,210 €
//	NPV = 21,556 + 646.68 × 13.590326 + 1,210 × 1.04⁻¹⁰ = 31,162.02 €
func TestFibreByHand(t *testing.T) {
	p := evalSynth(t, handInput(), handScenario(t))
	o := p.Zones[0].Options[TechFibre]
	near(t, "route m", o.RouteM, 480, 1e-9)
	near(t, "passing", o.PassingCapexEUR, 19296, 1e-6)
	near(t, "capex", o.CapexEUR, 21556, 1e-6)
	near(t, "opex", o.OpexEURPerYear, 646.68, 1e-6)
	near(t, "npv", o.NPVEUR, 31162.02, 0.01)
	near(t, "reinvest", o.ReinvestEUR, 1210, 1e-9)
	near(t, "cost per passed", o.CostPerPassedEUR, 19296.0/3, 1e-6)
	near(t, "cost per connected", o.CostPerConnectedEUR, 21556/2.1, 1e-6)
	near(t, "public", o.PublicCostEUR, o.NPVEUR, 1e-9)
	if !o.Feasible || o.PremisesServed != 3 || o.DownMbps != 1000 || len(o.Reasons) != 0 {
		t.Errorf("option %+v", o)
	}
	if o.NPVEUR < o.CapexEUR {
		t.Error("NPV < CAPEX")
	}
}

// TestFibrePassedAndTooFar: a served area passes p1 (connection only); with
// a 250 m reach p3 (316 m × 1.2 = 379 m from the node) is too far.
//
//	new network: p2 only → feeder 141.42 m, tree 0 → route 169.71 m
//	connected = 2 × 0.7 = 1.4; CAPEX = 169.71 × 40.2 + 840 + 1,000
func TestFibrePassedAndTooFar(t *testing.T) {
	in := handInput()
	in.Served = []ServedArea{{ID: "s", Geom: square(50, 50, 100), Active: true}}
	p := evalSynth(t, in, handScenario(t, "fibre.reach_m=250", "fibre.allow_new_nodes=false"))
	o := p.Zones[0].Options[TechFibre]
	route := math.Hypot(100, 100) * 1.2
	near(t, "route", o.RouteM, route, 1e-9)
	near(t, "capex", o.CapexEUR, route*40.2+1.4*600+1000, 1e-6)
	if o.PremisesServed != 2 || o.PremisesUnserved != 1 || len(o.Reasons) != 1 || o.Reasons[0] != FibreTooFar {
		t.Errorf("served %d unserved %d reasons %v", o.PremisesServed, o.PremisesUnserved, o.Reasons)
	}
	// 2 of 3 is below the 0.9 minimum served share.
	if o.Feasible {
		t.Error("feasible with a third of the zone out of reach")
	}
	// Nothing in reach at all: fibre infeasible, FIBRE_TOO_FAR.
	p = evalSynth(t, handInput(), handScenario(t, "fibre.reach_m=50", "fibre.allow_new_nodes=false"))
	o = p.Zones[0].Options[TechFibre]
	if o.Feasible || o.PremisesServed != 0 || o.Reasons[0] != FibreTooFar {
		t.Errorf("reach 50 m: %+v", o)
	}
}

// TestFibreNewNodeByHand: premises beyond reach get new optical nodes.
//
// Reach 250 m, p1 passed by a served area: p2 is reached from the network
// (141.42 × 1.2 = 169.71 m), p3 is not (316.23 × 1.2 = 379.47 m): one new
// node for p3's cluster. The tree p2–p3 (200 m) joins it to the part fed
// from the network, so no collection link of its own.
//
//	route = (141.42 feeder + 200 tree) × 1.2 = 409.71 m × 40.2 €/m
//	CAPEX = 409.71 × 40.2 + 200,000 node + 3 × 0.7 × 600 + 1 port × 1,000
//
// Reach 50 m (41.67 m straight): nothing is reached from the network and
// no two premises are within 41.67 m of each other: three nodes, feeder 0,
// the 300 m tree, and one collection link from the cluster nearest the
// node (p1, 100 m): 100 × 1.2 × 40.2 = 4,824 €.
//
//	CAPEX = 300 × 1.2 × 40.2 + 3 × 200,000 + 4,824 + 1,260 + 1,000 = 621,556 €
//
// With link_max_m 50 the link is leased transit instead: 50,000 €.
func TestFibreNewNodeByHand(t *testing.T) {
	in := handInput()
	in.Served = []ServedArea{{ID: "s", Geom: square(50, 50, 100), Active: true}}
	o := evalSynth(t, in, handScenario(t, "fibre.reach_m=250")).Zones[0].Options[TechFibre]
	route := (math.Hypot(100, 100) + 200) * 1.2
	near(t, "route", o.RouteM, route, 1e-9)
	near(t, "capex", o.CapexEUR, route*40.2+200000+2.1*600+1000, 1e-6)
	near(t, "node eur", o.NewNodeEUR, 200000, 1e-9)
	near(t, "passing", o.PassingCapexEUR, route*40.2+200000, 1e-6)
	if o.NewNodes != 1 || o.PassedPremises != 1 || o.PremisesServed != 3 || o.PremisesUnserved != 0 || len(o.Reasons) != 0 || !o.Feasible {
		t.Errorf("reach 250 m: %+v", o)
	}

	for _, tc := range []struct {
		name    string
		sets    []string
		nodes   int
		nodeEUR float64
	}{
		{"fibre link", []string{"fibre.reach_m=50"}, 3, 3*200000 + 100*1.2*40.2},
		{"transit", []string{"fibre.reach_m=50", "fibre.link_max_m=50"}, 3, 3*200000 + 50000},
		{"node price", []string{"fibre.reach_m=50", "fibre.new_node_eur=1000"}, 3, 3*1000 + 100*1.2*40.2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := evalSynth(t, handInput(), handScenario(t, tc.sets...)).Zones[0].Options[TechFibre]
			near(t, "route", o.RouteM, 360, 1e-9)
			near(t, "node eur", o.NewNodeEUR, tc.nodeEUR, 1e-6)
			near(t, "capex", o.CapexEUR, 360*40.2+tc.nodeEUR+2.1*600+1000, 1e-6)
			if o.NewNodes != tc.nodes || o.PremisesServed != 3 || !o.Feasible {
				t.Errorf("%+v", o)
			}
		})
	}
	// The network 100 km away: one cluster (all within 20 km ÷ 1.2), at
	// most one unit per node → 3 nodes at one place, one leased link.
	in = handInput()
	in.Nodes[0].Pt = orb.Point{100, -100000}
	o = evalSynth(t, in, handScenario(t, "fibre.node_max_units=1")).Zones[0].Options[TechFibre]
	near(t, "one cluster: route", o.RouteM, 360, 1e-9)
	near(t, "one cluster: node eur", o.NewNodeEUR, 3*200000+50000, 1e-6)
	if o.NewNodes != 3 {
		t.Errorf("one cluster: %d nodes, want 3", o.NewNodes)
	}
}

// TestWifiByHand, public-wifi profile (range 200 m, capacity 400 Mbit/s,
// 8:1): sized for the 30 Mbit/s target, a household subscriber takes
// max(30 ÷ 8, 2.5) = 3.75 Mbit/s, a premise 0.7 × 3.75 = 2.625.
// A site at p2 reaches p1 (100 m) and p3 (200 m, inclusive): one site.
//
//	backhaul: p2 is 141.42 m from fibre ≤ 500 m → 141.42 × 1.2 × 40.2 = 6,822.17 €
//	CAPEX = 2,000 + 1,000 + 6,822.17 + 100 × 2.1 = 10,032.17 €; OPEX 500 €/year
//	reinvestment years 7 and 14: 1,000 + 210 = 1,210 €
//	NPV = 10,032.17 + 500 × 13.590326 + 1,210 × (1.04⁻⁷ + 1.04⁻¹⁴) = 18,445.57 €
//	public = NPV − CPE (210 × (1 + 1.04⁻⁷ + 1.04⁻¹⁴)) + voucher min(150, 100) × 2.1 = 18,164.72 €
//	speed = min(50, 30 × 400 ÷ 7.875) = 50 Mbit/s
func TestWifiByHand(t *testing.T) {
	p := evalSynth(t, handInput(), handScenario(t, "wifi.profile=public-wifi"))
	o := p.Zones[0].Options[TechWifi]
	if o.Sites != 1 || o.PremisesServed != 3 || !o.Feasible {
		t.Fatalf("%+v", o)
	}
	near(t, "capex", o.CapexEUR, 10032.17, 0.01)
	near(t, "opex", o.OpexEURPerYear, 500, 1e-9)
	near(t, "npv", o.NPVEUR, 18445.57, 0.01)
	near(t, "public", o.PublicCostEUR, 18164.72, 0.01)
	near(t, "down", o.DownMbps, 50, 1e-9)

	// Capacity for one premise only (2.625 ≤ 3 < 5.25): each site takes one
	// premise; with at most 2 sites, one premise is left: WIFI_CAPACITY.
	p = evalSynth(t, handInput(), handScenario(t, "wifi.profile=public-wifi", "wifi.public-wifi.capacity_mbps=3", "wifi.public-wifi.max_sites_per_zone=2"))
	o = p.Zones[0].Options[TechWifi]
	if o.Sites != 2 || o.PremisesServed != 2 || !hasReason(o.Reasons, WifiCapacity) || o.Feasible {
		t.Errorf("capacity: %+v", o)
	}
	// No fibre within microwave reach: a hop to a point of presence on
	// leased transit, once for the zone:
	//	CAPEX = 2,000 + 1,000 + 3,000 hop + 50,000 transit + 210 CPE = 56,210 €
	far := []string{"wifi.profile=public-wifi", "wifi.public-wifi.fibre_backhaul_max_m=10", "wifi.public-wifi.microwave_max_m=50"}
	o = evalSynth(t, handInput(), handScenario(t, far...)).Zones[0].Options[TechWifi]
	near(t, "transit capex", o.CapexEUR, 56210, 1e-6)
	if o.Sites != 1 || !o.Feasible {
		t.Errorf("transit: %+v", o)
	}
	// Two sites (range 100 m: p3 is 200 m from p2): still one transit.
	o = evalSynth(t, handInput(), handScenario(t, append(far, "wifi.public-wifi.range_m=100")...)).Zones[0].Options[TechWifi]
	near(t, "transit, 2 sites", o.CapexEUR, 2*(2000+1000+3000)+50000+210, 1e-6)
	if o.Sites != 2 {
		t.Errorf("transit, 2 sites: %+v", o)
	}
	// New nodes and transit forbidden: WIFI_NO_SITE.
	o = evalSynth(t, handInput(), handScenario(t, append(far, "fibre.allow_new_nodes=false")...)).Zones[0].Options[TechWifi]
	if o.Sites != 0 || o.Feasible || !hasReason(o.Reasons, WifiNoSite) {
		t.Errorf("no site: %+v", o)
	}
}

// TestWifiExistingAP: an operational access point covering all three
// premises with room for them serves them for their CPE only (no site).
func TestWifiExistingAP(t *testing.T) {
	in := handInput()
	in.APs = []AccessPoint{
		{ID: "off", Pt: orb.Point{150, 150}, RangeM: 500, CapacityMbps: 1000, Operational: false},
		{ID: "on", Pt: orb.Point{150, 150}, RangeM: 500, CapacityMbps: 100, Operational: true},
	}
	p := evalSynth(t, in, handScenario(t, "wifi.profile=public-wifi"))
	o := p.Zones[0].Options[TechWifi]
	if o.Sites != 0 || o.PremisesOnAPs != 3 || !o.Feasible {
		t.Fatalf("%+v", o)
	}
	near(t, "capex (CPE only)", o.CapexEUR, 210, 1e-9)
	// An AP with room for one premise (2.625 ≤ 4 < 5.25) serves one; the
	// others need a new site.
	in.APs[1].CapacityMbps = 4
	p = evalSynth(t, in, handScenario(t, "wifi.profile=public-wifi"))
	o = p.Zones[0].Options[TechWifi]
	if o.PremisesOnAPs != 1 || o.Sites != 1 || o.PremisesServed != 3 {
		t.Errorf("shared AP: %+v", o)
	}
}

// TestSatelliteByHand: 2.1 subscribers.
//
//	LEO: CAPEX 349 × 2.1 = 732.90 €; OPEX 12 × 40 × 2.1 = 1,008 €/year;
//	     kits again in years 6, 12, 18 → NPV = 15,830.72 €; public = 150 × 2.1 = 315 €
//	GEO: CAPEX 840 €; OPEX 882 €/year → NPV = 14,429.84 €
func TestSatelliteByHand(t *testing.T) {
	p := evalSynth(t, handInput(), handScenario(t))
	l, g := p.Zones[0].Options[TechLEO], p.Zones[0].Options[TechGEO]
	near(t, "leo capex", l.CapexEUR, 732.9, 1e-9)
	near(t, "leo opex", l.OpexEURPerYear, 1008, 1e-9)
	near(t, "leo npv", l.NPVEUR, 15830.72, 0.01)
	near(t, "leo public", l.PublicCostEUR, 315, 1e-9)
	near(t, "geo capex", g.CapexEUR, 840, 1e-9)
	near(t, "geo npv", g.NPVEUR, 14429.84, 0.01)
	if !l.Feasible || !g.Feasible {
		t.Errorf("fr-thd: leo %v geo %v", l.Feasible, g.Feasible)
	}
	// least-cost under fr-thd: GEO 4,809.95 €/premise beats LEO 5,276.91,
	// Wi-Fi (FWA) and fibre 10,387.34.
	if z := p.Zones[0]; z.Chosen != TechGEO {
		t.Errorf("chosen %s, want geo", z.Chosen)
	}
	// us-bead: GEO fails on latency, LEO on upload (15 < 20 Mbit/s).
	p = evalSynth(t, handInput(), handScenario(t, "target=us-bead"))
	l, g = p.Zones[0].Options[TechLEO], p.Zones[0].Options[TechGEO]
	if g.Feasible || !hasReason(g.Reasons, SatLatency) {
		t.Errorf("geo under us-bead: %+v", g)
	}
	if l.Feasible || !hasReason(l.Reasons, BelowTarget) {
		t.Errorf("leo under us-bead: %+v", l)
	}
}

// TestSatObstructed: about 5 % of many premises are obstructed, always the
// same ones.
func TestSatObstructed(t *testing.T) {
	const n = 20000
	cnt := 0
	for i := range n {
		if obstructed(int32(i), 0.05) {
			cnt++
		}
		if obstructed(int32(i), 0.05) != obstructed(int32(i), 0.05) {
			t.Fatal("draw not deterministic")
		}
	}
	if share := float64(cnt) / n; share < 0.045 || share > 0.055 {
		t.Errorf("obstructed share %.4f, want ≈ 0.05", share)
	}
}

// TestLEOCellCapacity: two zones in one cell; the cell takes 2 subscribers.
// The first zone (2.1 subscribers of 3 households) does not fit either:
// with cell_max_subs = 2.5 the first fits, the second loses LEO.
func TestLEOCellCapacity(t *testing.T) {
	in := handInput()
	in.Zones = append(in.Zones, Zone{ID: "z2", Geom: square(1000, 0, 1000)})
	in.Premises = append(in.Premises,
		Premise{ID: "q1", Pt: orb.Point{1100, 100}, Units: 1},
		Premise{ID: "q2", Pt: orb.Point{1200, 100}, Units: 1},
		Premise{ID: "q3", Pt: orb.Point{1200, 300}, Units: 1})
	// Make LEO the cheapest: no fibre network, wireless off by cost.
	in.Nodes = nil
	sc := handScenario(t, "leo.cell_max_subs=2.5", "geo.kit_eur=100000", "wifi.fwa.site_eur=1e8")
	p := evalSynth(t, in, sc)
	if p.Zones[0].Chosen != TechLEO {
		t.Fatalf("zone 0 chose %s, want leo", p.Zones[0].Chosen)
	}
	z1 := p.Zones[1]
	if z1.Chosen == TechLEO || !hasReason(z1.Options[TechLEO].Reasons, SatCapacity) || z1.Options[TechLEO].Feasible {
		t.Errorf("zone 1: chose %s, leo %+v", z1.Chosen, z1.Options[TechLEO])
	}
	if len(p.LEOCells) != 1 || !p.LEOCells[0].Full {
		t.Errorf("cells %+v", p.LEOCells)
	}
	near(t, "cell subscribers", p.LEOCells[0].Subscribers, 2.1, 1e-9)
}

func hasReason(rs []Reason, r Reason) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// TestGreenfieldPolicies: the synthetic region with its fibre network
// removed, or with a 3 km reach so that part of it is beyond. Fibre is
// priced with new nodes (never FIBRE_TOO_FAR), every policy decides every
// zone, mixes add up and the hybrid split never counts more nodes than
// plain fibre.
func TestGreenfieldPolicies(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Input)
		sets []string
	}{
		{"no network", func(in *Input) { in.Nodes, in.Lines, in.Served = nil, nil, nil }, nil},
		{"3 km reach", func(*Input) {}, []string{"fibre.reach_m=3000"}},
	} {
		for _, pol := range []string{"least-cost", "hybrid", "fibre-first"} {
			t.Run(tc.name+"/"+pol, func(t *testing.T) {
				in := synthInput(3, 4, 4, 10000, 60)
				tc.edit(in)
				p := evalSynth(t, in, handScenario(t, append(tc.sets, "policy="+pol)...))
				nodes := 0
				for _, zp := range p.Zones {
					fo := zp.Options[TechFibre]
					if zp.Premises == 0 {
						continue
					}
					if hasReason(fo.Reasons, FibreTooFar) || fo.PremisesServed != zp.Premises {
						t.Errorf("zone %d: fibre %+v", zp.Zone, fo)
					}
					nodes += fo.NewNodes
					if fo.NewNodes > 0 && fo.NewNodeEUR < float64(fo.NewNodes)*200000 {
						t.Errorf("zone %d: %d nodes for %.0f €", zp.Zone, fo.NewNodes, fo.NewNodeEUR)
					}
					sum := 0
					for _, m := range zp.Mix {
						sum += m
					}
					if sum != zp.Premises {
						t.Errorf("zone %d: mix %v for %d premises", zp.Zone, zp.Mix, zp.Premises)
					}
					if b := zp.Built; b.NewNodes > fo.NewNodes || b.NewNodeEUR > fo.NewNodeEUR+1e-6 {
						t.Errorf("zone %d: built %d nodes %.0f €, fibre %d %.0f €", zp.Zone, b.NewNodes, b.NewNodeEUR, fo.NewNodes, fo.NewNodeEUR)
					}
				}
				if nodes == 0 {
					t.Error("no new node anywhere")
				}
			})
		}
	}
}
