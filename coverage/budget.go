package coverage

import (
	"math"
	"slices"
)

// budgetPick is a zone's candidate under the budget policy.
type budgetPick struct {
	zone int
	tech Tech
	prio int
	cpp  float64 // CAPEX per premise served
}

// budgetOrder sorts candidates: priority kinds first, then the cheapest
// CAPEX per premise (the greedy order that maximises premises for the
// money), then zone order.
func budgetOrder(a, b budgetPick) int {
	if a.prio != b.prio {
		return a.prio - b.prio
	}
	if a.cpp != b.cpp {
		if a.cpp < b.cpp {
			return -1
		}
		return 1
	}
	return a.zone - b.zone
}

// decideBudget maximises the premises brought to the target within
// BudgetEUR (and AnnualBudgetEUR a year over the horizon, dig once: a
// zone's CAPEX falls in one year). Each zone offers its usable option with
// the lowest CAPEX per premise served (BudgetPick "capex") or its
// option that ranks first ("rank"); zones are taken greedily in
// budgetOrder, skipping those that no longer fit. Zones left out get
// OVER_BUDGET. Spending never exceeds either budget.
func (d *decider) decideBudget() {
	picks := make([]budgetPick, 0, len(d.plan.Zones))
	for z := range d.plan.Zones {
		zp := &d.plan.Zones[z]
		d.resetChoice(zp)
		if zp.Premises == 0 {
			continue
		}
		best, bestCPP := TechNone, math.Inf(1)
		if d.sc.BudgetPick == "rank" {
			if best = d.cheapest(z, TechNone); best != TechNone {
				bestCPP = zp.Options[best].CapexEUR / float64(zp.Options[best].PremisesServed)
			}
		} else {
			for _, t := range Techs {
				if !d.usable(z, t) {
					continue
				}
				o := &zp.Options[t]
				cpp := o.CapexEUR / float64(o.PremisesServed)
				if cpp < bestCPP || cpp == bestCPP && d.cost(o) < d.cost(&zp.Options[best]) {
					best, bestCPP = t, cpp
				}
			}
		}
		if best == TechNone {
			d.choose(zp, TechNone, nil)
			continue
		}
		picks = append(picks, budgetPick{zone: z, tech: best, prio: d.prio[z], cpp: bestCPP})
	}
	slices.SortFunc(picks, budgetOrder)
	costs := make([]float64, len(picks))
	for q, p := range picks {
		costs[q] = d.plan.Zones[p.zone].Options[p.tech].CapexEUR
	}
	total := math.Inf(1)
	if d.sc.BudgetEUR > 0 {
		total = d.sc.BudgetEUR
	}
	years := packYears(costs, d.sc.AnnualBudgetEUR, total, d.sc.HorizonYears)
	for q, p := range picks {
		zp := &d.plan.Zones[p.zone]
		if years[q] < 0 {
			d.choose(zp, TechNone, []Reason{OverBudget})
			continue
		}
		d.choose(zp, p.tech, nil)
		zp.Year = years[q]
	}
}

// packYears assigns each cost, in order, a rollout year: with an annual
// budget (annualEUR > 0), years 1..horizon, each spending at most annualEUR
// and all together at most totalEUR; without, year 0 within totalEUR. A
// cost that never fits gets -1.
func packYears(costs []float64, annualEUR, totalEUR float64, horizon int) []int {
	years := make([]int, len(costs))
	if annualEUR <= 0 {
		spent := 0.0
		for q, c := range costs {
			if spent+c <= totalEUR {
				spent += c
				years[q] = 0
			} else {
				years[q] = -1
			}
		}
		return years
	}
	for q := range years {
		years[q] = -1
	}
	spent := 0.0
	left := len(costs)
	for y := 1; y <= horizon && left > 0; y++ {
		yearSpent, took := 0.0, 0
		for q, c := range costs {
			if years[q] >= 0 {
				continue
			}
			if yearSpent+c <= annualEUR && spent+c <= totalEUR {
				yearSpent += c
				spent += c
				years[q] = y
				left--
				took++
			}
		}
		if took == 0 {
			break // nothing left fits in a year
		}
	}
	return years
}
