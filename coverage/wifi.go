package coverage

import "math"

// shareExistingAPs shares the capacity of every operational access point
// among the premises it reaches, before zones are evaluated (an access
// point may reach premises of several zones), and returns the access point
// serving each premise (-1: none). Priority kinds go first, then premises
// in input order; each premise takes the nearest access point (ties: lower
// index) that reaches it (Index.APsInRange) and still has room for its
// whole load (MODEL.md §3: capacity × oversubscription ÷ target speed
// subscribers). An access point without a capacity gets the profile's.
// Premises in no zone take none. The pass is sequential (capacity is
// shared) and costs one visit per premise–access point pair in range.
func (md *model) shareExistingAPs(m []PremiseMeasure) []int32 {
	in := md.ix.in
	n := len(in.Premises)
	apOf := make([]int32, n)
	for i := range apOf {
		apOf[i] = -1
	}
	if len(in.APs) == 0 {
		return apOf
	}
	room := make([]float64, len(in.APs))
	for a, ap := range in.APs {
		c := ap.CapacityMbps
		if c <= 0 {
			c = md.prof.CapacityMbps
		}
		room[a] = c
	}
	var load, bestD float64
	var best int32
	visit := func(ap int32, d float64) bool {
		if room[ap] >= load && (d < bestD || d == bestD && ap < best) {
			best, bestD = ap, d
		}
		return true
	}
	rounds := len(md.sc.Priority) + 1
	for round := range rounds {
		for i := range n {
			if m[i].APs == 0 || m[i].Zone < 0 {
				continue
			}
			p := &in.Premises[i]
			if pr := md.dem.prio[kindOf(p)]; pr != round && (round < rounds-1 || pr < round) {
				continue
			}
			load, best, bestD = md.dem.loadMbps(p), -1, math.Inf(1)
			// The measured nearest access point in range (ties: lowest
			// index) is the one the search below would pick whenever it
			// can still take the load: skip the search then.
			if a := m[i].NearestAP; a >= 0 && int(a) < len(room) && room[a] >= load {
				best = a
			} else {
				md.ix.APsInRange(p.Pt, visit)
			}
			if best >= 0 {
				room[best] -= load
				apOf[i] = best
			}
		}
	}
	return apOf
}

// wifiPremises evaluates Wi-Fi / fixed wireless for the premises of one
// zone (MODEL.md §3). Premises served by existing access points cost only
// their CPE. The others get new sites, placed greedily (placeSites): among
// candidate sites (the premises themselves, at most maxCandidates at a
// time, sampled evenly), the one covering the most uncovered load within
// range is built, up to its capacity, until every premise is covered or
// the zone's site limit is hit (WIFI_CAPACITY). A site needs backhaul:
// fibre at fibre's €/m when the network is within fibre_backhaul_max_m,
// else a microwave hop when within microwave_max_m, else
// (fibre.allow_new_nodes) a microwave hop to a point of presence on leased
// transit (fibre.transit_eur once per zone), else the site cannot be built
// (WIFI_NO_SITE).
//
//	CAPEX = sites × (site € + radio €) + backhaul + CPE € × subscribers
//	OPEX  = site opex € × sites a year
//	reinvestment every equipment_years: radios and CPE
//
// The public body pays all but the CPE, of which it pays the voucher.
func (md *model) wifiPremises(zi *zoneIn, b *wifiBuf) Option {
	pf := &md.prof
	o := Option{Tech: TechWifi, UpMbps: pf.UpMbps, LatencyMs: pf.LatencyMs}
	b.prem, b.ms = zi.prem, zi.ms
	b.pts = b.pts[:0]
	b.load = b.load[:0]
	var subs float64
	minSpeed := pf.DownMbps
	sizing := sizingMbps(md.sc, *pf)
	for q := range zi.prem {
		p := &zi.prem[q]
		if zi.apOf[q] >= 0 {
			zi.serve(q, TechWifi)
			o.PremisesOnAPs++
			o.PremisesServed++
			o.UnitsServed += int(max(p.Units, 1))
			subs += md.dem.subs(p)
			continue
		}
		b.pts = append(b.pts, int32(q))
		b.load = append(b.load, md.dem.loadMbps(p))
	}
	if o.PremisesOnAPs > 0 {
		// Existing sites were filled to at most their capacity at the sizing speed.
		minSpeed = min(minSpeed, max(sizing, 0))
	}
	var backhaulEUR float64
	noSite, capacity := false, false
	if len(b.pts) > 0 {
		var siteMinSpeed float64
		b.transit = false
		o.Sites, backhaulEUR, siteMinSpeed, noSite, capacity = md.placeSites(b)
		if b.transit {
			backhaulEUR += md.sc.Fibre.TransitEUR // one point of presence for the zone
		}
		if o.Sites > 0 {
			minSpeed = min(minSpeed, siteMinSpeed)
		}
		for k, q := range b.pts {
			if !b.covered[k] {
				o.PremisesUnserved++
				continue
			}
			p := &zi.prem[q]
			zi.serve(int(q), TechWifi)
			o.PremisesServed++
			o.UnitsServed += int(max(p.Units, 1))
			subs += md.dem.subs(p)
		}
	}
	if noSite {
		o.Reasons = addReason(o.Reasons, WifiNoSite)
	}
	if capacity {
		o.Reasons = addReason(o.Reasons, WifiCapacity)
	}
	o.DownMbps = minSpeed
	md.wifiCost(&o, float64(o.Sites), backhaulEUR, subs)
	return o
}

