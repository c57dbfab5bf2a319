package coverage_test

import (
	"fmt"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// A hamlet of three households 100–300 m from a fibre node, planned for
// the US BEAD target (100/20 Mbit/s, 100 ms) with the default (French)
// costs: GEO misses the latency, and LEO is the cheapest option both over
// the horizon (present cost) and for the public purse (the voucher), so it
// is chosen; fibre's network would cost the public about 5,200 € a premise
// after its revenues.
func ExampleDecide() {
	in := &coverage.Input{
		Zones: []coverage.Zone{{ID: "15001", Name: "Hamlet", Geom: orb.Polygon{{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}}}}},
		Premises: []coverage.Premise{
			{ID: "a", Pt: orb.Point{100, 100}, Units: 1},
			{ID: "b", Pt: orb.Point{200, 100}, Units: 1},
			{ID: "c", Pt: orb.Point{200, 300}, Units: 1},
		},
		Network: coverage.Network{Nodes: []coverage.FibreNode{{ID: "nro", Pt: orb.Point{100, 0}, Active: true}}},
	}
	sc := coverage.DefaultScenario()
	if err := sc.Set("target", "us-bead"); err != nil {
		panic(err)
	}
	ix := coverage.NewIndex(in)
	ev, err := coverage.Evaluate(in, ix, ix.Measure(in.Premises, 1), sc, coverage.EvaluateOptions{})
	if err != nil {
		panic(err)
	}
	plan, err := coverage.Decide(ev, sc)
	if err != nil {
		panic(err)
	}
	z := plan.Zones[0]
	for _, t := range coverage.Techs {
		o := z.Options[t]
		fmt.Printf("%-5s feasible=%-5v capex=%7.0f € per premise: present cost %6.0f €, public %6.0f € %v\n", t, o.Feasible, o.CapexEUR,
			o.CostPerPremise(coverage.RankTotal), o.CostPerPremise(coverage.RankPublic), o.Reasons)
	}
	fmt.Println("chosen:", z.Chosen, "premises reached:", plan.MeetTarget)
	// Output:
	// fibre feasible=true  capex=  13606 € per premise: present cost   9168 €, public   5173 € []
	// wifi  feasible=true  capex= 131854 € per premise: present cost  83411 €, public  78564 € []
	// leo   feasible=true  capex=    733 € per premise: present cost   5277 €, public    210 € []
	// geo   feasible=false capex=    628 € per premise: present cost   5175 €, public    209 € [SAT_LATENCY]
	// chosen: leo premises reached: 3
}

// Scenario parameters are set by key, as on the command line.
func ExampleScenario_Set() {
	sc := coverage.DefaultScenario()
	fmt.Println(sc.Set("leo.kit_eur", "0"))
	fmt.Println(sc.Set("fibre.route_factor", "0.9"))
	fmt.Println(sc.Set("fibre.route_factr", "1.1"))
	// Output:
	// <nil>
	// coverage: scenario: fibre.route_factor="0.9": out of range [1, 5]
	// coverage: scenario: unknown key "fibre.route_factr" (see `covplan scenario` for the list)
}
