package coverage

import (
	"cmp"
	"slices"
	"sort"
)

// finish labels every premise with its technology, counts the premises
// reached, and computes every total of the plan. Premises are labelled
// zone by zone in parallel (each zone writes only its own premises and
// counts); the sums run serially in zone order, so the totals do not depend
// on scheduling.
func (d *decider) finish() {
	p, ev := d.plan, d.ev
	p.Premises, p.PremisesByKind, p.Unzoned = ev.Premises, ev.PremisesByKind, ev.Unzoned
	if ev.ZoneLevel {
		for z := range p.Zones {
			zp := &p.Zones[z]
			p.Premises += zp.Premises
			p.PremisesByKind[KindHousehold] += zp.Premises
			zp.Reached = [NumKinds]int{}
			if zp.Chosen != TechNone {
				zp.Reached[KindHousehold] = zp.ChosenOption().PremisesServed
			}
		}
	} else {
		p.PremiseTech = make([]Tech, ev.Premises)
		forEach(len(p.Zones), d.sc.Workers, d.reachZone)
	}
	for z := range p.Zones {
		d.addZone(&p.Zones[z])
	}
	for t := range NumTechs {
		b := p.ByTech[t]
		p.Total.Zones += b.Zones
		p.Total.Premises += b.Premises
		p.Total.Units += b.Units
		p.Total.CapexEUR += b.CapexEUR
		p.Total.OpexEURPerYear += b.OpexEURPerYear
		p.Total.NPVEUR += b.NPVEUR
		p.Total.PublicCostEUR += b.PublicCostEUR
		p.Total.Subscribers += b.Subscribers
		p.Total.Reached += b.Reached
	}
	p.MeetTarget = p.Total.Reached
	p.Reasons = reasonCounts(p.Zones)
	d.rollout()
	p.LEOLoad = leoLoad(p.LEOCells)
	p.CostCurve = costCurve(p.Zones)
}

// reachZone labels every premise of zone z with the technology serving it
// under the decision and counts the premises reached, by kind.
func (d *decider) reachZone(z int) {
	zp := &d.plan.Zones[z]
	zp.Reached = [NumKinds]int{}
	if zp.Chosen == TechNone {
		return
	}
	ev := d.ev
	fb := d.fallback[z]
	for _, i := range ev.zonePremises(z) {
		t := TechNone
		switch {
		case zp.Mixed:
			t = ev.mixed[i]
		case ev.serves(i, zp.Chosen):
			t = zp.Chosen
		case fb != TechNone && ev.serves(i, fb):
			t = fb
		}
		d.plan.PremiseTech[i] = t
		if t != TechNone {
			zp.Reached[kindOf(&ev.premises[i])]++
		}
	}
}

// addZone adds zone zp to the plan's totals.
func (d *decider) addZone(zp *ZonePlan) {
	p := d.plan
	o := zp.ChosenOption()
	tt := &p.ByTech[zp.Chosen]
	tt.Zones++
	tt.Premises += zp.Premises
	tt.Units += zp.Units
	tt.CapexEUR += o.CapexEUR
	tt.OpexEURPerYear += o.OpexEURPerYear
	tt.NPVEUR += o.NPVEUR
	tt.PublicCostEUR += o.PublicCostEUR
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
func (d *decider) rollout() {
	p := d.plan
	last := 0
	for z := range p.Zones {
		last = max(last, p.Zones[z].Year)
	}
	if last == 0 {
		return
	}
	prio := d.sc.prioRank()
	years := make([]RolloutYear, last)
	for z := range p.Zones {
		zp := &p.Zones[z]
		if zp.Chosen == TechNone {
			continue
		}
		y := &p.Unscheduled
		if zp.Year > 0 {
			y = &years[zp.Year-1]
		}
		o := zp.ChosenOption()
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
			if prio[k] < len(d.sc.Priority) {
				y.PriorityReached += zp.Reached[k]
			}
		}
	}
	var cumP int
	var cumC, cumPub float64
	for i := range years {
		y := &years[i]
		y.Year = i + 1
		cumP += y.Premises
		cumC += y.CapexEUR
		cumPub += y.PublicCostEUR
		y.CumPremises, y.CumCapexEUR, y.CumPublicCostEUR = cumP, cumC, cumPub
	}
	p.Rollout = years
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

func leoLoad(cells []LEOCell) LEOLoad {
	l := LEOLoad{Cells: len(cells)}
	for _, c := range cells {
		if c.Full {
			l.Full++
		}
		l.Subscribers += c.Subscribers
		if c.CapacitySubs > 0 {
			load := c.Subscribers / c.CapacitySubs
			if l.Capped == 0 || load > l.MaxLoadShare {
				l.MaxLoadShare = load
			}
			l.Capped++
		}
	}
	return l
}

// costCurve sorts the zones with a chosen option and premises by NPV per
// premise (the built option's; its NPV over the zone's premises when it
// serves none) and accumulates premises and money, from the origin.
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
		o := zp.ChosenOption()
		cpp := o.NPVPerPremiseEUR
		if cpp == 0 {
			cpp = o.NPVEUR / float64(zp.Premises)
		}
		rows = append(rows, row{cpp, z})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].cpp < rows[j].cpp })
	pts := make([]CurvePoint, 0, len(rows)+1)
	pts = append(pts, CurvePoint{})
	var c CurvePoint
	for _, r := range rows {
		zp := &zones[r.z]
		o := zp.ChosenOption()
		c.Premises += zp.Premises
		c.NPVEUR += o.NPVEUR
		c.CapexEUR += o.CapexEUR
		c.PublicCostEUR += o.PublicCostEUR
		pts = append(pts, c)
	}
	return pts
}