// wifiZone evaluates Wi-Fi / fixed wireless for a zone from its counts and
// area (MODEL.md §2): the zone's existing access points take the share of
// its households their coverage area and capacity allow; the rest get new
// sites, max(area ÷ hexagon of the site range, load ÷ site capacity) of
// them, up to the zone's site limit (WIFI_CAPACITY), backhauled as on
// premise level from the zone's distance to the network (WIFI_NO_SITE when
// none is possible).
func (md *model) wifiZone(zf *zoneFigures) Option {
	pf := &md.prof
	f := &md.sc.Fibre
	o := Option{Tech: TechWifi, DownMbps: pf.DownMbps, UpMbps: pf.UpMbps, LatencyMs: pf.LatencyMs}
	hf := float64(zf.households)
	tu := zf.takeUp
	busy := md.dem.shareMbps[KindHousehold]
	sizing := sizingMbps(md.sc, *pf)
	onAPs := 0.0
	if zf.apCapMbps > 0 && tu*busy > 0 {
		onAPs = math.Floor(min(hf, hf*zf.apAreaM2/zf.areaM2, zf.apCapMbps/(tu*busy)))
		o.PremisesOnAPs = int(onAPs)
		o.DownMbps = min(o.DownMbps, sizing)
	}
	rest := hf - onAPs
	var backhaulEUR float64
	if rest > 0 {
		hexArea := 1.5 * math.Sqrt(3) * pf.RangeM * pf.RangeM
		load := rest * tu * busy
		sites := math.Max(math.Ceil(zf.areaM2*rest/hf/hexArea), math.Ceil(load/pf.CapacityMbps))
		bh, bhOK, transit := 0.0, true, 0.0
		switch d := min(zf.fibreDistM, zf.meanNodeM); {
		case zf.passed:
		case d <= pf.FibreBackhaulMaxM:
			bh = d * f.RouteFactor * f.EURPerM()
		case d <= pf.MicrowaveMaxM:
			bh = pf.MicrowaveEUR
		case f.AllowNewNodes:
			// No fibre within microwave reach: microwave hops to one
			// point of presence on leased transit.
			bh, transit = pf.MicrowaveEUR, f.TransitEUR
		default:
			bhOK = false
		}
		switch {
		case !bhOK:
			o.Reasons = addReason(o.Reasons, WifiNoSite)
			o.PremisesUnserved = int(rest)
			rest = 0
			sites = 0
		case sites > float64(pf.MaxSitesPerZone):
			covered := math.Floor(rest * float64(pf.MaxSitesPerZone) / sites)
			o.Reasons = addReason(o.Reasons, WifiCapacity)
			o.PremisesUnserved = int(rest - covered)
			rest = covered
			sites = float64(pf.MaxSitesPerZone)
		}
		if sites > 0 {
			o.Sites = int(sites)
			backhaulEUR = bh*sites + transit
			o.DownMbps = min(o.DownMbps, sizing*pf.CapacityMbps*sites/max(rest*tu*busy, 1e-9))
		}
	}
	served := int(onAPs + rest)
	o.PremisesServed, o.UnitsServed = served, served
	md.wifiCost(&o, float64(o.Sites), backhaulEUR, float64(served)*tu)
	return o
}

// wifiCost fills the money of a wireless option from its new sites, their
// backhaul and the subscribers (each with a CPE).
func (md *model) wifiCost(o *Option, sites, backhaulEUR, subs float64) {
	pf := &md.prof
	o.Subscribers = subs
	o.CapexEUR = sites*(pf.SiteEUR+pf.RadioEUR) + backhaulEUR + pf.CPEEUR*subs
	o.CapexByItem = [NumCostItems]float64{}
	o.CapexByItem[ItemSites] = sites * pf.SiteEUR
	o.CapexByItem[ItemRadios] = sites * pf.RadioEUR
	o.CapexByItem[ItemBackhaul] = backhaulEUR
	o.CapexByItem[ItemTerminals] = pf.CPEEUR * subs
	o.OpexEURPerYear = pf.SiteOpexEUR * sites
	reinv := []reinvestment{{CostEUR: sites*pf.RadioEUR + pf.CPEEUR*subs, Years: pf.EquipmentYears}}
	cpePV, _ := md.sc.NPV(pf.CPEEUR*subs, 0, reinvestment{CostEUR: pf.CPEEUR * subs, Years: pf.EquipmentYears})
	md.finishOption(o, reinv, cpePV, min(md.sc.VoucherEUR, pf.CPEEUR)*subs)
}

// backhaul returns the cost of connecting a site at a premise measured m
// to the network, or false when it cannot be connected.
func (md *model) backhaul(m *PremiseMeasure) (float64, bool) {
	pf := &md.prof
	if m.Passed {
		return 0, true
	}
	if m.FibreDistM <= pf.FibreBackhaulMaxM {
		return m.FibreDistM * md.sc.Fibre.RouteFactor * md.sc.Fibre.EURPerM(), true
	}
	if m.FibreDistM <= pf.MicrowaveMaxM {
		return pf.MicrowaveEUR, true
	}
	if md.sc.Fibre.AllowNewNodes {
		// No fibre within microwave reach (or no network at all): a
		// microwave hop to a point of presence on leased transit, priced
		// once per zone by wifiPremises (wifiBuf.transit).
		return pf.MicrowaveEUR, true
	}
	return 0, false
}
