package coverage

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestPolicies pins each policy on the hand zone (figures in model_test.go):
// present cost per premise fibre 10,387.34, fixed wireless well above, LEO
// 5,276.91, GEO 4,809.95; fibre CAPEX per premise 21,556 ÷ 3 = 7,185.33 €;
// public cost per premise fibre 10,387.34 (no revenues modelled), LEO and
// GEO 105 (the voucher).
func TestPolicies(t *testing.T) {
	tests := []struct {
		name    string
		sets    []string
		want    Tech
		reasons []Reason
	}{
		{"least-cost", nil, TechGEO, nil},
		{"least-cost us-bead", []string{"target=us-bead"}, TechFibre, nil},
		{"fibre-first under threshold", []string{"policy=fibre-first", "policy.threshold_eur=8000"}, TechFibre, nil},
		{"fibre-first over threshold", []string{"policy=fibre-first", "policy.threshold_eur=7000"}, TechGEO, []Reason{FibreOverThreshold}},
		// band on present cost: the cheapest is GEO 4,809.95; LEO within 15 % (5,531.44) wins as priority.
		{"band priority leo", []string{"policy=lowest-cost-band", "policy.rank_by=total", "policy.priority_tech=leo"}, TechLEO, nil},
		// fibre is 116 % above the cheapest: outside the band.
		{"band priority fibre", []string{"policy=lowest-cost-band", "policy.rank_by=total"}, TechGEO, nil},
		{"band 120 %", []string{"policy=lowest-cost-band", "policy.rank_by=total", "policy.band_share=1.2"}, TechFibre, nil},
		// band on public cost (its default, as BEAD): LEO and GEO tie at the
		// voucher, LEO first; fibre's 10,387.34 is far outside the band.
		{"band on public cost", []string{"policy=lowest-cost-band"}, TechLEO, nil},
		{"least-cost on public cost", []string{"policy.rank_by=public"}, TechLEO, nil},
		{"eu-gigabit", []string{"target=eu-gigabit"}, TechFibre, nil},
		{"nothing meets 10 Gbit/s", []string{"target.down_mbps=10000"}, TechNone, []Reason{BelowTarget}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := evalSynth(t, handInput(), handScenario(t, tc.sets...))
			z := p.Zones[0]
			if z.Chosen != tc.want {
				t.Fatalf("chose %s, want %s (reasons %v)", z.Chosen, tc.want, z.Reasons)
			}
			for _, r := range tc.reasons {
				if !hasReason(z.Reasons, r) {
					t.Errorf("reasons %v lack %s", z.Reasons, r)
				}
			}
			if z.MeetsTarget != (tc.want != TechNone) {
				t.Errorf("MeetsTarget %v", z.MeetsTarget)
			}
		})
	}
}

// TestEveryOptionExplained: an infeasible option always says why, and a
// zone without a choice too.
func TestEveryOptionExplained(t *testing.T) {
	in := synthInput(3, 5, 5, 2500, 100)
	for _, target := range TargetNames() {
		sc := DefaultScenario()
		sc.Target, _ = ParseTarget(target)
		p := evalSynth(t, in, sc)
		for _, z := range p.Zones {
			for _, tech := range Techs {
				o := z.Options[tech]
				if z.Premises > 0 && !o.Feasible && len(o.Reasons) == 0 && float64(o.PremisesServed) >= sc.MinServedShare*float64(z.Premises) {
					t.Errorf("%s zone %d %s infeasible without reason: %+v", target, z.Zone, tech, o)
				}
			}
			if z.Premises > 0 && z.Chosen == TechNone && len(z.Reasons) == 0 {
				t.Errorf("%s zone %d: no choice, no reason", target, z.Zone)
			}
		}
	}
}

