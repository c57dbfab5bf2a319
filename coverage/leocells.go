package coverage

import "slices"

// leoCapacity counts, per LEO cell, the subscribers of zones whose plan
// uses LEO, taking zones in priority then zone order. A zone that would
// push a cell over leo.cell_max_subs loses LEO (SAT_CAPACITY). It records
// the cells in the plan and reports whether any zone lost LEO.
func (d *decider) leoCapacity() bool {
	capSubs := d.sc.LEO.CellMaxSubs
	order := make([]int, 0)
	for z := range d.plan.Zones {
		if d.plan.Zones[z].Mix[TechLEO] > 0 {
			order = append(order, z)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return d.prio[a] - d.prio[b] })
	load := make(map[cellKey]float64)
	full := make(map[cellKey]bool)
	changed := false
	for _, z := range order {
		zp := &d.plan.Zones[z]
		lo := &zp.Options[TechLEO]
		scale := 1.0
		if lo.PremisesServed > 0 {
			scale = float64(zp.Mix[TechLEO]) / float64(lo.PremisesServed)
		}
		fits := true
		if capSubs > 0 {
			for _, c := range d.ev.Zones[z].leoCells {
				if load[c.Key]+c.Subs*scale > capSubs+1e-9 {
					fits = false
					full[c.Key] = true
				}
			}
		}
		if !fits {
			d.excluded[z][TechLEO] = true
			lo.Reasons = addReason(lo.Reasons, SatCapacity)
			lo.Feasible = false
			changed = true
			continue
		}
		for _, c := range d.ev.Zones[z].leoCells {
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
	d.plan.LEOCells = d.plan.LEOCells[:0]
	for _, k := range keys {
		q, rr := k.qr()
		c := hexCentre(k, d.sc.LEO.CellWidthM)
		d.plan.LEOCells = append(d.plan.LEOCells, LEOCell{Q: q, R: rr, X: c[0], Y: c[1],
			Subscribers: load[k], CapacitySubs: capSubs, Full: full[k] || d.fullCells[k]})
	}
	if d.fullCells == nil {
		d.fullCells = make(map[cellKey]bool)
	}
	for k := range full {
		d.fullCells[k] = true
	}
	return changed
}
