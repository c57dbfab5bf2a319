package coverage

import (
	"cmp"
	"slices"
)

// finish labels every premise with its technology, counts the premises
// reached, and computes every total of the plan. Premises are labelled
// zone by zone in parallel (each zone writes only its own premises and
// counts); the sums run serially in zone order, so the totals do not depend
// on scheduling.
func (d *decider) finish() {
	p, ev := d.plan, d.ev
	p.Premises, p.PremisesByKind, p.Unzoned = ev.Premises, ev.PremisesByKind, ev.Unzoned
	p.ev = ev
	for z := range p.Zones {
		zp := &p.Zones[z]
		zp.Reached = [NumKinds]int{}
		switch {
		case ev.ZoneLevel:
			p.Premises += zp.Premises
			p.PremisesByKind[KindHousehold] += zp.Premises
			if zp.Chosen != TechNone {
				zp.Reached[KindHousehold] = zp.chosen().PremisesServed
			}
		case zp.Chosen != TechNone:
			zp.Reached = ev.Zones[z].reached(zp)
		}
	}
	p.SumZones()
}

// reached counts the zone's premises the decision zp brings to the target,
// by kind: those the chosen option serves (or its fallback), or under the
// mixed option those it gives a technology.
func (zv *ZoneEval) reached(zp *ZonePlan) (r [NumKinds]int) {
	if zp.Mixed {
		for t := TechFibre; t < NumTechs; t++ {
			for k, n := range zv.mixedByKind[t] {
				r[k] += int(n)
			}
		}
		return r
	}
	want := uint8(1)<<zp.Chosen | uint8(1)<<zp.Fallback // bit 0 (TechNone) is never set
	for mask, byKind := range zv.byMask {
		if uint8(mask<<1)&want&^1 == 0 {
			continue
		}
		for k, n := range byKind {
			r[k] += int(n)
		}
	}
	return r
}

// PremiseTechs returns the technology serving each premise (aligned with
// Input.Premises; TechNone for premises no built option serves and for
// premises in no zone), or nil in zone-level mode. For a plan built by
// hand it returns PremiseTech. It labels the premises anew at each call
// (one pass over them, zones in parallel), so that deciding alone never
// visits premises.
func (p *Plan) PremiseTechs() []Tech {
	ev := p.ev
	if p.PremiseTech != nil || ev == nil || ev.ZoneLevel {
		return p.PremiseTech
	}
	out := make([]Tech, ev.Premises)
	forEach(len(p.Zones), p.Scenario.Workers, func(z int) {
		zp := &p.Zones[z]
		if zp.Chosen == TechNone {
			return
		}
		lo, hi := ev.zoneSpan(z)
		for k := lo; k < hi; k++ {
			t, sv := TechNone, ev.served[k]
			switch {
			case zp.Mixed:
				t = ev.mixed[k]
			case sv&(1<<zp.Chosen) != 0:
				t = zp.Chosen
			case zp.Fallback != TechNone && sv&(1<<zp.Fallback) != 0:
				t = zp.Fallback
			}
			out[ev.order[k]] = t
		}
	})
	return out
}

