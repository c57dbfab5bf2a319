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
func (r *planRun) phase() {
	picks := make([]budgetPick, 0, len(r.plan.Zones))
	for z := range r.plan.Zones {
		zp := &r.plan.Zones[z]
		if zp.Chosen == TechNone {
			continue
		}
		o := zp.ChosenOption()
		cpp := math.Inf(1)
		if o.PremisesServed > 0 {
			cpp = o.CapexEUR / float64(o.PremisesServed)
		}
		picks = append(picks, budgetPick{zone: z, tech: zp.Chosen, prio: r.extra[z].prio, cpp: cpp})
	}
	slices.SortFunc(picks, budgetOrder)
	// The built CAPEX (ChosenOption: hybrid zones build something other
	// than Options[tech]), with the annual budget only.
	costs := make([]float64, len(picks))
	for q, p := range picks {
		costs[q] = r.plan.Zones[p.zone].ChosenOption().CapexEUR
	}
	years := packYears(costs, r.sc.AnnualBudgetEUR, math.Inf(1), r.sc.HorizonYears)
	for q, p := range picks {
		zp := &r.plan.Zones[p.zone]
		if years[q] < 0 {
			zp.Year = 0
			zp.Reasons = addReason(zp.Reasons, OverBudget)
			continue
		}
		zp.Year = years[q]
	}
}

// rolloutYears sums the phased zones by year (Plan.Rollout).
func (r *planRun) rolloutYears() []RolloutYear {
	if r.sc.AnnualBudgetEUR <= 0 {
		return nil
	}
	last := 0
	for z := range r.plan.Zones {
		last = max(last, r.plan.Zones[z].Year)
	}
	out := make([]RolloutYear, last)
	for y := range out {
		out[y].Year = y + 1
	}
	for z := range r.plan.Zones {
		zp := &r.plan.Zones[z]
		if zp.Year <= 0 || zp.Chosen == TechNone {
			continue
		}
		ry := &out[zp.Year-1]
		o := zp.ChosenOption()
		ry.Zones++
		ry.Premises += o.PremisesServed
		ry.CapexEUR += o.CapexEUR
		for k := range NumKinds {
			ry.ReachedByKind[k] += zp.Reached[k]
		}
	}
	cumP, cumC := 0, 0.0
	for y := range out {
		cumP += out[y].Premises
		cumC += out[y].CapexEUR
		out[y].CumPremises, out[y].CumCapexEUR = cumP, cumC
	}
	return out
}