// TestBudgetNeverExceeded (property): over random budgets, the chosen
// CAPEX never exceeds the total budget, nor a year's CAPEX the annual
// budget; a zone's CAPEX is in one year.
func TestBudgetNeverExceeded(t *testing.T) {
	in := synthInput(5, 6, 6, 2500, 120)
	full := evalSynth(t, in, DefaultScenario()).Total.CapexEUR
	for i, frac := range []float64{0, 0.01, 0.1, 0.33, 0.5, 0.9, 2} {
		for _, annual := range []float64{0, full / 7, full / 3} {
			sc := DefaultScenario()
			sc.Policy = PolicyBudget
			sc.BudgetEUR = frac * full
			sc.AnnualBudgetEUR = annual
			sc.Priority = []Kind{KindSchool}
			if sc.BudgetEUR == 0 && annual == 0 {
				sc.BudgetEUR = 1
			}
			t.Run(fmt.Sprintf("%d/annual=%.0f", i, annual), func(t *testing.T) {
				p := evalSynth(t, in, sc)
				if sc.BudgetEUR > 0 && p.Total.CapexEUR > sc.BudgetEUR*(1+1e-12) {
					t.Errorf("spent %.2f of %.2f", p.Total.CapexEUR, sc.BudgetEUR)
				}
				years := map[int]float64{}
				for _, z := range p.Zones {
					if z.Chosen == TechNone {
						if z.Premises > 0 && len(z.Reasons) == 0 {
							t.Errorf("zone %d left out without reason", z.Zone)
						}
						continue
					}
					years[z.Year] += z.ChosenOption().CapexEUR
					if annual > 0 && (z.Year < 1 || z.Year > sc.HorizonYears) {
						t.Errorf("zone %d year %d", z.Zone, z.Year)
					}
				}
				for y, c := range years {
					if annual > 0 && c > annual*(1+1e-12) {
						t.Errorf("year %d spent %.2f of %.2f", y, c, annual)
					}
				}
				if annual > 0 {
					sum := 0.0
					for _, ry := range p.Rollout {
						sum += ry.CapexEUR
					}
					near(t, "rollout capex", sum, p.Total.CapexEUR, 1e-6*max(1, sum))
				}
			})
		}
	}
}

// TestBudgetPrefersPriority: with a budget for only part of the region,
// every zone with a school is served before any zone without one.
func TestBudgetPrefersPriority(t *testing.T) {
	in := synthInput(9, 6, 6, 2500, 80)
	sc := DefaultScenario()
	sc.Policy = PolicyBudget
	sc.Priority = []Kind{KindSchool}
	sc.BudgetEUR = 0.3 * evalSynth(t, in, sc.withBudget(1e15)).Total.CapexEUR
	p := evalSynth(t, in, sc)
	// Greedy skips a zone only when it no longer fits: a school zone left
	// out must cost more than what the school zones served left over.
	prioSpent := 0.0
	for _, z := range p.Zones {
		if z.ByKind[KindSchool] > 0 && z.Chosen != TechNone {
			prioSpent += z.ChosenOption().CapexEUR
		}
	}
	for _, z := range p.Zones {
		if z.ByKind[KindSchool] == 0 || z.Chosen != TechNone {
			continue
		}
		if !hasReason(z.Reasons, OverBudget) {
			continue // nothing feasible
		}
		cheapest := math.Inf(1)
		for _, tech := range Techs {
			if o := z.Options[tech]; o.Feasible {
				cheapest = min(cheapest, o.CapexEUR)
			}
		}
		if cheapest <= sc.BudgetEUR-prioSpent {
			t.Errorf("zone %d with a school left out though its %.0f € fit in the %.0f € left after school zones", z.Zone, cheapest, sc.BudgetEUR-prioSpent)
		}
	}
	if p.ReachedByKind[KindSchool] == 0 {
		t.Error("no school reached")
	}
}

func (s Scenario) withBudget(b float64) Scenario { s.BudgetEUR = b; return s }

// TestGEONeverUnderBEAD (property): with us-bead's 100 ms, GEO is never chosen.
func TestGEONeverUnderBEAD(t *testing.T) {
	in := synthInput(11, 6, 6, 2500, 60)
	for _, pol := range Policies {
		sc := DefaultScenario()
		sc.Target, _ = ParseTarget("us-bead")
		sc.Policy = pol
		sc.BudgetEUR = 1e9
		sc.PriorityTech = TechGEO
		sc.GEO.KitEUR, sc.GEO.MonthlyEUR = 0, 0 // free, still too slow to answer
		p := evalSynth(t, in, sc)
		if p.ByTech[TechGEO].Zones != 0 {
			t.Errorf("%s: %d zones chose GEO", pol, p.ByTech[TechGEO].Zones)
		}
	}
}

// TestCostMonotone (property): raising one technology's cost never makes it
// chosen in more zones, under every per-zone policy. LEO cells are unlimited
// here: with a cell limit, a dearer LEO can free a cell for other zones. The
// budget policy is left out for the same kind of reason: a zone leaving a
// technology can free budget for two other zones choosing it.
func TestCostMonotone(t *testing.T) {
	in := synthInput(13, 6, 6, 2500, 100)
	cases := []struct {
		tech Tech
		key  string
		vals []float64
	}{
		{TechFibre, "fibre.underground_eur_per_m", []float64{10, 30, 53, 80, 200}},
		{TechFibre, "fibre.connection_eur", []float64{100, 600, 2000}},
		{TechWifi, "wifi.fwa.site_eur", []float64{0, 40000, 100000, 400000}},
		{TechLEO, "leo.monthly_eur", []float64{0, 20, 40, 80}},
		{TechGEO, "geo.kit_eur", []float64{0, 400, 2000}},
	}
	for _, pol := range []Policy{PolicyLeastCost, PolicyFibreFirst, PolicyLowestCostBand, PolicyHybrid} {
		for _, c := range cases {
			prev := math.MaxInt
			for _, v := range c.vals {
				sc := DefaultScenario()
				sc.Policy = pol
				sc.LEO.CellCapacityMbps = 0
				sc.GEO.CellCapacityMbps = 0
				if err := sc.Set(c.key, fmt.Sprint(v)); err != nil {
					t.Fatal(err)
				}
				p := evalSynth(t, in, sc)
				n := p.ByTech[c.tech].Zones
				if n > prev {
					t.Errorf("%s %s=%v: %s chosen in %d zones, more than %d at a lower cost", pol, c.key, v, c.tech, n, prev)
				}
				prev = n
			}
		}
	}
}

