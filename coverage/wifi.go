package coverage

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

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

// Status of a premise in the wireless area pass (wifiArea.siteOf when
// negative).
const (
	wifiNotPlaced  = -1 // not placed: on an existing access point, or in no zone
	wifiNoSite     = -2 // no site with backhaul reaches it (WIFI_NO_SITE)
	wifiNoCapacity = -3 // its tile ran out of sites, or its own load exceeds a site (WIFI_CAPACITY)
)

// wifiArea is the wireless area pass's result: new sites placed once for
// the whole area, tile by tile, and the site serving each premise.
type wifiArea struct {
	siteOf []int32 // per premise: the site serving it (index into sites), or a status above
	sites  []siteRec
}

// wifiTileRanges is the side of a placement tile, in site ranges: large
// enough that few premises a site could serve lie across a tile's edge.
const wifiTileRanges = 4

// wifiArea places new wireless sites for every premise in a zone that no
// existing access point serves, once for the whole area (MODEL.md §3:
// fixed costs belong to sites): the area is cut into square tiles of
// wifiTileRanges site ranges, and each tile's premises are covered greedily
// (placeSites) whatever zone they lie in. Sites with no fibre within
// microwave reach hop to points of presence on leased transit, one for
// every group of them within microwave reach of each other (transitPoPs).
// Tiles are placed in parallel; the result does not depend on scheduling.
// Zones then pay each site by the load they put on it (wifiPremises).
func (e *evaluator) wifiArea() *wifiArea {
	md := e.md
	tileM := wifiTileRanges * md.prof.RangeM
	type tp struct {
		tx, ty int64
		i      int32
	}
	var ps []tp
	for _, i := range e.ev.order {
		if md.apOf[i] >= 0 {
			continue
		}
		p := e.in.Premises[i].Pt
		ps = append(ps, tp{int64(math.Floor(p[0] / tileM)), int64(math.Floor(p[1] / tileM)), i})
	}
	slices.SortFunc(ps, func(a, b tp) int {
		return cmp.Or(cmp.Compare(a.ty, b.ty), cmp.Compare(a.tx, b.tx), cmp.Compare(a.i, b.i))
	})
	var tiles [][2]int // [lo, hi) in ps
	for lo := 0; lo < len(ps); {
		hi := lo + 1
		for hi < len(ps) && ps[hi].tx == ps[lo].tx && ps[hi].ty == ps[lo].ty {
			hi++
		}
		tiles = append(tiles, [2]int{lo, hi})
		lo = hi
	}
	wa := &wifiArea{siteOf: make([]int32, len(e.in.Premises))}
	for i := range wa.siteOf {
		wa.siteOf[i] = wifiNotPlaced
	}
	tileSites := make([][]siteRec, len(tiles))
	var pool sync.Pool
	forEach(len(tiles), e.workers, func(t int) {
		b, _ := pool.Get().(*wifiBuf)
		if b == nil {
			b = new(wifiBuf)
		}
		defer pool.Put(b)
		tile := ps[tiles[t][0]:tiles[t][1]]
		b.prem, b.ms = b.prem[:0], b.ms[:0]
		b.pts, b.load = b.pts[:0], b.load[:0]
		for k, x := range tile {
			p := &e.in.Premises[x.i]
			b.prem = append(b.prem, *p)
			b.ms = append(b.ms, e.m[x.i])
			b.pts = append(b.pts, int32(k))
			b.load = append(b.load, md.dem.loadMbps(p))
		}
		md.placeSites(b)
		tileSites[t] = slices.Clone(b.sites)
		for k, x := range tile {
			if s := b.siteOf[k]; s >= 0 {
				wa.siteOf[x.i] = s // tile-local until renumbered below
			} else {
				wa.siteOf[x.i] = int32(b.status[k])
			}
		}
	})
	for t, ts := range tileSites {
		off := int32(len(wa.sites))
		wa.sites = append(wa.sites, ts...)
		if off == 0 {
			continue
		}
		for _, x := range ps[tiles[t][0]:tiles[t][1]] {
			if wa.siteOf[x.i] >= 0 {
				wa.siteOf[x.i] += off
			}
		}
	}
	md.transitPoPs(wa.sites)
	return wa
}

