package coverage

import (
	"math"
	"slices"
)

// decide chooses a technology for every zone under the scenario's policy,
// then enforces LEO cell capacity: zones that overflow a cell lose LEO
// (SAT_CAPACITY) and are decided again, until no cell overflows. Finally
// an annual budget phases the plan (rollout.go).
func (r *planRun) decide() {
	for iter := 0; ; iter++ {
		if r.sc.Policy == PolicyBudget {
			r.decideBudget()
		} else {
			for z := range r.plan.Zones {
				r.decideZone(z)
			}
		}
		if !r.leoCapacity() || iter > len(r.plan.Zones) {
			break
		}
	}
	if r.sc.Policy != PolicyBudget && r.sc.AnnualBudgetEUR > 0 {
		r.phase()
	}
}

// usable reports whether option t of zone z may be chosen.
func (r *planRun) usable(z int, t Tech) bool {
	return r.plan.Zones[z].Options[t].Feasible && !r.excluded[z][t]
}

// cheapest returns the usable option of zone z with the lowest NPV per
// premise served (ties: report order), skipping skip; TechNone when none.
func (r *planRun) cheapest(z int, skip Tech) Tech {
	zp := &r.plan.Zones[z]
	best := TechNone
	for _, t := range Techs {
		if t == skip || !r.usable(z, t) {
			continue
		}
		if best == TechNone || zp.Options[t].NPVPerPremiseEUR < zp.Options[best].NPVPerPremiseEUR {
			best = t
		}
	}
	return best
}

// decideZone applies a per-zone policy (all but budget) to zone z.
func (r *planRun) decideZone(z int) {
	zp := &r.plan.Zones[z]
	r.resetChoice(zp)
	if zp.Premises == 0 {
		return
	}
	r.extra[z].hybridChosen = false
	r.extra[z].fallback = TechNone
	var policyReasons []Reason
	chosen := r.cheapest(z, TechNone)
	switch r.sc.Policy {
	case PolicyFibreFirst:
		if r.usable(z, TechFibre) {
			fo := &zp.Options[TechFibre]
			if fo.CapexEUR/float64(fo.PremisesServed) <= r.sc.ThresholdEUR {
				chosen = TechFibre
			} else {
				policyReasons = addReason(policyReasons, FibreOverThreshold)
				chosen = r.cheapest(z, TechFibre)
			}
		}
	case PolicyLowestCostBand:
		pt := r.sc.PriorityTech
		if chosen != TechNone && pt != chosen && r.usable(z, pt) &&
			zp.Options[pt].NPVPerPremiseEUR <= (1+r.sc.BandShare)*zp.Options[chosen].NPVPerPremiseEUR {
			chosen = pt
		}
	case PolicyHybrid:
		ex := &r.extra[z]
		if ex.hybridOK && (ex.hybridMix[TechLEO] == 0 || !r.excluded[z][TechLEO]) &&
			(chosen == TechNone || ex.hybrid.NPVPerPremiseEUR < zp.Options[chosen].NPVPerPremiseEUR) &&
			ex.hybridMix[TechFibre] > 0 && ex.hybridMix[TechFibre] < zp.Premises-ex.hybridMix[TechNone] {
			zp.Chosen = ex.hybrid.Tech
			zp.Built = ex.hybrid
			zp.Mix = ex.hybridMix
			zp.MeetsTarget = true
			r.extra[z].hybridChosen = true
			zp.Reasons = r.choiceReasons(zp, TechFibre, ex.hybrid.NPVPerPremiseEUR, nil)
			return
		}
	}
	r.choose(zp, chosen, policyReasons)
	r.skyFallback(z)
}