// TestTotals (property): totals are the sums of the zones, the present
// cost ≥ CAPEX for every option (subscriptions pay at least the revenues),
// served premises never exceed the zone's, for every policy and target.
func TestTotals(t *testing.T) {
	in := synthInput(17, 5, 5, 2500, 150)
	for _, pol := range Policies {
		for _, target := range TargetNames() {
			sc := DefaultScenario()
			sc.Policy = pol
			sc.Target, _ = ParseTarget(target)
			sc.BudgetEUR = 3e6
			sc.AnnualBudgetEUR = 1e6
			p := evalSynth(t, in, sc)
			var tot TechTotals
			reached := 0
			for _, z := range p.Zones {
				o := z.ChosenOption()
				tot.Zones++
				tot.Premises += z.Premises
				tot.CapexEUR += o.CapexEUR
				tot.PresentCostEUR += o.PresentCostEUR
				if z.Chosen != TechNone {
					reached += o.PremisesServed
				}
				for _, tech := range Techs {
					op := z.Options[tech]
					if op.PresentCostEUR < op.CapexEUR-1e-6 {
						t.Errorf("%s/%s zone %d %s: present cost %.2f < CAPEX %.2f", pol, target, z.Zone, tech, op.PresentCostEUR, op.CapexEUR)
					}
					if op.PremisesServed+op.PremisesUnserved > z.Premises {
						t.Errorf("zone %d %s serves %d+%d of %d", z.Zone, tech, op.PremisesServed, op.PremisesUnserved, z.Premises)
					}
				}
				sumKind := 0
				for _, n := range z.Reached {
					sumKind += n
				}
				if z.Chosen != TechNone && sumKind != o.PremisesServed {
					t.Errorf("%s zone %d: reached by kind %d, served %d", pol, z.Zone, sumKind, o.PremisesServed)
				}
			}
			if tot.Zones != p.Total.Zones || tot.Premises != p.Total.Premises || reached != p.MeetTarget {
				t.Errorf("%s/%s: totals %+v meet %d, zones sum %+v reached %d", pol, target, p.Total, p.MeetTarget, tot, reached)
			}
			near(t, "capex", p.Total.CapexEUR, tot.CapexEUR, 1e-6*max(1, tot.CapexEUR))
			near(t, "present cost", p.Total.PresentCostEUR, tot.PresentCostEUR, 1e-6*max(1, tot.PresentCostEUR))
			perPremise := 0
			for i, tech := range p.PremiseTechs() {
				if tech != TechNone {
					perPremise++
				}
				_ = i
			}
			if perPremise != p.MeetTarget {
				t.Errorf("%s/%s: %d premises with a technology, %d reached", pol, target, perPremise, p.MeetTarget)
			}
		}
	}
}

// TestDeterministic: workers do not change the plan.
func TestDeterministic(t *testing.T) {
	in := synthInput(19, 6, 6, 2500, 150)
	for _, pol := range Policies {
		sc := DefaultScenario()
		sc.Policy = pol
		sc.BudgetEUR = 2e6
		sc.Workers = 1
		a := evalSynth(t, in, sc)
		sc.Workers = 4
		b := evalSynth(t, in, sc)
		a.Scenario.Workers, b.Scenario.Workers = 0, 0
		if !slices.Equal(a.PremiseTechs(), b.PremiseTechs()) {
			t.Errorf("%s: 1 and 4 workers label premises differently", pol)
		}
		a.ev, b.ev = nil, nil
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: 1 and 4 workers differ", pol)
		}
	}
}