// transitPoPs shares leased transit among the sites that need it: sites
// within microwave_max_m of a group's first site (in site order) hop to
// the group's point of presence, whose fibre.transit_eur the group's sites
// share equally (added to their backhaul).
func (md *model) transitPoPs(sites []siteRec) {
	reach2 := md.prof.MicrowaveMaxM * md.prof.MicrowaveMaxM
	group := make([]int32, len(sites))
	for k := range group {
		group[k] = -1
	}
	var size []int
	for k := range sites {
		if !sites[k].transit || group[k] >= 0 {
			continue
		}
		g := int32(len(size))
		n := 0
		for j := k; j < len(sites); j++ {
			if sites[j].transit && group[j] < 0 && sqDist(sites[j].at, sites[k].at) <= reach2 {
				group[j] = g
				n++
			}
		}
		size = append(size, n)
	}
	for k := range sites {
		if g := group[k]; g >= 0 {
			sites[k].backhaulEUR += md.sc.Fibre.TransitEUR / float64(size[g])
		}
	}
}

// wifiPremises evaluates Wi-Fi / fixed wireless for the premises of one
// zone (MODEL.md §3) from the area pass: premises served by existing
// access points cost only their CPE; the others are served by the area's
// new sites (wifiArea), and the zone pays each site — civil works, radio,
// backhaul and its share of transit — by the load its premises put on it.
// A premise no site reaches is WIFI_NO_SITE; one left when its tile ran out
// of sites, WIFI_CAPACITY. The speed is the lowest busy-hour speed of the
// sites and access points serving the zone.
func (md *model) wifiPremises(zi *zoneIn, wa *wifiArea) Option {
	pf := &md.prof
	o := Option{Tech: TechWifi, UpMbps: pf.UpMbps, LatencyMs: pf.LatencyMs}
	var subs, sites, backhaulEUR float64
	minSpeed := pf.DownMbps
	// Existing sites were filled to at most their capacity at the sizing speed.
	apSpeed := max(sizingMbps(md.sc, *pf), 0)
	noSite, capacity := false, false
	for q := range zi.prem {
		p := &zi.prem[q]
		i := zi.idx[q]
		switch s := wa.siteOf[i]; {
		case zi.apOf[q] >= 0:
			o.PremisesOnAPs++
			minSpeed = min(minSpeed, apSpeed)
		case s >= 0:
			zi.sites = addSite(zi.sites, s)
			site := &wa.sites[s]
			share := md.dem.loadMbps(p) / site.loadMbps
			sites += share
			backhaulEUR += share * site.backhaulEUR
			minSpeed = min(minSpeed, site.speedMbps)
		default:
			noSite = noSite || s == wifiNoSite
			capacity = capacity || s == wifiNoCapacity
			o.PremisesUnserved++
			continue
		}
		zi.serve(q, TechWifi)
		o.PremisesServed++
		o.UnitsServed += int(max(p.Units, 1))
		subs += md.dem.subs(p)
	}
	if noSite {
		o.Reasons = addReason(o.Reasons, WifiNoSite)
	}
	if capacity {
		o.Reasons = addReason(o.Reasons, WifiCapacity)
	}
	o.DownMbps = minSpeed
	o.Sites = sites
	md.wifiCost(&o, sites, backhaulEUR, subs)
	return o
}