// skyFallback gives the premises a chosen satellite option cannot serve
// (obstructed sky) the zone's cheapest other usable option that serves
// them, by NPV per premise, at that option's cost per subscriber (its
// costs scaled by the share of its subscribers they are, as hybrid does).
// The zone keeps its satellite choice and SAT_OBSTRUCTED; Mix and Built
// count the fallback. Not under the budget policy, whose picks are priced
// before they are made.
func (r *planRun) skyFallback(z int) {
	zp := &r.plan.Zones[z]
	t := zp.Chosen
	if (t != TechLEO && t != TechGEO) || zp.Built.PremisesUnserved == 0 {
		return
	}
	fb := TechNone
	for _, u := range Techs {
		if u != t && r.usable(z, u) && (fb == TechNone || zp.Options[u].NPVPerPremiseEUR < zp.Options[fb].NPVPerPremiseEUR) {
			fb = u
		}
	}
	if fb == TechNone {
		return
	}
	fo := &zp.Options[fb]
	n, units := 0, 0
	var subs float64
	if r.zoneLevel {
		n = min(zp.Built.PremisesUnserved, fo.PremisesServed)
		units = n
		subs = float64(n) * r.sc.Demand[KindHousehold].TakeUp
	} else {
		for _, i := range r.zonePremises(z) {
			if r.served[i]&(1<<t) == 0 && r.served[i]&(1<<fb) != 0 {
				p := &r.in.Premises[i]
				n++
				units += int(max(p.Units, 1))
				subs += r.dem.subs(p)
			}
		}
	}
	if n == 0 || fo.Subscribers <= 0 {
		return
	}
	share := subs / fo.Subscribers
	b := &zp.Built
	b.CapexEUR += share * fo.CapexEUR
	b.OpexEURPerYear += share * fo.OpexEURPerYear
	b.NPVEUR += share * fo.NPVEUR
	b.PublicCostEUR += share * fo.PublicCostEUR
	b.ReinvestEUR += share * fo.ReinvestEUR
	b.Subscribers += subs
	b.PremisesServed += n
	b.UnitsServed += units
	b.PremisesUnserved -= n
	b.DownMbps = min(b.DownMbps, fo.DownMbps)
	b.UpMbps = min(b.UpMbps, fo.UpMbps)
	b.LatencyMs = max(b.LatencyMs, fo.LatencyMs)
	b.NPVPerPremiseEUR = b.NPVEUR / float64(b.PremisesServed)
	zp.Mix[fb] += n
	zp.Mix[TechNone] -= n
	r.extra[z].fallback = fb
}

func (r *planRun) resetChoice(zp *ZonePlan) {
	zp.Chosen = TechNone
	zp.Built = Option{}
	zp.Mix = [NumTechs]int{}
	zp.MeetsTarget = false
	zp.Reasons = nil
	zp.Year = 0
	zp.Mix[TechNone] = zp.Premises
}

// choose records t as zone zp's choice, with the reasons it won.
func (r *planRun) choose(zp *ZonePlan, t Tech, policyReasons []Reason) {
	zp.Chosen = t
	if t == TechNone {
		rs := policyReasons
		for _, o := range zp.Options[1:] {
			for _, x := range o.Reasons {
				rs = addReason(rs, x)
			}
		}
		if r.excluded[zp.Zone][TechLEO] {
			rs = addReason(rs, SatCapacity)
		}
		zp.Reasons = rs
		return
	}
	o := zp.Options[t]
	zp.Built = o
	zp.MeetsTarget = true
	zp.Mix = [NumTechs]int{}
	zp.Mix[t] = o.PremisesServed
	zp.Mix[TechNone] = zp.Premises - o.PremisesServed
	zp.Reasons = r.choiceReasons(zp, t, o.NPVPerPremiseEUR, policyReasons)
}

