package coverage

import (
	"errors"
	"fmt"
	"slices"
)

// ErrEvaluation is returned by Decide when the scenario needs another
// evaluation than the one given: its model parameters differ, or its
// policy chooses mixed options the evaluation did not price.
var ErrEvaluation = errors.New("coverage: the scenario needs a new evaluation")

// Decide chooses a technology for every zone of ev under sc's policy and
// returns the plan with every total the outputs need. It never evaluates
// again and touches no geometry: sc may differ from the evaluation's
// scenario only in its decision keys (policy, budgets, threshold, band;
// Scenario.SameEvaluation), otherwise the error wraps ErrEvaluation.
// Deciding is fast (it visits zones, and premises only to label each with
// its technology), so one Evaluation serves many scenarios. The result does
// not depend on sc.Workers.
func Decide(ev *Evaluation, sc Scenario) (*Plan, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	if !ev.Scenario.SameEvaluation(sc) {
		return nil, fmt.Errorf("%w: %s differs from the evaluation's", ErrEvaluation, ev.Scenario.evaluationDiff(sc))
	}
	if sc.Policy == PolicyHybrid && !ev.Mixed {
		return nil, fmt.Errorf("%w: policy hybrid needs mixed options (EvaluateOptions.Mixed)", ErrEvaluation)
	}
	d := newDecider(ev, &sc)
	d.decide()
	d.finish()
	return d.plan, nil
}

// decider is the state of one Decide call.
type decider struct {
	ev     *Evaluation
	sc     *Scenario
	rank   RankBy // what options are ranked on (Scenario.Rank)
	plan   *Plan
	policy zonePolicy // nil under the budget policy, which decides all zones at once
	// per zone
	prio     []int // best priority rank of the zone's premises (Scenario.Priority)
	excluded [][NumTechs]bool
	dem      kindDemand
	// fullCells are the satellite cells that refused a zone in an earlier pass.
	fullCells [2]map[cellKey]bool
}

func newDecider(ev *Evaluation, sc *Scenario) *decider {
	nz := len(ev.Zones)
	d := &decider{ev: ev, sc: sc, policy: zonePolicies[sc.Policy], rank: sc.Rank(),
		prio: make([]int, nz), excluded: make([][NumTechs]bool, nz),
		dem: newKindDemand(sc, sc.Wifi.Active())}
	p := &Plan{Zones: make([]ZonePlan, nz), ZoneLevel: ev.ZoneLevel, Scenario: *sc}
	p.Scenario.Priority = slices.Clone(sc.Priority)
	rank := sc.prioRank()
	for z := range ev.Zones {
		zv := &ev.Zones[z]
		p.Zones[z] = ZonePlan{Zone: zv.Zone, Premises: zv.Premises, Units: zv.Units, Options: zv.Options,
			ZoneLevel: zv.ZoneLevel, ByKind: zv.ByKind}
		best := len(sc.Priority)
		for k, n := range zv.ByKind {
			if n > 0 {
				best = min(best, rank[k])
			}
		}
		d.prio[z] = best
	}
	d.plan = p
	return d
}

// decide chooses a technology for every zone under the scenario's policy,
// then enforces the satellites' cell capacity: zones that overflow a cell
// lose that satellite (SAT_CAPACITY) and are decided again, until no cell
// overflows. Finally
// an annual budget phases the plan (rollout.go).
func (d *decider) decide() {
	for iter := 0; ; iter++ {
		if d.policy == nil {
			d.decideBudget()
		} else {
			for z := range d.plan.Zones {
				d.decideZone(z)
			}
		}
		leo, geo := d.satCapacity(TechLEO), d.satCapacity(TechGEO)
		if !leo && !geo || iter > len(d.plan.Zones) {
			break
		}
	}
	if d.policy != nil && d.sc.AnnualBudgetEUR > 0 {
		d.phase()
	}
}

// decideZone applies the per-zone policy to zone z.
func (d *decider) decideZone(z int) {
	zp := &d.plan.Zones[z]
	d.resetChoice(zp)
	if zp.Premises == 0 {
		return
	}
	pk := d.policy(d, z)
	if pk.mixed {
		zv := &d.ev.Zones[z]
		zp.Chosen = zv.Mixed.Tech
		zp.Built = zv.Mixed
		zp.Mix = zv.MixedMix
		zp.MeetsTarget = true
		zp.Mixed = true
		zp.Reasons = d.choiceReasons(zp, TechFibre, d.cost(&zv.Mixed), nil)
		return
	}
	d.choose(zp, pk.tech, pk.reasons)
	d.skyFallback(z)
}

// usable reports whether option t of zone z may be chosen.
func (d *decider) usable(z int, t Tech) bool {
	return d.plan.Zones[z].Options[t].Feasible && !d.excluded[z][t]
}

