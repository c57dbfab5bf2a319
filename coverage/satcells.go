package coverage

import "slices"

// satIndex is the index of satellite technology t (LEO, GEO) in per-satellite arrays.
func satIndex(t Tech) int { return int(t - TechLEO) }

// satCapacity applies the capacity of satellite t's cells (LEO) or beams
// (GEO), alike for both: taking zones whose plan uses t in priority then
// zone order, it adds each zone's busy-hour load per cell; a zone that
// would push a cell over <t>.cell_capacity_mbps loses t (SAT_CAPACITY). It
// records the cells in the plan and reports whether any zone lost t.
func (d *decider) satCapacity(t Tech) bool {
	sp := satParams(d.sc, t)
	capMbps := sp.CellCapacityMbps
	si := satIndex(t)
	var order []int
	for z := range d.plan.Zones {
		if d.plan.Zones[z].Mix[t] > 0 {
			order = append(order, z)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return d.prio[a] - d.prio[b] })
	load := make(map[cellKey]float64)
	subs := make(map[cellKey]float64)
	full := make(map[cellKey]bool)
	changed := false
	for _, z := range order {
		zp := &d.plan.Zones[z]
		so := &zp.Options[t]
		scale := 1.0
		if so.PremisesServed > 0 {
			scale = float64(zp.Mix[t]) / float64(so.PremisesServed)
		}
		cells := d.ev.Zones[z].satCells[si]
		fits := true
		if capMbps > 0 {
			for _, c := range cells {
				if load[c.Key]+c.LoadMbps*scale > capMbps+1e-9 {
					fits = false
					full[c.Key] = true
				}
			}
		}
		if !fits {
			d.excluded[z][t] = true
			so.Reasons = addReason(so.Reasons, SatCapacity)
			so.Feasible = false
			changed = true
			continue
		}
		for _, c := range cells {
			load[c.Key] += c.LoadMbps * scale
			subs[c.Key] += c.Subs * scale
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
	cells := d.plan.SatCells[si][:0]
	for _, k := range keys {
		q, rr := k.qr()
		c := hexCentre(k, sp.CellWidthM)
		cells = append(cells, SatCell{Tech: t, Q: q, R: rr, X: c[0], Y: c[1], Subscribers: subs[k],
			LoadMbps: load[k], CapacityMbps: capMbps, Full: full[k] || d.fullCells[si][k]})
	}
	d.plan.SatCells[si] = cells
	if d.fullCells[si] == nil {
		d.fullCells[si] = make(map[cellKey]bool)
	}
	for k := range full {
		d.fullCells[si][k] = true
	}
	return changed
}