// SumZones computes every total of p from its zones (p.Zones, their
// choices, money, counts and years) and its LEO cells: ByTech, Total,
// MeetTarget, InZonesByKind, ReachedByKind, ServedBy, the zone and premise
// counts, Reasons, Rollout, Unscheduled, SatLoad and CostCurve. Decide
// calls it; a tool that builds or edits a Plan by hand calls it so that
// every output reads the same totals. Premises, PremisesByKind and Unzoned
// (counts of the input) are left as they are. Sums run in zone order.
func (p *Plan) SumZones() {
	p.ByTech, p.Total = [NumTechs]TechTotals{}, TechTotals{}
	p.ReachedByKind, p.InZonesByKind, p.ServedBy = [NumKinds]int{}, [NumKinds]int{}, [NumTechs]int{}
	p.ZonesWithPremises, p.ZonesWithoutOption, p.ChosenPremises = 0, 0, 0
	p.PremisesMeeting, p.UnitsMeeting = 0, 0
	for z := range p.Zones {
		p.addZone(&p.Zones[z])
	}
	for t := range NumTechs {
		b := &p.ByTech[t]
		p.Total.Zones += b.Zones
		p.Total.Premises += b.Premises
		p.Total.Units += b.Units
		p.Total.addShare(&b.Money, 1)
		p.Total.NPVZones += b.NPVZones
		p.Total.NPVPremises += b.NPVPremises
		p.Total.Subscribers += b.Subscribers
		p.Total.Reached += b.Reached
	}
	p.MeetTarget = p.Total.Reached
	p.PremisesServed = p.Total.Premises - p.ServedBy[TechNone]
	p.ZonesWithoutPremises = p.Total.Zones - p.ZonesWithPremises
	p.Reasons = reasonCounts(p.Zones)
	p.rollout()
	p.ProgrammedReached = p.MeetTarget - p.NotProgrammed.Reached
	for si := range p.SatCells {
		p.SatLoad[si] = satLoad(p.SatCells[si])
	}
	p.CostCurve = costCurve(p.Zones)
}

// addZone adds zone zp to the plan's totals.
func (p *Plan) addZone(zp *ZonePlan) {
	o := zp.chosen()
	tt := &p.ByTech[zp.Chosen]
	tt.Zones++
	tt.Premises += zp.Premises
	tt.Units += zp.Units
	npv := o.NPVEUR
	tt.addShare(&o.Money, 1)
	if zp.Chosen != TechNone && o.HasNPV {
		tt.NPVZones++
		tt.NPVPremises += o.PremisesServed
	} else {
		tt.NPVEUR -= npv
	}
	tt.Subscribers += o.Subscribers
	for k := range NumKinds {
		tt.Reached += zp.Reached[k]
		p.ReachedByKind[k] += zp.Reached[k]
		p.InZonesByKind[k] += zp.ByKind[k]
	}
	for t, n := range zp.Mix {
		p.ServedBy[t] += n
	}
	if zp.Premises > 0 {
		p.ZonesWithPremises++
		if zp.Chosen == TechNone {
			p.ZonesWithoutOption++
		}
	}
	if zp.Chosen != TechNone {
		p.ChosenPremises += zp.Premises
	}
	if zp.MeetsTarget {
		p.PremisesMeeting += zp.Premises
		p.UnitsMeeting += zp.Units
	}
}

// rollout sums the zones by rollout year (Plan.Rollout, Plan.Unscheduled).
func (p *Plan) rollout() {
	p.Rollout, p.Unscheduled, p.NotProgrammed = nil, RolloutYear{}, RolloutYear{}
	last := 0
	for z := range p.Zones {
		last = max(last, p.Zones[z].Year)
	}
	if last == 0 {
		return
	}
	var prio [NumKinds]bool
	for _, k := range p.Scenario.Priority {
		if k < NumKinds {
			prio[k] = true
		}
	}
	years := make([]RolloutYear, last)
	for z := range p.Zones {
		zp := &p.Zones[z]
		if zp.Year == 0 {
			p.NotProgrammed.addZone(zp, &prio)
		}
		if zp.Chosen == TechNone {
			continue
		}
		y := &p.Unscheduled
		if zp.Year > 0 {
			y = &years[zp.Year-1]
		}
		y.addZone(zp, &prio)
	}
	var cumP, cumZ int
	var cumC, cumPub float64
	for i := range years {
		y := &years[i]
		y.Year = i + 1
		cumP += y.Premises
		cumZ += y.ZonePremises
		cumC += y.CapexEUR
		cumPub += y.PublicCostEUR
		y.CumPremises, y.CumZonePremises, y.CumCapexEUR, y.CumPublicCostEUR = cumP, cumZ, cumC, cumPub
	}
	p.Rollout = years
}