// cost is what the ranking compares of option o, per premise served.
func (d *decider) cost(o *Option) float64 { return o.CostPerPremise(d.rank) }

// cheapest returns the usable option of zone z that ranks first (lowest
// cost per premise served under the scenario's ranking; ties: report
// order), skipping skip; TechNone when none.
func (d *decider) cheapest(z int, skip Tech) Tech {
	zp := &d.plan.Zones[z]
	best := TechNone
	for _, t := range Techs {
		if t == skip || !d.usable(z, t) {
			continue
		}
		if best == TechNone || d.cost(&zp.Options[t]) < d.cost(&zp.Options[best]) {
			best = t
		}
	}
	return best
}

func (d *decider) resetChoice(zp *ZonePlan) {
	zp.Chosen = TechNone
	zp.Built = Option{}
	zp.Mix = [NumTechs]int{}
	zp.MeetsTarget = false
	zp.Mixed = false
	zp.Fallback = TechNone
	zp.Reasons = nil
	zp.Year = 0
	zp.Mix[TechNone] = zp.Premises
}

// choose records t as zone zp's choice, with the reasons it won, or, for
// TechNone, the reasons every option failed.
func (d *decider) choose(zp *ZonePlan, t Tech, policyReasons []Reason) {
	zp.Chosen = t
	if t == TechNone {
		rs := policyReasons
		for _, o := range zp.Options[1:] {
			for _, x := range o.Reasons {
				rs = addReason(rs, x)
			}
		}
		if d.excluded[zp.Zone][TechLEO] || d.excluded[zp.Zone][TechGEO] {
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
	zp.Reasons = d.choiceReasons(zp, t, d.cost(&o), policyReasons)
}

// choiceReasons explains a choice: the policy's own reasons, the chosen
// option's degradations (e.g. SAT_OBSTRUCTED) and the reasons that ruled
// out every option that would otherwise have been cheaper.
func (d *decider) choiceReasons(zp *ZonePlan, t Tech, cost float64, policyReasons []Reason) []Reason {
	rs := slices.Clone(policyReasons)
	for _, x := range zp.Options[t].Reasons {
		rs = addReason(rs, x)
	}
	for _, u := range Techs {
		o := &zp.Options[u]
		if u == t || (o.Feasible && !d.excluded[zp.Zone][u]) {
			continue
		}
		if o.PremisesServed == 0 || d.cost(o) < cost {
			for _, x := range o.Reasons {
				rs = addReason(rs, x)
			}
		}
	}
	return rs
}

// skyFallback gives the premises a chosen satellite option cannot serve
// (obstructed sky) the zone's cheapest other usable option that serves
// them, by the ranking, at that option's cost per subscriber (its
// costs scaled by the share of its subscribers they are, as the mixed
// option does). The zone keeps its satellite choice and SAT_OBSTRUCTED;
// Mix and Built count the fallback. Not under the budget policy, whose
// picks are priced before they are made.
func (d *decider) skyFallback(z int) {
	zp := &d.plan.Zones[z]
	t := zp.Chosen
	if (t != TechLEO && t != TechGEO) || zp.Built.PremisesUnserved == 0 {
		return
	}
	fb := d.cheapest(z, t)
	if fb == TechNone {
		return
	}
	fo := &zp.Options[fb]
	n, units := 0, 0
	var subs float64
	if d.ev.ZoneLevel {
		n = min(zp.Built.PremisesUnserved, fo.PremisesServed)
		units = n
		subs = float64(n) * d.sc.Demand[KindHousehold].TakeUp
	} else {
		lo, hi := d.ev.zoneSpan(z)
		for k := lo; k < hi; k++ {
			if sv := d.ev.served[k]; sv&(1<<t) == 0 && sv&(1<<fb) != 0 {
				p := &d.ev.premises[d.ev.order[k]]
				n++
				units += int(max(p.Units, 1))
				subs += d.dem.subs(p)
			}
		}
	}
	if n == 0 || fo.Subscribers <= 0 {
		return
	}
	share := subs / fo.Subscribers
	b := &zp.Built
	b.addShare(&fo.Money, share)
	b.HasNPV = npvAlso(b.Tech, b.HasNPV, fo)
	b.Subscribers += subs
	b.PremisesServed += n
	b.UnitsServed += units
	b.PremisesUnserved -= n
	b.DownMbps = min(b.DownMbps, fo.DownMbps)
	b.UpMbps = min(b.UpMbps, fo.UpMbps)
	b.LatencyMs = max(b.LatencyMs, fo.LatencyMs)
	b.PresentCostPerPremiseEUR = b.PresentCostEUR / float64(b.PremisesServed)
	zp.Mix[fb] += n
	zp.Mix[TechNone] -= n
	zp.Fallback = fb
}