// choiceReasons explains a choice: the policy's own reasons, the chosen
// option's degradations (e.g. SAT_OBSTRUCTED) and the reasons that ruled
// out every option that would otherwise have been cheaper.
func (r *planRun) choiceReasons(zp *ZonePlan, t Tech, npvPP float64, policyReasons []Reason) []Reason {
	rs := slices.Clone(policyReasons)
	for _, x := range zp.Options[t].Reasons {
		rs = addReason(rs, x)
	}
	for _, u := range Techs {
		o := &zp.Options[u]
		if u == t || (o.Feasible && !r.excluded[zp.Zone][u]) {
			continue
		}
		if o.PremisesServed == 0 || o.NPVPerPremiseEUR < npvPP {
			for _, x := range o.Reasons {
				rs = addReason(rs, x)
			}
		}
	}
	return rs
}

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
// least-cost option by NPV ("npv"); zones are taken greedily in
// budgetOrder, skipping those that no longer fit. Zones left out get
// OVER_BUDGET. Spending never exceeds either budget.
func (r *planRun) decideBudget() {
	picks := make([]budgetPick, 0, len(r.plan.Zones))
	for z := range r.plan.Zones {
		zp := &r.plan.Zones[z]
		r.resetChoice(zp)
		if zp.Premises == 0 {
			continue
		}
		best, bestCPP := TechNone, math.Inf(1)
		if r.sc.BudgetPick == "npv" {
			if best = r.cheapest(z, TechNone); best != TechNone {
				bestCPP = zp.Options[best].CapexEUR / float64(zp.Options[best].PremisesServed)
			}
		} else {
			for _, t := range Techs {
				if !r.usable(z, t) {
					continue
				}
				o := &zp.Options[t]
				cpp := o.CapexEUR / float64(o.PremisesServed)
				if cpp < bestCPP || cpp == bestCPP && o.NPVPerPremiseEUR < zp.Options[best].NPVPerPremiseEUR {
					best, bestCPP = t, cpp
				}
			}
		}
		if best == TechNone {
			r.choose(zp, TechNone, nil)
			continue
		}
		picks = append(picks, budgetPick{zone: z, tech: best, prio: r.extra[z].prio, cpp: bestCPP})
	}
	slices.SortFunc(picks, budgetOrder)
	costs := make([]float64, len(picks))
	for q, p := range picks {
		costs[q] = r.plan.Zones[p.zone].Options[p.tech].CapexEUR
	}
	total := math.Inf(1)
	if r.sc.BudgetEUR > 0 {
		total = r.sc.BudgetEUR
	}
	years := packYears(costs, r.sc.AnnualBudgetEUR, total, r.sc.HorizonYears)
	for q, p := range picks {
		zp := &r.plan.Zones[p.zone]
		if years[q] < 0 {
			r.choose(zp, TechNone, []Reason{OverBudget})
			continue
		}
		r.choose(zp, p.tech, nil)
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

// leoCapacity counts, per LEO cell, the subscribers of zones whose plan
// uses LEO, taking zones in priority then zone order. A zone that would
// push a cell over leo.cell_max_subs loses LEO (SAT_CAPACITY). It records
// the cells in the plan and reports whether any zone lost LEO.
func (r *planRun) leoCapacity() bool {
	capSubs := r.sc.LEO.CellMaxSubs
	order := make([]int, 0)
	for z := range r.plan.Zones {
		if r.plan.Zones[z].Mix[TechLEO] > 0 {
			order = append(order, z)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return r.extra[a].prio - r.extra[b].prio })
	load := make(map[cellKey]float64)
	full := make(map[cellKey]bool)
	changed := false
	for _, z := range order {
		zp := &r.plan.Zones[z]
		lo := &zp.Options[TechLEO]
		scale := 1.0
		if lo.PremisesServed > 0 {
			scale = float64(zp.Mix[TechLEO]) / float64(lo.PremisesServed)
		}
		fits := true
		if capSubs > 0 {
			for _, c := range r.extra[z].cells {
				if load[c.Key]+c.Subs*scale > capSubs+1e-9 {
					fits = false
					full[c.Key] = true
				}
			}
		}
		if !fits {
			r.excluded[z][TechLEO] = true
			lo.Reasons = addReason(lo.Reasons, SatCapacity)
			lo.Feasible = false
			changed = true
			continue
		}
		for _, c := range r.extra[z].cells {
			load[c.Key] += c.Subs * scale
		}
	}
	keys := make([]cellKey, 0, len(load)+len(full))
	for k := range load {
		keys = append(keys, k)
	}
	for k := range full {
		if _, ok := load[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	r.plan.LEOCells = r.plan.LEOCells[:0]
	for _, k := range keys {
		q, rr := k.qr()
		c := hexCentre(k, r.sc.LEO.CellWidthM)
		r.plan.LEOCells = append(r.plan.LEOCells, LEOCell{Q: q, R: rr, X: c[0], Y: c[1],
			Subscribers: load[k], CapacitySubs: capSubs, Full: full[k] || r.fullCell(k)})
	}
	if r.fullCells == nil {
		r.fullCells = make(map[cellKey]bool)
	}
	for k := range full {
		r.fullCells[k] = true
	}
	return changed
}

func (r *planRun) fullCell(k cellKey) bool { return r.fullCells[k] }