// TestHybrid: a village next to the network and one farm 5 km away. The
// farm's branch of the fibre tree costs far more than a satellite kit, so
// it leaves the tree; the village keeps fibre.
func TestHybrid(t *testing.T) {
	in := &Input{
		Zones:   []Zone{{ID: "z", Geom: square(0, 0, 10000)}},
		Network: Network{Nodes: []FibreNode{{ID: "n", Pt: orb.Point{500, 400}, Active: true}}},
	}
	for i := range 40 {
		in.Premises = append(in.Premises, Premise{ID: "v" + itoa(i), Pt: orb.Point{500 + float64(i%8)*15, 500 + float64(i/8)*15}, Units: 1})
	}
	in.Premises = append(in.Premises, Premise{ID: "farm", Pt: orb.Point{5500, 500}, Units: 1})
	sc := handScenario(t, "policy=hybrid", "target=fr-2025")
	p := evalSynth(t, in, sc)
	z := p.Zones[0]
	if z.Chosen != TechFibre || z.Mix[TechFibre] != 40 || z.Mix[TechLEO]+z.Mix[TechGEO]+z.Mix[TechWifi] != 1 {
		t.Fatalf("chosen %s mix %v", z.Chosen, z.Mix)
	}
	pt := p.PremiseTechs()
	if pt[40] == TechFibre || pt[40] == TechNone || pt[0] != TechFibre {
		t.Errorf("premise techs: village %s, farm %s", pt[0], pt[40])
	}
	fibre := z.Options[TechFibre]
	if b := z.ChosenOption(); b.PresentCostEUR >= fibre.PresentCostEUR || b.PremisesServed != 41 {
		t.Errorf("hybrid present cost %.0f ≥ pure fibre %.0f, or served %d", b.PresentCostEUR, fibre.PresentCostEUR, b.PremisesServed)
	}
	// Under least-cost the same zone is all one technology.
	sc.Policy = PolicyLeastCost
	p = evalSynth(t, in, sc)
	if z := p.Zones[0]; z.Mix[z.Chosen]+z.Mix[TechNone] != z.Premises {
		t.Errorf("least-cost mix %v", z.Mix)
	}
}

// TestRolloutPhasing: with an annual budget, least-cost keeps its choices
// and phases them; priority zones come first.
func TestRolloutPhasing(t *testing.T) {
	in := synthInput(23, 6, 6, 2500, 100)
	sc := DefaultScenario()
	base := evalSynth(t, in, sc)
	sc.AnnualBudgetEUR = base.Total.CapexEUR / 5
	sc.Priority = []Kind{KindSchool, KindPublic}
	p := evalSynth(t, in, sc)
	if len(p.Rollout) < 5 {
		t.Fatalf("%d rollout years for 5 years of budget", len(p.Rollout))
	}
	for i, z := range p.Zones {
		if z.Chosen != base.Zones[i].Chosen {
			t.Errorf("zone %d: phasing changed the choice", i)
		}
	}
	for _, ry := range p.Rollout {
		if ry.CapexEUR > sc.AnnualBudgetEUR*(1+1e-12) {
			t.Errorf("year %d: %.0f > %.0f", ry.Year, ry.CapexEUR, sc.AnnualBudgetEUR)
		}
	}
	last := p.Rollout[len(p.Rollout)-1]
	if last.CumCapexEUR > p.Total.CapexEUR*(1+1e-9) {
		t.Errorf("cumulative %.0f > total %.0f", last.CumCapexEUR, p.Total.CapexEUR)
	}
}

// TestEmptyZone: a zone without premises is TechNone without options.
func TestEmptyZone(t *testing.T) {
	in := handInput()
	in.Zones = append(in.Zones, Zone{ID: "empty", Geom: square(5000, 5000, 100)})
	p := evalSynth(t, in, handScenario(t))
	if z := p.Zones[1]; z.Chosen != TechNone || z.Premises != 0 || z.Options[TechFibre].Feasible {
		t.Errorf("%+v", z)
	}
	if p.ByTech[TechNone].Zones != 1 {
		t.Errorf("none zones %d", p.ByTech[TechNone].Zones)
	}
}

// TestBudgetPickNPV: with policy.budget_pick=npv every funded zone gets its
// least-cost technology, within the budget.
func TestBudgetPickNPV(t *testing.T) {
	in := synthInput(29, 5, 5, 2500, 100)
	sc := DefaultScenario()
	least := evalSynth(t, in, sc)
	sc.Policy = PolicyBudget
	sc.BudgetPick = "rank"
	sc.BudgetEUR = least.Total.CapexEUR / 2
	p := evalSynth(t, in, sc)
	funded := 0
	for i, z := range p.Zones {
		if z.Chosen == TechNone {
			continue
		}
		funded++
		if z.Chosen != least.Zones[i].Chosen {
			t.Errorf("zone %d: budget chose %s, least-cost %s", i, z.Chosen, least.Zones[i].Chosen)
		}
	}
	if funded == 0 || funded == len(p.Zones) {
		t.Errorf("%d of %d zones funded with half the budget", funded, len(p.Zones))
	}
	if p.Total.CapexEUR > sc.BudgetEUR {
		t.Errorf("spent %.0f of %.0f", p.Total.CapexEUR, sc.BudgetEUR)
	}
	if err := sc.Set("policy.budget_pick", "cheapest"); err == nil || !strings.Contains(err.Error(), "policy.budget_pick") {
		t.Errorf("bad budget_pick: %v", err)
	}
}
