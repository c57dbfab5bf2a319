package coverage

// kindDemand is the per-kind demand the models use, precomputed once per run.
type kindDemand struct {
	takeUp [NumKinds]float64
	// shareMbps is the capacity one subscriber of each kind takes on a shared
	// wireless site: the larger of its busy-hour traffic and the target
	// speed divided by the oversubscription (the sizing rule of MODEL.md §3).
	shareMbps [NumKinds]float64
	prio      [NumKinds]int
}

func newKindDemand(sc *Scenario, prof WifiProfile) kindDemand {
	var d kindDemand
	sizing := sizingMbps(sc, prof)
	for k := range NumKinds {
		d.takeUp[k] = sc.Demand[k].TakeUp
		d.shareMbps[k] = max(sizing/prof.Oversubscription, sc.Demand[k].BusyHourMbps)
	}
	d.prio = sc.prioRank()
	return d
}

// sizingMbps is the per-subscriber speed wireless sites are sized for: the
// target's download speed — under a fibre-grade target, the speed the
// alternatives must reach (target.alt_down_mbps), as wireless is one — or
// the profile's peak when there is no target.
func sizingMbps(sc *Scenario, prof WifiProfile) float64 {
	t := sc.Target.DownMbps
	if sc.Target.FibreGrade && sc.Target.AltDownMbps > 0 {
		t = sc.Target.AltDownMbps
	}
	if t > 0 {
		return t
	}
	return prof.DownMbps
}

// subs is the expected subscribers of a premise: units × take-up of its kind.
func (d *kindDemand) subs(p *Premise) float64 {
	k := p.Kind
	if k >= NumKinds {
		k = KindOther
	}
	return float64(max(p.Units, 1)) * d.takeUp[k]
}

// loadMbps is the wireless capacity a premise takes: subscribers × share.
func (d *kindDemand) loadMbps(p *Premise) float64 {
	k := p.Kind
	if k >= NumKinds {
		k = KindOther
	}
	return float64(max(p.Units, 1)) * d.takeUp[k] * d.shareMbps[k]
}

func kindOf(p *Premise) Kind {
	if p.Kind >= NumKinds {
		return KindOther
	}
	return p.Kind
}
