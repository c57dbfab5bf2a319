package coverage

import (
	"math"
	"slices"
)

// phase turns a per-zone plan (any policy but budget, which phases while
// choosing) into a year-by-year rollout under AnnualBudgetEUR: zones with
// priority premises first, then the cheapest CAPEX per premise; each
// zone's CAPEX in one year (dig once); at most the annual budget a year
// over the horizon. The technical choice stands for zones that do not fit;
// they keep Year 0 and get OVER_BUDGET.
func (d *decider) phase() {
	picks := make([]budgetPick, 0, len(d.plan.Zones))
	for z := range d.plan.Zones {
		zp := &d.plan.Zones[z]
		if zp.Chosen == TechNone {
			continue
		}
		o := zp.chosen()
		cpp := math.Inf(1)
		if o.PremisesServed > 0 {
			cpp = o.CapexEUR / float64(o.PremisesServed)
		}
		picks = append(picks, budgetPick{zone: z, tech: zp.Chosen, prio: d.prio[z], cpp: cpp})
	}
	slices.SortFunc(picks, budgetOrder)
	// The built CAPEX (ChosenOption: hybrid zones build something other
	// than Options[tech]), with the annual budget only.
	costs := make([]float64, len(picks))
	for q, p := range picks {
		costs[q] = d.plan.Zones[p.zone].chosen().CapexEUR
	}
	years := packYears(costs, d.sc.AnnualBudgetEUR, math.Inf(1), d.sc.HorizonYears)
	for q, p := range picks {
		zp := &d.plan.Zones[p.zone]
		if years[q] < 0 {
			zp.Year = 0
			zp.Reasons = addReason(zp.Reasons, OverBudget)
			continue
		}
		zp.Year = years[q]
	}
}