// wifiZone evaluates Wi-Fi / fixed wireless for a zone from its counts and
// area (MODEL.md §2): the zone's existing access points take the share of
// its premises their coverage area and capacity allow; the rest take new
// sites shared with the neighbouring zones: the zone pays the share of a
// site its area (÷ the hexagon a site covers) or its load (÷ a site's
// capacity) takes, whichever is larger, with the site's backhaul, and the
// share of a point of presence on leased transit its area takes of a
// placement tile (when no fibre is within microwave reach). Beyond
// max_sites_per_tile sites: WIFI_CAPACITY; no backhaul at all: WIFI_NO_SITE.
func (md *model) wifiZone(zf *zoneFigures) Option {
	pf := &md.prof
	f := &md.sc.Fibre
	o := Option{Tech: TechWifi, DownMbps: pf.DownMbps, UpMbps: pf.UpMbps, LatencyMs: pf.LatencyMs}
	hf := float64(zf.premises)
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
		tileShare := zf.areaM2 / (wifiTileRanges * wifiTileRanges * pf.RangeM * pf.RangeM)
		load := rest * tu * busy
		sites := max(zf.areaM2*rest/hf/hexArea, load/pf.CapacityMbps)
		bh, viaPoP, bhOK := md.siteBackhaul(min(zf.fibreDistM, zf.meanNodeM), zf.passed)
		transit := 0.0
		if viaPoP {
			// The point of presence is shared by the tile's sites.
			transit = f.TransitEUR * min(1, tileShare)
		}
		switch maxSites := float64(pf.MaxSitesPerTile); {
		case !bhOK:
			o.Reasons = addReason(o.Reasons, WifiNoSite)
			o.PremisesUnserved = int(rest)
			rest = 0
			sites = 0
		case sites > maxSites:
			covered := math.Floor(rest * maxSites / sites)
			o.Reasons = addReason(o.Reasons, WifiCapacity)
			o.PremisesUnserved = int(rest - covered)
			rest = covered
			sites = maxSites
		}
		if sites > 0 {
			o.Sites = sites
			backhaulEUR = bh*sites + transit
			o.DownMbps = min(o.DownMbps, sizing*pf.CapacityMbps*sites/max(rest*tu*busy, 1e-9))
		}
	}
	served := int(onAPs + rest)
	o.PremisesServed, o.UnitsServed = served, served
	md.wifiCost(&o, o.Sites, backhaulEUR, float64(served)*tu)
	return o
}

// wifiCost fills the money of a wireless option from its new sites (a
// share of shared sites may be fractional), their backhaul and the
// subscribers (each with a CPE):
//
//	CAPEX = sites × (expected site civil works + radio €) + backhaul + CPE € × subscribers
//	OPEX  = site opex € × sites a year
//	renewals every equipment_years: radios (network) and CPE (subscribers)
//
// The public body pays the voucher towards each CPE.
func (md *model) wifiCost(o *Option, sites, backhaulEUR, subs float64) {
	pf := &md.prof
	o.Subscribers = subs
	p := priceIn{subs: subs, premises: o.PremisesServed, network: true,
		opexPerYear:       pf.SiteOpexEUR * sites,
		netRenew:          reinvestment{CostEUR: sites * pf.RadioEUR, Years: pf.EquipmentYears},
		termRenew:         reinvestment{CostEUR: pf.CPEEUR * subs, Years: pf.EquipmentYears},
		retailEURPerMonth: pf.RetailEURPerMonth, revenueEURPerMonth: pf.RevenueEURPerMonth,
		voucherPerSub: min(md.sc.VoucherEUR, pf.CPEEUR)}
	p.capex[ItemSites] = sites * pf.SiteCivilEUR()
	p.capex[ItemRadios] = sites * pf.RadioEUR
	p.capex[ItemBackhaul] = backhaulEUR
	p.capex[ItemTerminals] = pf.CPEEUR * subs
	md.price(o, p)
}

// siteBackhaul is the backhaul of a wireless site distM (straight line)
// from the fibre network, or inside an active served area (passed): none
// needed when passed; fibre (route factor × €/m) within
// fibre_backhaul_max_m; a microwave link within microwave_max_m; beyond,
// when new nodes are allowed, a microwave hop to a point of presence on
// leased transit (viaPoP: the caller shares its fibre.transit_eur among
// the sites using it); else no backhaul (ok false).
func (md *model) siteBackhaul(distM float64, passed bool) (eur float64, viaPoP, ok bool) {
	pf := &md.prof
	f := &md.sc.Fibre
	switch {
	case passed:
		return 0, false, true
	case distM <= pf.FibreBackhaulMaxM:
		return distM * f.RouteFactor * f.EURPerM(), false, true
	case distM <= pf.MicrowaveMaxM:
		return pf.MicrowaveEUR, false, true
	case f.AllowNewNodes:
		return pf.MicrowaveEUR, true, true
	}
	return 0, false, false
}