// addZone adds zone zp to the year; prio marks the scenario's priority kinds.
func (y *RolloutYear) addZone(zp *ZonePlan, prio *[NumKinds]bool) {
	o := zp.chosen()
	y.Zones++
	y.ZonePremises += zp.Premises
	y.ByTech[zp.Chosen] += zp.Premises
	y.Units += zp.Units
	y.Premises += o.PremisesServed
	if zp.MeetsTarget {
		y.PremisesMeeting += zp.Premises
	}
	y.CapexEUR += o.CapexEUR
	y.PublicCostEUR += o.PublicCostEUR
	for k := range NumKinds {
		y.ReachedByKind[k] += zp.Reached[k]
		y.Reached += zp.Reached[k]
		if prio[k] {
			y.PriorityReached += zp.Reached[k]
		}
	}
}

// reasonCounts counts the reason codes of the zones: MODEL.md's codes in
// reasonOrder, then any other code in byte order; codes that occur nowhere
// are left out. A code counts once per zone and option.
func reasonCounts(zones []ZonePlan) []ReasonCount {
	index := make(map[Reason]int, len(reasonOrder))
	out := make([]ReasonCount, 0, len(reasonOrder))
	for _, r := range reasonOrder {
		index[r] = len(out)
		out = append(out, ReasonCount{Code: r})
	}
	get := func(r Reason) *ReasonCount {
		i, ok := index[r]
		if !ok {
			i = len(out)
			index[r] = i
			out = append(out, ReasonCount{Code: r})
		}
		return &out[i]
	}
	for z := range zones {
		zp := &zones[z]
		for i, r := range zp.Reasons {
			if r == "" || slices.Contains(zp.Reasons[:i], r) {
				continue
			}
			c := get(r)
			c.Zones++
			c.Premises += zp.Premises
		}
		for _, t := range Techs {
			rs := zp.Options[t].Reasons
			for i, r := range rs {
				if r != "" && !slices.Contains(rs[:i], r) {
					get(r).ByOption[t]++
				}
			}
		}
	}
	extra := out[len(reasonOrder):]
	slices.SortFunc(extra, func(a, b ReasonCount) int { return cmp.Compare(a.Code, b.Code) })
	kept := out[:0]
	for _, c := range out {
		n := c.Zones
		for _, k := range c.ByOption {
			n += k
		}
		if n > 0 {
			kept = append(kept, c)
		}
	}
	return kept
}

func satLoad(cells []SatCell) SatLoad {
	l := SatLoad{Cells: len(cells)}
	for _, c := range cells {
		if c.Full {
			l.Full++
		}
		l.Subscribers += c.Subscribers
		l.LoadMbps += c.LoadMbps
		if c.CapacityMbps > 0 {
			load := c.LoadMbps / c.CapacityMbps
			if l.Capped == 0 || load > l.MaxLoadShare {
				l.MaxLoadShare = load
			}
			l.Capped++
		}
	}
	return l
}

// costCurve sorts the zones with a chosen option and premises by present
// cost per premise served (the built option's) and accumulates the
// premises served and money, from the origin.
func costCurve(zones []ZonePlan) []CurvePoint {
	type row struct {
		cpp float64
		z   int
	}
	rows := make([]row, 0, len(zones))
	for z := range zones {
		zp := &zones[z]
		if zp.Chosen == TechNone || zp.Premises <= 0 {
			continue
		}
		o := zp.chosen()
		if o.PremisesServed <= 0 {
			continue
		}
		rows = append(rows, row{o.PresentCostEUR / float64(o.PremisesServed), z})
	}
	slices.SortStableFunc(rows, func(a, b row) int { return cmpFloat(a.cpp, b.cpp) })
	pts := make([]CurvePoint, 0, len(rows)+1)
	pts = append(pts, CurvePoint{})
	var c CurvePoint
	for _, r := range rows {
		zp := &zones[r.z]
		o := zp.chosen()
		c.Premises += o.PremisesServed
		c.PresentCostEUR += o.PresentCostEUR
		c.CapexEUR += o.CapexEUR
		c.PublicCostEUR += o.PublicCostEUR
		pts = append(pts, c)
	}
	return pts
}
